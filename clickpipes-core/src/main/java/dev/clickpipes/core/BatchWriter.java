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
 * re-reads the table and re-encodes after a schema change, splits a batch that is too big for one
 * insert, and splits a refused batch in halves until the refused records are alone, which then go
 * to the error table. Never drops a row: it either returns with every record of the batch in the
 * table or the error table (each in exactly one of them), or throws.
 *
 * <p>Every insert carries a deduplication token naming exactly its records ({@link InsertTokens}),
 * so a deduplicating table neither drops a batch that looks like an earlier one nor doubles a
 * retried one.
 */
final class BatchWriter {

    private static final Logger LOG = LoggerFactory.getLogger(BatchWriter.class);
    /** Attempts at an insert failing with an unknown error before it is taken as a data error. */
    static final int UNKNOWN_ATTEMPTS = 3;

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
    /** The batch {@link #write} is inserting, for what the sink reports of it; null between batches. */
    private volatile Batch writing;

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
        writing = batch;
        try {
            insert(batch, batch.records, batch.rows, true);
        } finally {
            writing = null;
        }
        if (!batch.errors.isEmpty()) {
            String token = InsertTokens.of(pipe.name(), batch.records, "/errors");
            retryForever(() -> {
                sink.insertErrors(batch.errors, token);
                return null;
            }, batch);
            counters.filed(batch.errors);
        }
        batch.insertNanos = System.nanoTime() - start;
    }

    /**
     * The sink filed these records of the batch being inserted itself, instead of inserting their
     * {@code rows} rows ({@link dev.clickpipes.core.spi.SinkContext#filed}): counted as error rows,
     * in the pipe's metrics and in the batch's report.
     */
    void filedBySink(List<ErrorRecord> errors, int rows) {
        counters.filedBySink(errors, rows);
        errors.forEach(pipe::rejected);
        Batch b = writing;
        if (b != null) {
            b.filedBySink += errors.size();
            b.rowsFiledBySink += rows;
        }
    }

    /** Encodes the whole batch again (after a schema change); its errors are found afresh. */
    void reencode(Batch batch) throws InterruptedException {
        batch.rows = newRowBuffer();
        Set<SourceRecord> filedBefore = batch.forgetErrors();
        for (SourceRecord r : batch.records) {
            ErrorRecord error = encoder.encode(r, batch.rows);
            if (error != null) {
                if (filedBefore.contains(r)) {
                    batch.file(r, error); // rejected before, and the listener heard of it then
                } else {
                    fileFound(batch, r, error);
                }
            }
        }
    }

    /**
     * Files a record found bad while its batch is inserted (refused by the server, or no longer
     * encoding after a schema change), and tells the listener, as the pipe does for a record its
     * decoder rejects.
     */
    private void fileFound(Batch batch, SourceRecord r, ErrorRecord error) {
        if (batch.file(r, error)) {
            pipe.rejected(error);
        }
    }

    /**
     * Inserts {@code rows}, the rows of those {@code records} not filed as errors, until they are
     * all in the table or filed. {@code whole} is true for the batch itself (whose errors a schema
     * change re-finds), false for a part of a split batch.
     */
    private void insert(Batch batch, List<SourceRecord> records, RowBuffer rows, boolean whole)
            throws InterruptedException {
        if (rows.rows() == 0) {
            return;
        }
        String token = InsertTokens.of(pipe.name(), records, "");
        for (int attempt = 1; ; attempt++) {
            batch.attempts++;
            try {
                sink.insert(rows, token);
                counters.written(rows.rows());
                counters.lastInsertTime = Instant.now();
                return;
            } catch (SinkException e) {
                counters.lastError = e.getMessage();
                switch (e.kind()) {
                    case RETRYABLE -> backOff(attempt, e);
                    case SCHEMA -> {
                        LOG.info("pipe {}: the table changed ({}); reading its columns again", pipe.name(), e.getMessage());
                        TableSchema fresh = retryForever(sink::refreshSchema, batch);
                        if (fresh.equals(schema)) {
                            // The columns did not change (a materialized view that names a dropped
                            // column, say): nothing in the rows can fix it, so wait like for an outage.
                            backOff(attempt, e);
                        }
                        schema = fresh;
                        if (whole) {
                            reencode(batch);
                            rows = batch.rows;
                        } else {
                            rows = encodeUnfiled(batch, records, new ArrayList<>());
                        }
                        if (rows.rows() == 0) {
                            return;
                        }
                    }
                    case TOO_BIG -> {
                        if (unfiled(batch, records).size() <= 1) {
                            backOff(attempt, e); // one record: only waiting can help
                        } else {
                            LOG.warn("pipe {}: a batch of {} rows is too big for one insert ({}); inserting it in halves",
                                    pipe.name(), rows.rows(), e.getMessage());
                            split(batch, records);
                            return;
                        }
                    }
                    case UNKNOWN -> {
                        if (attempt < UNKNOWN_ATTEMPTS) {
                            backOff(attempt, e);
                        } else {
                            refused(batch, records, e);
                            return;
                        }
                    }
                    case DATA -> {
                        refused(batch, records, e);
                        return;
                    }
                    case FATAL -> throw fatal(e);
                    default -> throw new IllegalStateException("unknown failure kind " + e.kind());
                }
            }
        }
    }

    /** ClickHouse refused these records' rows: one record alone is filed, more are split to find it. */
    private void refused(Batch batch, List<SourceRecord> records, SinkException e) throws InterruptedException {
        List<SourceRecord> unfiled = unfiled(batch, records);
        if (unfiled.size() == 1) {
            SourceRecord r = unfiled.get(0);
            fileFound(batch, r, encoder.error(r, ErrorKind.INSERT_ERROR, e.getMessage()));
            return;
        }
        LOG.warn("pipe {}: ClickHouse refused {} records ({}); splitting them to find the bad rows",
                pipe.name(), unfiled.size(), e.getMessage());
        split(batch, unfiled);
    }

    /** Inserts the unfiled records in two halves, each encoded afresh. */
    private void split(Batch batch, List<SourceRecord> records) throws InterruptedException {
        List<SourceRecord> unfiled = unfiled(batch, records);
        int half = unfiled.size() / 2;
        for (List<SourceRecord> part : List.of(unfiled.subList(0, half), unfiled.subList(half, unfiled.size()))) {
            List<SourceRecord> encoded = new ArrayList<>();
            RowBuffer rows = encodeUnfiled(batch, part, encoded);
            insert(batch, encoded, rows, false);
        }
    }

    /**
     * Encodes the records that are not filed yet; a record that fails now (it encoded before) is
     * filed now, so every record has exactly one outcome. {@code encoded} receives those that
     * became rows.
     */
    private RowBuffer encodeUnfiled(Batch batch, List<SourceRecord> records, List<SourceRecord> encoded)
            throws InterruptedException {
        RowBuffer rows = newRowBuffer();
        for (SourceRecord r : records) {
            if (batch.isFiled(r)) {
                continue;
            }
            ErrorRecord error = encoder.encode(r, rows);
            if (error == null) {
                encoded.add(r);
            } else {
                fileFound(batch, r, error);
            }
        }
        return rows;
    }

    private static List<SourceRecord> unfiled(Batch batch, List<SourceRecord> records) {
        List<SourceRecord> out = new ArrayList<>(records.size());
        for (SourceRecord r : records) {
            if (!batch.isFiled(r)) {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * Waits before attempt {@code attempt + 1}, or throws when the policy allows no more attempts
     * or the pipe is being closed past its timeout.
     */
    private void backOff(int attempt, SinkException e) throws InterruptedException {
        if (!retry.allowsAnotherAfter(attempt) || aborted.getAsBoolean()) {
            throw fatal(new SinkException(SinkException.Kind.FATAL, "gave up after " + attempt
                    + " attempts: " + e.getMessage(), e));
        }
        Duration backoff = retry.backoff(attempt);
        counters.insertRetries.incrementAndGet();
        LOG.warn("pipe {}: {} failed (attempt {}), retrying in {} ms: {}", pipe.name(), sink.describe(),
                attempt, backoff.toMillis(), e.getMessage());
        listener.onRetry(pipe, attempt, e, backoff.toMillis());
        Thread.sleep(backoff.toMillis());
    }

    /** Runs a sink call (error rows, schema reads), retrying RETRYABLE and UNKNOWN failures per the policy. */
    private <T> T retryForever(SinkCall<T> call, Batch batch) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            batch.attempts++;
            try {
                return call.run();
            } catch (SinkException e) {
                counters.lastError = e.getMessage();
                if (e.kind() == SinkException.Kind.FATAL) {
                    throw fatal(e);
                }
                backOff(attempt, e);
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
