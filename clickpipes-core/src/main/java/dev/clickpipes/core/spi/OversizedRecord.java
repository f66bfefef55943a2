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
        return description(this, "the record at " + position(), "record");
    }

    /**
     * What {@link #describe()} says of {@code record}, for a source that names its records its own
     * way: {@code where} names it ({@code "line 7 of /data/a.ndjson"}), {@code unit} is what reading
     * resumed at the next of ({@code "line"}).
     */
    static String description(OversizedRecord record, String where, String unit) {
        return where + " is " + record.fullLength() + " bytes, over maxRecordBytes (" + record.maxRecordBytes()
                + "); its first " + record.length() + " bytes are kept here, reading resumed at the next " + unit;
    }

    /** How many of an oversized record's first bytes a source keeps: 64 KB, or the cap when smaller. */
    static int keptBytes(long maxRecordBytes) {
        return (int) Math.min(64 * 1024, maxRecordBytes);
    }
}
