package dev.clickpipes.source.objectstore;

import dev.clickpipes.core.spi.SourcePosition;

/**
 * Where a record sits: an object version (the partition), its row in it, and for objects read as
 * stored the byte offset just after the row, from which a restarted pipe resumes with a ranged
 * request.
 *
 * @param key        the object's key
 * @param version    the object's version as listed ({@link ObjectInfo#version()}), "" if unknown
 * @param row        the row's number in the object, from 0 (for text objects, the line number)
 * @param nextOffset the byte offset after the row, or -1 when the object cannot be resumed by offset
 * @param last       true for the object's last record: committing it marks the object done
 */
public record ObjectPosition(String key, String version, long row, long nextOffset, boolean last)
        implements SourcePosition {

    /** The position of row {@code row} of the object as listed. */
    static ObjectPosition of(ObjectInfo object, long row, long nextOffset, boolean last) {
        return new ObjectPosition(object.key(), object.version(), row, nextOffset, last);
    }

    ObjectPosition asLast() {
        return new ObjectPosition(key, version, row, nextOffset, true);
    }

    /**
     * The key and the version: a rewritten object loaded again from row 0 is another partition,
     * so that exactly-once delivery does not take its rows for those of the version loaded before.
     */
    @Override
    public String partition() {
        return partitionOf(key, version);
    }

    /** The partition of an object version's records. */
    static String partitionOf(String key, String version) {
        return version.isEmpty() ? key : key + "#" + version;
    }

    @Override
    public String offsetText() {
        return Long.toString(row);
    }

    /** The key and the row (what the error table's {@code position} column shows). */
    @Override
    public String toString() {
        return key + "@" + row;
    }
}
