package dev.clickpipes.source.memory;

import dev.clickpipes.core.spi.NumberedPosition;

/**
 * A position that is a number within a named partition: a line of a file, an index in a list.
 *
 * @param partition the partition's name
 * @param offset    the record's number, from 0
 */
public record OffsetPosition(String partition, long offset) implements NumberedPosition {

    @Override
    public String toString() {
        return NumberedPosition.text(this);
    }
}
