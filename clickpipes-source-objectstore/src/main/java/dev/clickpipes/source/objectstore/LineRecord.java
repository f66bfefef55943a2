package dev.clickpipes.source.objectstore;

/** A line of a text object: a slice of a read chunk, not copied. */
final class LineRecord extends ObjectRecord {

    private final byte[] data;
    private final int offset;
    private final int length;

    LineRecord(ObjectFile file, ObjectPosition position, byte[] data, int offset, int length) {
        super(file, position);
        this.data = data;
        this.offset = offset;
        this.length = length;
    }

    @Override
    public byte[] data() {
        return data;
    }

    @Override
    public int offset() {
        return offset;
    }

    @Override
    public int length() {
        return length;
    }
}
