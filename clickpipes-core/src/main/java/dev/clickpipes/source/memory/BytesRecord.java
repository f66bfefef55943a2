package dev.clickpipes.source.memory;

import dev.clickpipes.core.spi.ByteSliceRecord;
import dev.clickpipes.core.spi.SourcePosition;

/** A record that is a slice of a byte array at an {@link OffsetPosition}. */
class BytesRecord extends ByteSliceRecord {

    private final OffsetPosition position;

    BytesRecord(byte[] data, int offset, int length, OffsetPosition position) {
        super(data, offset, length);
        this.position = position;
    }

    @Override
    public SourcePosition position() {
        return position;
    }

    @Override
    public Object virtualColumn(String name) {
        return switch (name) {
            case "_offset" -> position.offset();
            case "_partition" -> position.partition();
            default -> null;
        };
    }
}
