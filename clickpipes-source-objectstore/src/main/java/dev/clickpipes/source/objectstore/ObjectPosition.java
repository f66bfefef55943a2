package dev.clickpipes.source.objectstore;

import dev.clickpipes.core.spi.SourcePosition;
import java.util.Objects;

/**
 * Where a record sits: an object version (the partition), its row in it, and for objects read as
 * stored the byte offset just after the row, from which a restarted pipe resumes with a ranged
 * request. Immutable; equal when all five parts are.
 *
 * <p>A class rather than a record only to keep the partition's name, built once per object: the
 * pipe asks for it several times per record, and building and hashing a new string each time was
 * a few per cent of a file load's CPU.
 */
public final class ObjectPosition implements SourcePosition {

    private final String key;
    private final String version;
    private final long row;
    private final long nextOffset;
    private final boolean last;
    private final String partition;

    /**
     * A position.
     *
     * @param key        the object's key
     * @param version    the object's version as listed ({@link ObjectInfo#version()}), "" if unknown
     * @param row        the row's number in the object, from 0 (for text objects, the line number)
     * @param nextOffset the byte offset after the row, or -1 when the object cannot be resumed by offset
     * @param last       true for the object's last record: committing it marks the object done
     */
    public ObjectPosition(String key, String version, long row, long nextOffset, boolean last) {
        this(key, version, row, nextOffset, last, partitionOf(key, version));
    }

    private ObjectPosition(String key, String version, long row, long nextOffset, boolean last, String partition) {
        this.key = key;
        this.version = version;
        this.row = row;
        this.nextOffset = nextOffset;
        this.last = last;
        this.partition = partition;
    }

    /** The position of row {@code row} of the object as listed. */
    static ObjectPosition of(ObjectInfo object, long row, long nextOffset, boolean last) {
        return new ObjectPosition(object.key(), object.version(), row, nextOffset, last);
    }

    /** The position of row {@code row} of the object being read. */
    static ObjectPosition of(ObjectFile file, long row, long nextOffset, boolean last) {
        return new ObjectPosition(file.info().key(), file.info().version(), row, nextOffset, last, file.partition());
    }

    ObjectPosition asLast() {
        return new ObjectPosition(key, version, row, nextOffset, true, partition);
    }

    /** The object's key. */
    public String key() {
        return key;
    }

    /** The object's version as listed ({@link ObjectInfo#version()}), "" if unknown. */
    public String version() {
        return version;
    }

    /** The row's number in the object, from 0 (for text objects, the line number). */
    public long row() {
        return row;
    }

    /** The byte offset after the row, or -1 when the object cannot be resumed by offset. */
    public long nextOffset() {
        return nextOffset;
    }

    /** True for the object's last record: committing it marks the object done. */
    public boolean last() {
        return last;
    }

    /**
     * The key and the version: a rewritten object loaded again from row 0 is another partition,
     * so that exactly-once delivery does not take its rows for those of the version loaded before.
     */
    @Override
    public String partition() {
        return partition;
    }

    /** The partition of an object version's records. */
    static String partitionOf(String key, String version) {
        return version.isEmpty() ? key : key + "#" + version;
    }

    @Override
    public String offsetText() {
        return Long.toString(row);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ObjectPosition p && row == p.row && nextOffset == p.nextOffset && last == p.last
                && key.equals(p.key) && version.equals(p.version);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, version, row, nextOffset, last);
    }

    /** The key and the row (what the error table's {@code position} column shows). */
    @Override
    public String toString() {
        return key + "@" + row;
    }
}
