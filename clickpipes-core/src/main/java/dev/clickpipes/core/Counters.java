package dev.clickpipes.core;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/** The live counters behind {@link PipeMetrics}; written by the pipe's threads, read from any. */
final class Counters {

    private static final ErrorKind[] KINDS = ErrorKind.values();

    final AtomicLong recordsRead = new AtomicLong();
    final AtomicLong bytesRead = new AtomicLong();
    final AtomicLong rowsWritten = new AtomicLong();
    final AtomicLong errorRows = new AtomicLong();
    /** Per {@link ErrorKind#ordinal()}: the part of {@link #errorRows} of each kind. */
    final AtomicLongArray errorRowsByKind = new AtomicLongArray(KINDS.length);
    final AtomicLong batches = new AtomicLong();
    final AtomicLong insertRetries = new AtomicLong();
    final AtomicLong committedRows = new AtomicLong();
    volatile Instant lastInsertTime;
    volatile String lastError;
    /**
     * Rows of the insert in flight (and its failed attempts) that the sink filed instead of writing
     * ({@link dev.clickpipes.core.spi.SinkContext#filed}): left out of {@link #rowsWritten} when
     * the insert is acknowledged.
     */
    private final AtomicLong filedBySink = new AtomicLong();

    /** Counts records filed as errors, in total and by kind. */
    void filed(Iterable<ErrorRecord> errors) {
        long n = 0;
        for (ErrorRecord e : errors) {
            errorRowsByKind.incrementAndGet(e.kind().ordinal());
            n++;
        }
        errorRows.addAndGet(n);
    }

    /** Counts records the sink filed itself, which stood for {@code rows} rows of the insert in flight. */
    void filedBySink(List<ErrorRecord> errors, int rows) {
        filed(errors);
        filedBySink.addAndGet(rows);
    }

    /** An insert of {@code rows} rows was acknowledged: counts those the sink did not file. */
    void written(int rows) {
        rowsWritten.addAndGet(rows - filedBySink.getAndSet(0));
    }

    PipeMetrics snapshot(int insertsInFlight) {
        Map<ErrorKind, Long> byKind = new EnumMap<>(ErrorKind.class);
        for (ErrorKind k : KINDS) {
            byKind.put(k, errorRowsByKind.get(k.ordinal()));
        }
        return new PipeMetrics(recordsRead.get(), bytesRead.get(), rowsWritten.get(), errorRows.get(),
                batches.get(), insertRetries.get(), committedRows.get(), lastInsertTime, lastError, byKind,
                insertsInFlight);
    }
}
