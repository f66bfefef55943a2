package dev.clickpipes.core;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * A snapshot of a pipe's counters since it started. Take one with {@link Pipe#metrics()} from any
 * thread; export it to whatever metrics library the host uses (clickpipes-micrometer does it for
 * Micrometer).
 *
 * @param recordsRead     records taken from the source
 * @param bytesRead       bytes of those records
 * @param rowsWritten     rows acknowledged by ClickHouse (not those the sink filed in an error table instead)
 * @param errorRows       records filed in the error table (or handed to the error callback), by the pipe or
 *                        by its sink (a router whose table is gone)
 * @param batches         batches inserted
 * @param insertRetries   insert attempts that failed and were retried
 * @param committedRows   rows inserted whose source positions were committed
 * @param lastInsertTime  when the last batch was acknowledged, or null
 * @param lastError       the last failure's message (an insert retry, a rejected record), or null
 * @param errorRowsByKind {@code errorRows} by why they were rejected; every kind is present (0 when none)
 * @param insertsInFlight inserts started and not finished yet: 0 or 1 (at most one batch is in flight)
 */
public record PipeMetrics(long recordsRead, long bytesRead, long rowsWritten, long errorRows, long batches,
                          long insertRetries, long committedRows, Instant lastInsertTime, String lastError,
                          Map<ErrorKind, Long> errorRowsByKind, int insertsInFlight) {

    /** Copies the map: a snapshot does not change. */
    public PipeMetrics {
        errorRowsByKind = errorRowsByKind.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new EnumMap<>(errorRowsByKind)); // in the enum's order
    }

    /** Records filed as errors of this kind. */
    public long errorRows(ErrorKind kind) {
        return errorRowsByKind.getOrDefault(kind, 0L);
    }
}
