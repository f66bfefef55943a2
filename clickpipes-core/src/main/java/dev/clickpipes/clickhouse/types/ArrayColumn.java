package dev.clickpipes.clickhouse.types;

/**
 * Array(T): cumulative end offsets (UInt64, one a row), then all rows' elements in one inner
 * column. Elements may themselves be arrays, to any depth.
 */
final class ArrayColumn extends OffsetsColumn {

    private final Column elements;

    ArrayColumn(String name, DataType type, Column elements) {
        super(name, type, elements);
        this.elements = elements;
    }

    @Override
    public String nativeTypeName() {
        return "Array(" + elements.nativeTypeName() + ")";
    }

    @Override
    public Column arrayElements() {
        return elements;
    }

    @Override
    public void endArray(int count) {
        endRun(count);
    }
}
