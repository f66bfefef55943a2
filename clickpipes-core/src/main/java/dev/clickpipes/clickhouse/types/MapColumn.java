package dev.clickpipes.clickhouse.types;

/**
 * Map(K, V): in Native, an Array(Tuple(K, V)): cumulative end offsets (UInt64, one a row), then
 * all keys, then all values.
 */
final class MapColumn extends Column {

    private final Column keys;
    private final Column values;
    private long total;
    private long markedTotal;

    MapColumn(String name, DataType type, Column keys, Column values) {
        super(name, type);
        this.keys = keys;
        this.values = values;
    }

    @Override
    public String nativeTypeName() {
        return "Map(" + keys.nativeTypeName() + ", " + values.nativeTypeName() + ")";
    }

    @Override
    public void appendDefault() {
        data.writeLong(total);
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
        total += count;
        data.writeLong(total);
    }

    @Override
    public void mark() {
        super.mark();
        markedTotal = total;
        keys.mark();
        values.mark();
    }

    @Override
    public void rollback() {
        super.rollback();
        total = markedTotal;
        keys.rollback();
        values.rollback();
    }

    @Override
    public void clear() {
        super.clear();
        total = 0;
        markedTotal = 0;
        keys.clear();
        values.clear();
    }

    @Override
    public long byteSize() {
        return super.byteSize() + keys.byteSize() + values.byteSize();
    }

    @Override
    public void writePrefix(NativeBuffer out) {
        keys.writePrefix(out);
        values.writePrefix(out);
    }

    @Override
    public void writeTo(NativeBuffer out) {
        super.writeTo(out);
        keys.writeTo(out);
        values.writeTo(out);
    }
}
