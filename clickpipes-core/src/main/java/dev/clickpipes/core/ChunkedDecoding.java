package dev.clickpipes.core;

import dev.clickpipes.clickhouse.TableSchema;
import dev.clickpipes.core.spi.SourceRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Decodes a batch in chunks of {@value #CHUNK_RECORDS} records side by side: each chunk into a row
 * buffer of its own, on a thread the host lent ({@code Pipe.Builder.decodeExecutor}) or, when
 * {@code parallelism} chunks are already running there, on the pipe's thread. At dispatch the
 * chunks' buffers become the batch's blocks in record order, and their rejected records are filed
 * in record order, so the insert holds the same rows in the same order as one thread would write.
 *
 * <p>Batch boundaries stay a function of the records alone (exactly-once rebuilds ranges from
 * them): a batch is checked against {@code maxRows} and {@code maxBytes} each time a chunk is
 * formed, counting the rows and bytes of every chunk but the newest {@code parallelism} ones (which
 * may still be decoding; the pipe waits for the one before them), and when a limit is reached it
 * closes with those newest chunks in it. So a batch closes at a chunk boundary, at most
 * {@code parallelism + 1} chunks past the limit. Touched only by the pipe's thread, apart from the
 * chunks' own decoding.
 */
final class ChunkedDecoding {

    /** Records per chunk: big enough that handing one to another thread costs nothing, small enough to share a batch. */
    static final int CHUNK_RECORDS = 4096;

    private final Executor executor;
    private final int parallelism;
    private final RecordEncoder encoder;
    private final BatchWriter writer;
    /** Chunks handed to the executor, oldest first; some may be done. */
    private final ArrayDeque<Chunk> lent = new ArrayDeque<>();
    /** Cleared buffers of committed batches, to decode into again. */
    private final ArrayDeque<RowBuffer> spare = new ArrayDeque<>();
    /**
     * The column buffer sizes of a full chunk decoded last ({@link RowBuffer#bufferSizes}), and their schema: a
     * new buffer is made that big at once. Until a batch is committed and its buffers come back, each chunk
     * needs one, and growing each of its columns from nothing was a tenth of a one-time Parquet load's CPU.
     */
    private int[] chunkSizes;
    private TableSchema chunkSizesSchema;

    ChunkedDecoding(Executor executor, int parallelism, RecordEncoder encoder, BatchWriter writer) {
        this.executor = executor;
        this.parallelism = parallelism;
        this.encoder = encoder;
        this.writer = writer;
    }

    /**
     * Called after each record added to the batch: forms a chunk every {@value #CHUNK_RECORDS}
     * records and starts it. Returns true when the batch reached {@code maxRows} or
     * {@code maxBytes} (on all chunks but the newest {@code parallelism}) and is to be dispatched now.
     */
    boolean added(Batch batch, Batching batching) throws InterruptedException {
        if (batch.records.size() - batch.chunked < CHUNK_RECORDS) {
            return false;
        }
        start(chunk(batch));
        while (batch.checkedChunks < batch.chunks.size() - parallelism) {
            Chunk c = batch.chunks.get(batch.checkedChunks++);
            c.join();
            chunkSizes = c.rows.bufferSizes(); // decoded, and not yet handed back to decode into again
            chunkSizesSchema = c.rows.schema();
            batch.checkedRows += c.rows.rows();
            batch.checkedBytes += c.rows.byteSize();
        }
        return batch.checkedRows >= batching.maxRows() || batch.checkedBytes >= batching.maxBytes();
    }

    /**
     * Decodes the batch's last records on this thread, waits for its chunks, and makes their
     * buffers the blocks of {@code batch.rows} and their rejected records the batch's errors, in
     * record order. Returns the errors filed, for the listener.
     */
    List<ErrorRecord> finish(Batch batch) throws InterruptedException {
        if (batch.chunked < batch.records.size()) {
            chunk(batch).run();
        }
        for (Chunk c : batch.chunks) {
            c.join();
        }
        for (Chunk c : batch.chunks) {
            if (c.rows.schema() != batch.rows.schema()) {
                // the table changed while the batch was read: encode it anew, for the current columns
                batch.chunks.clear();
                writer.reencode(batch);
                return new ArrayList<>(batch.errors);
            }
        }
        List<ErrorRecord> filed = new ArrayList<>();
        for (Chunk c : batch.chunks) {
            if (c.rows.rows() > 0) {
                batch.rows.appendBlock(c.rows);
            } else {
                spare.add(c.rows);
            }
            for (int i = 0; i < c.errors.size(); i++) {
                batch.file(c.rejected.get(i), c.errors.get(i));
                filed.add(c.errors.get(i));
            }
        }
        batch.chunks.clear();
        return filed;
    }

    /** Takes back the blocks of a committed batch's buffer, to decode into again. */
    void recycle(RowBuffer rows) {
        for (RowBuffer b : rows.detachBlocks()) {
            b.clear();
            spare.add(b);
        }
    }

    /**
     * Stops: chunks the executor has not started are not decoded, and those it is decoding are
     * waited for (each up to {@code timeoutMillis}), so that nothing of the pipe runs after it.
     */
    void stop(long timeoutMillis) {
        for (Chunk c : lent) {
            if (c.claimed.compareAndSet(false, true)) {
                c.done.complete(null);
                continue;
            }
            try {
                c.done.get(timeoutMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | TimeoutException e) {
                // its batch is never inserted: nothing to do with how it ended
            }
        }
        lent.clear();
    }

    private Chunk chunk(Batch batch) {
        // a copy, since the pipe's thread goes on adding to the batch's list; one copy (new ArrayList(subList) makes two)
        List<SourceRecord> records = java.util.Arrays.asList(
                batch.records.subList(batch.chunked, batch.records.size()).toArray(new SourceRecord[0]));
        batch.chunked = batch.records.size();
        Chunk c = new Chunk(records, buffer());
        batch.chunks.add(c);
        return c;
    }

    private RowBuffer buffer() {
        while (!spare.isEmpty()) {
            RowBuffer b = spare.poll();
            if (b.schema() == writer.schema()) {
                return b;
            }
        }
        RowBuffer b = writer.newRowBuffer();
        if (chunkSizesSchema == b.schema()) {
            b.reserve(chunkSizes);
        }
        return b;
    }

    /** Lends the chunk to the executor, or decodes it here when {@code parallelism} chunks are out. */
    private void start(Chunk c) {
        lent.removeIf(x -> x.done.isDone());
        if (lent.size() >= parallelism) {
            c.run();
            return;
        }
        lent.add(c);
        try {
            executor.execute(c);
        } catch (RejectedExecutionException e) {
            lent.remove(c);
            c.run();
        }
    }

    /** A run of a batch's records decoded into a buffer of their own; run once, by whichever thread claims it. */
    final class Chunk implements Runnable {
        final List<SourceRecord> records;
        final RowBuffer rows;
        final List<SourceRecord> rejected = new ArrayList<>();
        final List<ErrorRecord> errors = new ArrayList<>();
        final AtomicBoolean claimed = new AtomicBoolean();
        final CompletableFuture<Void> done = new CompletableFuture<>();

        Chunk(List<SourceRecord> records, RowBuffer rows) {
            this.records = records;
            this.rows = rows;
        }

        @Override
        public void run() {
            if (!claimed.compareAndSet(false, true)) {
                return;
            }
            try {
                encoder.encodeAll(records, rows, (r, error) -> {
                    rejected.add(r);
                    errors.add(error);
                });
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        }

        /** Waits for the chunk, decoding it here if no thread has started it. */
        void join() throws InterruptedException {
            run();
            try {
                done.get();
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof InterruptedException ie) {
                    throw ie;
                }
                throw cause instanceof RuntimeException re ? re : new PipeException(cause.getMessage(), cause);
            }
        }
    }
}
