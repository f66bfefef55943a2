package dev.clickpipes.core.spi;

/**
 * A {@link SourceRecord} whose body is a slice of a byte array, not copied. Sources extend it and
 * add their position and virtual columns.
 */
public abstract class ByteSliceRecord implements SourceRecord {

    private final byte[] data;
    private final int offset;
    private final int length;

    /** The body is {@code data[offset, offset + length)}. */
    protected ByteSliceRecord(byte[] data, int offset, int length) {
        this.data = data;
        this.offset = offset;
        this.length = length;
    }

    @Override
    public final byte[] data() {
        return data;
    }

    @Override
    public final int offset() {
        return offset;
    }

    @Override
    public final int length() {
        return length;
    }
}
