package dev.clickpipes.core;

/**
 * What a pipe promises about each record. Either way a record is never lost: it is in the table
 * or in the error table before its position is committed.
 */
public enum Delivery {
    /**
     * Every record at least once (the default). Each insert carries a deduplication token naming
     * its records, so on a deduplicating table (Replicated*, Shared*, MergeTree with
     * {@code non_replicated_deduplication_window}) a retried insert is not doubled; a restart
     * after a crash may insert a batch again under other boundaries, which such a table does not
     * recognise.
     */
    AT_LEAST_ONCE,
    /**
     * Every record exactly once, across crashes, restarts, rebalances and lease hand-overs, on a
     * deduplicating table (checked at start). One insert holds one partition's range; before it
     * is sent, the range is written as pending to the sink's {@code DeliveryState}; a restart
     * inserts a pending range again with the same token and drops records already in. Costs two
     * state writes per insert.
     */
    EXACTLY_ONCE
}
