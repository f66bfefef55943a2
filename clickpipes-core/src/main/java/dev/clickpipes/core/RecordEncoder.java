package dev.clickpipes.core;

import dev.clickpipes.core.spi.DecodeException;
import dev.clickpipes.core.spi.Decoder;
import dev.clickpipes.core.spi.OversizedRecord;
import dev.clickpipes.core.spi.SourceRecord;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one record into rows of a {@link RowBuffer} through the decoder, or into an
 * {@link ErrorRecord} when it cannot: every column is rolled back, the rest of the batch goes on.
 */
final class RecordEncoder {

    private static final Logger LOG = LoggerFactory.getLogger(RecordEncoder.class);

    private final String pipeName;
    private final String sourceName;
    private final Decoder decoder;
    private final RetryPolicy retry;
    private final BooleanSupplier aborted;

    RecordEncoder(String pipeName, String sourceName, Decoder decoder, RetryPolicy retry, BooleanSupplier aborted) {
        this.pipeName = pipeName;
        this.sourceName = sourceName;
        this.decoder = decoder;
        this.retry = retry;
        this.aborted = aborted;
    }

    /**
     * Encodes the record; returns null when it became rows, else the error to file. A decoder
     * that says "retry later" (a schema registry outage) is asked again after a backoff, for as
     * long as the retry policy allows: the pipe pauses rather than filing good records as errors.
     *
     * @throws PipeException when the retries run out or the pipe is closing: nothing is committed past the record
     */
    ErrorRecord encode(SourceRecord record, RowBuffer rows) throws InterruptedException {
        if (record instanceof OversizedRecord oversized) {
            return error(record, ErrorKind.RECORD_TOO_LARGE, oversized.describe());
        }
        for (int attempt = 1; ; attempt++) {
            rows.beginRecord(record);
            try {
                decodeInto(record, rows);
                return null;
            } catch (DecodeException e) {
                rows.rollbackRecord();
                if (!e.retryable()) {
                    return error(record, e.kind(), decoder.name() + ": " + e.getMessage());
                }
                if (!retry.allowsAnotherAfter(attempt) || aborted.getAsBoolean()) {
                    throw new PipeException("pipe " + pipeName + ": cannot decode " + record.position() + " yet, giving up"
                            + " after " + attempt + " attempts: " + e.getMessage(), e);
                }
                long backoff = retry.backoff(attempt).toMillis();
                LOG.warn("pipe {}: {} (attempt {}), decoding {} again in {} ms", pipeName, e.getMessage(), attempt,
                        record.position(), backoff);
                Thread.sleep(backoff);
            } catch (RuntimeException e) {
                // A decoder bug must not lose the record: file it, with the exception, for a bug report.
                rows.rollbackRecord();
                return error(record, ErrorKind.DATA_PARSING_ERROR, decoder.name() + " decoder failed: " + e);
            }
        }
    }

    /**
     * Encodes {@code records} in order, as {@link #encode} one by one would: runs the decoder writes column
     * by column ({@link Decoder#runLength}) in one go, the other records one by one. A run that fails is
     * rolled back and its records encoded one by one, which files the bad ones. Each record that did not
     * become rows goes to {@code rejected} with its error.
     */
    void encodeAll(List<SourceRecord> records, RowBuffer rows, BiConsumer<SourceRecord, ErrorRecord> rejected)
            throws InterruptedException {
        int n = records.size();
        for (int i = 0; i < n; ) {
            int run = rows.needsDecoding() ? Math.min(decoder.runLength(records, i), n - i) : 0;
            if (run > 1 && encodeRun(records, i, run, rows)) {
                i += run;
                continue;
            }
            for (int end = i + Math.max(run, 1); i < end; i++) {
                ErrorRecord error = encode(records.get(i), rows);
                if (error != null) {
                    rejected.accept(records.get(i), error);
                }
            }
        }
    }

    /** Writes a run in one go; false (and nothing written) when it failed. */
    private boolean encodeRun(List<SourceRecord> records, int from, int count, RowBuffer rows) {
        rows.beginRun(records, from, count);
        try {
            decoder.decodeRun(records, from, count, rows);
            rows.endRun();
            return true;
        } catch (DecodeException | RuntimeException e) {
            rows.rollbackRecord(); // its records go one by one, the bad ones to the error table
            return false;
        }
    }

    private void decodeInto(SourceRecord record, RowBuffer rows) throws DecodeException {
        if (rows.needsDecoding()) {
            decoder.decode(record, rows);
        } else {
            // Only virtual columns (say, _raw_message): no need to parse the record at all.
            rows.beginRow();
            rows.endRow();
        }
    }

    ErrorRecord error(SourceRecord record, ErrorKind kind, String message) {
        byte[] raw = Arrays.copyOfRange(record.data(), record.offset(), record.offset() + record.length());
        return new ErrorRecord(Instant.now(), pipeName, sourceName, String.valueOf(record.position()), kind,
                message, raw);
    }
}
