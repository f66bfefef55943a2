package dev.clickpipes.samples;

import dev.clickpipes.core.spi.ByteSliceRecord;
import dev.clickpipes.core.spi.SourcePosition;

/** A line of a benchmark's file as a record with no position, for decoding outside a pipe. */
final class FileLine extends ByteSliceRecord {

    FileLine(byte[] data, int offset, int length) {
        super(data, offset, length);
    }

    @Override
    public SourcePosition position() {
        return null;
    }
}
