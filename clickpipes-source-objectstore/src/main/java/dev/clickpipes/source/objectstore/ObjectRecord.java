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
    private ObjectPosition position;

    ObjectRecord(ObjectFile file, ObjectPosition position, byte[] data, int offset, int length) {
        super(data, offset, length);
        this.file = file;
        this.position = position;
    }

    @Override
    public ObjectPosition position() {
        return position;
    }

    /** Marks this record as its object's last (done before it is handed to the pipe). */
    void markLast() {
        position = position.asLast();
    }

    @Override
    public Object virtualColumn(String name) {
        return switch (name) {
            case "_file" -> file.name();
            case "_path" -> file.path();
            case "_size" -> file.info().size();
            case "_time" -> file.info().lastModified();
            case "_row" -> position.row();
            default -> null;
        };
    }
}
