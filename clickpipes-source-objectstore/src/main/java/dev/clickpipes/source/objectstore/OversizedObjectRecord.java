package dev.clickpipes.source.objectstore;

import dev.clickpipes.core.spi.OversizedRecord;

/** A text record over the source's maxRecordBytes: its first bytes; the pipe files it as RECORD_TOO_LARGE. */
final class OversizedObjectRecord extends ObjectRecord implements OversizedRecord {

    private final long fullLength;
    private final long cap;

    OversizedObjectRecord(ObjectFile file, long row, long nextOffset, byte[] head, long fullLength, long cap) {
        super(file, row, nextOffset, head, 0, head.length);
        this.fullLength = fullLength;
        this.cap = cap;
    }

    @Override
    public long fullLength() {
        return fullLength;
    }

    @Override
    public long maxRecordBytes() {
        return cap;
    }

    @Override
    public String describe() {
        return OversizedRecord.description(this, "record " + rowNumber() + " of " + file.path(), "line");
    }
}
