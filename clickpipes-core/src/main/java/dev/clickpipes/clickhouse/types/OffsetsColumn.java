package dev.clickpipes.clickhouse.types;

import java.util.List;
import java.util.function.Consumer;

/**
 * What Array and Map share in Native: each row is a run of elements, written as its cumulative
 * end offset (UInt64, one a row) in this column, with the elements themselves in child columns
 * (Array: one; Map: keys and values) that follow the offsets in the block.
 */
abstract class OffsetsColumn extends Column {

    private final List<Column> children;
    private long total;
    private long markedTotal;

    OffsetsColumn(String name, DataType type, Column... children) {
        super(name, type);
        this.children = List.of(children);
    }

    /** Ends the current row after {@code count} more elements were appended to the children. */
    final void endRun(int count) {
        total += count;
        data.writeLong(total);
    }

    @Override
    public final void appendDefault() {
        data.writeLong(total); // an empty run
    }

    @Override
    public final void eachBuffer(Consumer<NativeBuffer> visitor) {
        super.eachBuffer(visitor);
        children.forEach(c -> c.eachBuffer(visitor));
    }

    @Override
    public final void mark() {
        super.mark();
        markedTotal = total;
        children.forEach(Column::mark);
    }

    @Override
    public final void rollback() {
        super.rollback();
        total = markedTotal;
        children.forEach(Column::rollback);
    }

    @Override
    public final void clear() {
        super.clear();
        total = 0;
        markedTotal = 0;
        children.forEach(Column::clear);
    }

    @Override
    public final long byteSize() {
        long size = super.byteSize();
        for (Column c : children) {
            size += c.byteSize();
        }
        return size;
    }

    @Override
    public final void writePrefix(NativeBuffer out) {
        for (Column c : children) {
            c.writePrefix(out);
        }
    }

    @Override
    public final void writeTo(NativeBuffer out) {
        super.writeTo(out);
        for (Column c : children) {
            c.writeTo(out);
        }
    }
}
