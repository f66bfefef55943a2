package dev.clickpipes.clickhouse.types;

/**
 * Map(K, V): in Native, an Array(Tuple(K, V)): cumulative end offsets (UInt64, one a row), then
 * all keys, then all values.
 */
final class MapColumn extends OffsetsColumn {

    private final Column keys;
    private final Column values;

    MapColumn(String name, DataType type, Column keys, Column values) {
        super(name, type, keys, values);
        this.keys = keys;
        this.values = values;
    }

    @Override
    public String nativeTypeName() {
        return "Map(" + keys.nativeTypeName() + ", " + values.nativeTypeName() + ")";
    }

    @Override
    public Column mapKeys() {
        return keys;
    }

    @Override
    public Column mapValues() {
        return values;
    }

    @Override
    public void endMap(int count) {
        endRun(count);
    }
}
