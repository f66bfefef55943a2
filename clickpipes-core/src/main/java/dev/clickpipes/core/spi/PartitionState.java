package dev.clickpipes.core.spi;

/**
 * What exactly-once delivery knows of one partition of one pipe: every record at or below
 * {@code mark} is in ClickHouse, and the records from {@code pendingFirst} to {@code pendingLast}
 * were being inserted (sent, not yet confirmed) when the state was written. A restarted pipe
 * drops records at or below the mark and inserts the pending range again, exactly, with the same
 * deduplication token, so the server drops it if the first attempt landed.
 *
 * @param version      how many times the state was written; a write must name the next version,
 *                     which fences a worker that lost the partition (see {@link DeliveryState#write})
 * @param mark         the offset of the last record known to be in, or null when none is
 * @param pendingFirst the offset of the first record of the batch being inserted, or null
 * @param pendingLast  the offset of its last record, or null
 */
public record PartitionState(long version, String mark, String pendingFirst, String pendingLast) {

    /** The state of a partition nothing was written for. */
    public static final PartitionState INITIAL = new PartitionState(0, null, null, null);

    /** Checks that the pending range is whole or absent. */
    public PartitionState {
        if (version < 0) {
            throw new IllegalArgumentException("version must be 0 or more, was " + version);
        }
        if ((pendingFirst == null) != (pendingLast == null)) {
            throw new IllegalArgumentException("a pending range needs both ends, was " + pendingFirst + ".." + pendingLast);
        }
    }

    /** True when a batch was being inserted. */
    public boolean hasPending() {
        return pendingFirst != null;
    }

    /** True when the record at {@code offset} is known to be in ClickHouse. */
    public boolean covers(String offset) {
        return mark != null && Offsets.compare(offset, mark) <= 0;
    }

    /** The next state: the batch {@code first..last} is about to be inserted. */
    public PartitionState begin(String first, String last) {
        return new PartitionState(version + 1, mark, first, last);
    }

    /** The next state: everything up to {@code last} is in. */
    public PartitionState complete(String last) {
        return new PartitionState(version + 1, last, null, null);
    }

    @Override
    public String toString() {
        return "v" + version + " mark=" + mark + (hasPending() ? " pending=" + pendingFirst + ".." + pendingLast : "");
    }
}
