package dev.clickpipes.source.objectstore;

import dev.clickpipes.core.spi.ByteSliceRecord;

/**
 * A record from an object: a text record (a slice of a read chunk), a Parquet row, or the stand-in
 * for an object over the size cap.
 * Answers the virtual columns {@code _file}, {@code _path}, {@code _size}, {@code _time} and
 * {@code _row}.
 */
class ObjectRecord extends ByteSliceRecord {

    final ObjectFile file;
    // the position's parts rather than the position: the pipe asks for the partition of every record but for the
    // position only of a batch's last (and first) ones, and a position object per row was a tenth of a load's garbage
    private final long row;
    private final long nextOffset;
    private boolean last;

    /** A record at {@code row} of the object; {@code nextOffset} as {@link ObjectPosition#nextOffset()} says. */
    ObjectRecord(ObjectFile file, long row, long nextOffset, byte[] data, int offset, int length) {
        super(data, offset, length);
        this.file = file;
        this.row = row;
        this.nextOffset = nextOffset;
    }

    @Override
    public ObjectPosition position() {
        return ObjectPosition.of(file, row, nextOffset, last);
    }

    @Override
    public String partition() {
        return file.partition();
    }

    /** The record's row in its object, from 0 ({@link ObjectPosition#row()}). */
    final long rowNumber() {
        return row;
    }

    /** Marks this record as its object's last (done before it is handed to the pipe). */
    void markLast() {
        last = true;
    }

    @Override
    public Object virtualColumn(String name) {
        return switch (name) {
            case "_file" -> file.name();
            case "_path" -> file.path();
            case "_size" -> file.info().size();
            case "_time" -> file.info().lastModified();
            case "_row" -> row;
            default -> null;
        };
    }
}
