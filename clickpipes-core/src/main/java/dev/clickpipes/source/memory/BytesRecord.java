package dev.clickpipes.source.memory;

import dev.clickpipes.core.spi.SourcePosition;
import dev.clickpipes.core.spi.SourceRecord;

/** A record that is a slice of a byte array at an {@link OffsetPosition}. */
class BytesRecord implements SourceRecord {

    private final byte[] data;
    private final int offset;
    private final int length;
    private final OffsetPosition position;

    BytesRecord(byte[] data, int offset, int length, OffsetPosition position) {
        this.data = data;
        this.offset = offset;
        this.length = length;
        this.position = position;
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
