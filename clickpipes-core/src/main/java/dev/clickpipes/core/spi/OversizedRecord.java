package dev.clickpipes.core.spi;

/**
 * A record longer than its source's {@code maxRecordBytes}: the source kept only its first bytes
 * ({@link #data()} from {@link #offset()}, {@link #length()} of them) and skipped the rest up to
 * the next record. The pipe does not decode it; it files it in the error table as
 * {@link dev.clickpipes.core.ErrorKind#RECORD_TOO_LARGE} with those first bytes, so the record is
 * accounted for, and reading goes on with the next one.
 */
public interface OversizedRecord extends SourceRecord {

    /** How many bytes the whole record has (or had read when its input ended). */
    long fullLength();

    /** The cap it is over, in bytes. */
    long maxRecordBytes();

    /** What the error table says: the size, the cap, where, and what was kept. */
    default String describe() {
        return "the record at " + position() + " is " + fullLength() + " bytes, over maxRecordBytes (" + maxRecordBytes()
                + "); its first " + length() + " bytes are kept here, reading resumed at the next record";
    }

    /** How many of an oversized record's first bytes a source keeps: 64 KB, or the cap when smaller. */
    static int keptBytes(long maxRecordBytes) {
        return (int) Math.min(64 * 1024, maxRecordBytes);
    }
}
