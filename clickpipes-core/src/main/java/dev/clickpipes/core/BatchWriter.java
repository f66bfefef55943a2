package dev.clickpipes.core;

import dev.clickpipes.clickhouse.TableSchema;
import dev.clickpipes.core.spi.Sink;
import dev.clickpipes.core.spi.SinkException;
import dev.clickpipes.core.spi.SourceRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets one batch into ClickHouse whatever it takes: retries transient failures with backoff,
 * re-reads the table and re-encodes after a schema change, and splits a refused batch in halves
 * until the refused rows are alone, which then go to the error table. Never drops a row: it either
 * returns with every record of the batch in the table or the error table, or throws.
 */
final class BatchWriter {

    private static final Logger LOG = LoggerFactory.getLogger(BatchWriter.class);

    private final Pipe pipe;
    private final Sink sink;
    private final RecordEncoder encoder;
    private final RetryPolicy retry;
    private final FieldMapping mapping;
    private final Set<String> virtualColumns;
    private final PipeListener listener;
    private final Counters counters;
    private final BooleanSupplier aborted;
    private volatile TableSchema schema;

    BatchWriter(Pipe pipe, Sink sink, TableSchema schema, RecordEncoder encoder, RetryPolicy retry,
                FieldMapping mapping, Set<String> virtualColumns, PipeListener listener, Counters counters,
                BooleanSupplier aborted) {
        this.pipe = pipe;
        this.sink = sink;
        this.schema = schema;
        this.encoder = encoder;
        this.retry = retry;
        this.mapping = mapping;
        this.virtualColumns = virtualColumns;
        this.listener = listener;
        this.counters = counters;
        this.aborted = aborted;
    }

    /** The schema batches should be encoded for (it changes after a SCHEMA failure). */
    TableSchema schema() {
        return schema;
    }

    /** A fresh, empty row buffer for the current schema. */
    RowBuffer newRowBuffer() {
        return new RowBuffer(schema, mapping, virtualColumns);
    }

    /** Inserts the batch's rows and files its errors. */
    void write(Batch batch) throws InterruptedException {
        long start = System.nanoTime();
        if (batch.rows.schema() != schema) {
            reencode(batch); // encoded before the last schema change
        }
        while (true) {
            try {
                if (batch.rows.rows() > 0) {
                    insertWithRetry(batch.rows, batch);
                    counters.rowsWritten.addAndGet(batch.rows.rows());
                }
                break;
            } catch (SinkException e) {
                if (e.kind() == SinkException.Kind.SCHEMA) {
                    LOG.info("pipe {}: the table changed ({}); reading its columns again", pipe.name(), e.getMessage());
                    schema = retryForever(sink::refreshSchema, batch);
                    reencode(batch);
                } else if (e.kind() == SinkException.Kind.DATA) {
                    LOG.warn("pipe {}: ClickHouse refused a batch of {} rows ({}); splitting it to find the bad rows",
                            pipe.name(), batch.rows.rows(), e.getMessage());
                    insertSplitting(batch.records, batch);
                    break;
                } else {
                    throw fatal(e);
                }
            }
        }
        if (!batch.errors.isEmpty()) {
            retryForever(() -> {
                sink.insertErrors(batch.errors);
                return null;
            }, batch);
            counters.errorRows.addAndGet(batch.errors.size());
        }
        batch.insertNanos = System.nanoTime() - start;
    }

    private void reencode(Batch batch) throws InterruptedException {
        batch.rows = newRowBuffer();
        batch.errors.clear();
        for (SourceRecord r : batch.records) {
            ErrorRecord error = encoder.encode(r, batch.rows);
            if (error != null) {
                batch.errors.add(error);
            }
        }
    }

    /** Inserts {@code records} in halves, recursively; a single refused record becomes an INSERT_ERROR. */
    private void insertSplitting(List<SourceRecord> records, Batch batch) throws InterruptedException {
        RowBuffer rows = newRowBuffer();
        List<SourceRecord> encoded = new ArrayList<>();
        for (SourceRecord r : records) {
            if (encoder.encode(r, rows) == null) { // records that fail to encode are already in batch.errors
                encoded.add(r);
            }
        }
        if (rows.rows() == 0) {
            return;
        }
        try {
            insertWithRetry(rows, batch);
            counters.rowsWritten.addAndGet(rows.rows());
        } catch (SinkException e) {
            if (e.kind() != SinkException.Kind.DATA) {
                throw fatal(e);
            }
            if (encoded.size() == 1) {
                batch.errors.add(encoder.error(encoded.get(0), ErrorKind.INSERT_ERROR, e.getMessage()));
                return;
            }
            int half = encoded.size() / 2;
            insertSplitting(encoded.subList(0, half), batch);
            insertSplitting(encoded.subList(half, encoded.size()), batch);
        }
    }

    /** Inserts, retrying RETRYABLE failures per the policy; other kinds are thrown to the caller. */
    private void insertWithRetry(RowBuffer rows, Batch batch) throws SinkException, InterruptedException {
        retrying(() -> {
            sink.insert(rows);
            return null;
        }, batch, retry);
        counters.lastInsertTime = Instant.now();
    }

    private <T> T retryForever(SinkCall<T> call, Batch batch) throws InterruptedException {
        try {
            return retrying(call, batch, retry);
        } catch (SinkException e) {
            throw fatal(e);
        }
    }

    private <T> T retrying(SinkCall<T> call, Batch batch, RetryPolicy policy)
            throws SinkException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            batch.attempts++;
            try {
                return call.run();
            } catch (SinkException e) {
                if (e.kind() != SinkException.Kind.RETRYABLE) {
                    throw e;
                }
                counters.lastError = e.getMessage();
                if (!policy.allowsAnotherAfter(attempt) || aborted.getAsBoolean()) {
                    throw new SinkException(SinkException.Kind.FATAL, "gave up after " + attempt
                            + " attempts: " + e.getMessage(), e);
                }
                Duration backoff = policy.backoff(attempt);
                counters.insertRetries.incrementAndGet();
                LOG.warn("pipe {}: {} failed (attempt {}), retrying in {} ms: {}", pipe.name(), sink.describe(),
                        attempt, backoff.toMillis(), e.getMessage());
                listener.onRetry(pipe, attempt, e, backoff.toMillis());
                Thread.sleep(backoff.toMillis());
            }
        }
    }

    private PipeException fatal(SinkException e) {
        counters.lastError = e.getMessage();
        return new PipeException("pipe " + pipe.name() + " stopped: " + e.getMessage()
                + " (nothing past the last committed batch was committed)", e);
    }

    /** A sink call that may fail. */
    @FunctionalInterface
    private interface SinkCall<T> {
        T run() throws SinkException;
    }
}
