package dev.clickpipes.core;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** The live counters behind {@link PipeMetrics}; written by the pipe's threads, read from any. */
final class Counters {

    final AtomicLong recordsRead = new AtomicLong();
    final AtomicLong bytesRead = new AtomicLong();
    final AtomicLong rowsWritten = new AtomicLong();
    final AtomicLong errorRows = new AtomicLong();
    final AtomicLong batches = new AtomicLong();
    final AtomicLong insertRetries = new AtomicLong();
    final AtomicLong committedRows = new AtomicLong();
    volatile Instant lastInsertTime;
    volatile String lastError;

    PipeMetrics snapshot() {
        return new PipeMetrics(recordsRead.get(), bytesRead.get(), rowsWritten.get(), errorRows.get(),
                batches.get(), insertRetries.get(), committedRows.get(), lastInsertTime, lastError);
    }
}
