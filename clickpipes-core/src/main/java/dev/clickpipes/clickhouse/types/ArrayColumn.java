package dev.clickpipes.clickhouse.types;

/**
 * Array(T): cumulative end offsets (UInt64, one a row), then all rows' elements in one inner
 * column. Elements may themselves be arrays, to any depth.
 */
final class ArrayColumn extends Column {

    private final Column elements;
    private long total;
    private long markedTotal;

    ArrayColumn(String name, DataType type, Column elements) {
        super(name, type);
        this.elements = elements;
    }

    @Override
    public String nativeTypeName() {
        return "Array(" + elements.nativeTypeName() + ")";
    }

    @Override
    public void appendDefault() {
        data.writeLong(total);
    }

    @Override
    public Column arrayElements() {
        return elements;
    }

    @Override
    public void endArray(int count) {
        total += count;
        data.writeLong(total);
    }

    @Override
    public void mark() {
        super.mark();
        markedTotal = total;
        elements.mark();
    }

    @Override
    public void rollback() {
        super.rollback();
        total = markedTotal;
        elements.rollback();
    }

    @Override
    public void clear() {
        super.clear();
        total = 0;
        markedTotal = 0;
        elements.clear();
    }

    @Override
    public long byteSize() {
        return super.byteSize() + elements.byteSize();
    }

    @Override
    public void writePrefix(NativeBuffer out) {
        elements.writePrefix(out);
    }

    @Override
    public void writeTo(NativeBuffer out) {
        super.writeTo(out);
        elements.writeTo(out);
    }
}
