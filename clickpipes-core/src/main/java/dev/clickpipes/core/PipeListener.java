package dev.clickpipes.core;

import dev.clickpipes.core.spi.SourceLag;

/**
 * Callbacks for a pipe's events, all with empty defaults. Called on the pipe's thread (or the
 * insert executor's, for {@link #onRetry} and for records rejected while their batch is inserted);
 * keep them quick and do not throw.
 */
public interface PipeListener {

    /** The pipe opened its source and sink and is about to read. */
    default void onStarted(Pipe pipe) {
    }

    /** A batch is in ClickHouse and its source positions are committed. */
    default void onBatchCommitted(Pipe pipe, BatchReport report) {
    }

    /**
     * A record was rejected and filed as an error, once per record: by the decoder, while its batch
     * was inserted (the server refused its row, or it no longer encodes after a schema change), or
     * by the sink itself (a router whose target table is gone). {@code PipeMetrics.errorRows()}
     * counts the same records.
     */
    default void onRecordRejected(Pipe pipe, ErrorRecord error) {
    }

    /** An insert failed with a retryable error and will be tried again after {@code backoffMillis}. */
    default void onRetry(Pipe pipe, int attempt, Exception failure, long backoffMillis) {
    }

    /**
     * The source told how far behind it is ({@link Pipe#sourceLag()} now returns {@code lag}):
     * about once a second while the pipe runs, on its thread, whether or not anything changed.
     */
    default void onLag(Pipe pipe, SourceLag lag) {
    }

    /** The pipe stopped: {@code failure} is null after a clean finish or close, else what stopped it. */
    default void onStopped(Pipe pipe, Throwable failure) {
    }
}
