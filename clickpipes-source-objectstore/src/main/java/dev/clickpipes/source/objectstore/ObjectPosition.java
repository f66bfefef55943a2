package dev.clickpipes.source.objectstore;

import dev.clickpipes.core.spi.SourcePosition;

/**
 * Where a record sits: an object (the partition), its row in it, and for objects read as stored
 * the byte offset just after the row, from which a restarted pipe resumes with a ranged request.
 *
 * @param partition  the object's key
 * @param row        the row's number in the object, from 0 (for text objects, the line number)
 * @param nextOffset the byte offset after the row, or -1 when the object cannot be resumed by offset
 * @param last       true for the object's last record: committing it marks the object done
 */
public record ObjectPosition(String partition, long row, long nextOffset, boolean last) implements SourcePosition {

    ObjectPosition asLast() {
        return new ObjectPosition(partition, row, nextOffset, true);
    }

    @Override
    public String offsetText() {
        return Long.toString(row);
    }

    @Override
    public String toString() {
        return partition + "@" + row;
    }
}
