package dev.clickpipes.core;

import java.time.Instant;

/**
 * A snapshot of a pipe's counters since it started. Take one with {@link Pipe#metrics()} from any
 * thread; export it to whatever metrics library the host uses.
 *
 * @param recordsRead    records taken from the source
 * @param bytesRead      bytes of those records
 * @param rowsWritten    rows acknowledged by ClickHouse
 * @param errorRows      records filed in the error table (or handed to the error callback)
 * @param batches        batches inserted
 * @param insertRetries  insert attempts that failed and were retried
 * @param committedRows  rows whose source positions were committed
 * @param lastInsertTime when the last batch was acknowledged, or null
 * @param lastError      the last failure's message (an insert retry, a rejected record), or null
 */
public record PipeMetrics(long recordsRead, long bytesRead, long rowsWritten, long errorRows, long batches,
                          long insertRetries, long committedRows, Instant lastInsertTime, String lastError) {
}
