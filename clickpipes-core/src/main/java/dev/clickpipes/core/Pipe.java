package dev.clickpipes.core;

import dev.clickpipes.clickhouse.TableSchema;
import dev.clickpipes.core.spi.Decoder;
import dev.clickpipes.core.spi.DeliveryState;
import dev.clickpipes.core.spi.Sink;
import dev.clickpipes.core.spi.SinkContext;
import dev.clickpipes.core.spi.SinkException;
import dev.clickpipes.core.spi.Source;
import dev.clickpipes.core.spi.SourceContext;
import dev.clickpipes.core.spi.SourceLag;
import dev.clickpipes.core.spi.SourcePosition;
import dev.clickpipes.core.spi.SourceRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker moving records from a {@link Source} through a {@link Decoder} into a {@link Sink}.
 *
 * <p>The host owns the thread: hand the pipe to an {@link Executor} (or call {@link #run()}), and
 * {@link #close()} it to stop. {@code close()} lets the open batch reach ClickHouse, commits it and
 * returns. A bounded source (a file) makes {@code run()} return by itself when it is read through.
 * The library starts no thread of its own; with {@link Builder#insertExecutor} the host lends one
 * more so that inserting a batch overlaps decoding the next, and with {@link Builder#decodeExecutor}
 * threads that decode parts of a batch side by side.
 *
 * <p>Delivery is at-least-once: a source position is committed only after ClickHouse acknowledged
 * the insert that holds its record; a record that cannot become a row goes to the error table.
 *
 * <pre>{@code
 * Pipe pipe = Pipe.builder()
 *     .name("events")
 *     .source(NdjsonFileSource.of(Path.of("events.ndjson")))
 *     .decoder(Decoders.json())
 *     .sink(ClickHouseSink.builder().endpoint("http://localhost:8123").table("db.events").build())
 *     .build();
 * executor.execute(pipe);
 * ...
 * pipe.close();
 * }</pre>
 */
public final class Pipe implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Pipe.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    private static final Duration IDLE_POLL = Duration.ofMillis(500);
    /** How often the running pipe asks its source for {@link Source#lag()}. */
    private static final long LAG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final String name;
    private final Source source;
    private final Decoder decoder;
    private final Sink sink;
    private final Batching batching;
    private final RetryPolicy retry;
    private final FieldMapping mapping;
    private final Listeners listener;
    private final Executor insertExecutor;
    private final Executor decodeExecutor;
    private final int decodeParallelism;
    private final Duration closeTimeout;
    private final Delivery delivery;

    private final Counters counters = new Counters();
    private final AtomicBoolean started = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CompletableFuture<PipeMetrics> completion = new CompletableFuture<>();
    private volatile boolean stopRequested;
    private volatile boolean abortRequested;
    private volatile Thread runner;
    /**
     * Guards interrupting the runner: close() interrupts it only while it runs the loop, never
     * once it has cleared its interrupt flag to close the source (nor after run() returned).
     */
    private final Object interruptLock = new Object();
    private boolean interruptible; // guarded by interruptLock

    // State of the running loop; touched only by the runner thread.
    private BatchWriter writer;
    private RecordEncoder encoder;
    private OpenBatches batches;
    private ExactlyOnceLedger ledger; // null at least once
    private ChunkedDecoding chunked; // null without a decode executor
    private DeliveryState deliveryState;
    private volatile InsertTask inFlight;
    /** Exactly-once: per partition, the last record dropped as already in ClickHouse, not committed yet. */
    private final Map<String, SourcePosition> alreadyIn = new LinkedHashMap<>();
    /** Exactly-once: partitions let go of while the records of the current poll were added. */
    private final Set<String> lostInThisPoll = new java.util.HashSet<>();
    private volatile SourceLag lag = SourceLag.none();
    private long lagAskedNanos; // runner thread only
    /** Set when run() ended by a failure or an abort: a source's late flush() must not commit then. */
    private volatile boolean failed;

    private Pipe(Builder b) {
        this.name = b.name;
        this.source = b.source;
        this.decoder = b.decoder;
        this.sink = b.sink;
        this.batching = b.batching;
        this.retry = b.retry;
        this.mapping = b.mapping;
        this.listener = new Listeners(b.listener);
        this.insertExecutor = b.insertExecutor;
        this.decodeExecutor = b.decodeExecutor;
        this.decodeParallelism = b.decodeParallelism;
        this.closeTimeout = b.closeTimeout;
        this.delivery = b.delivery;
    }

    /** A builder; {@code name}, {@code source}, {@code decoder} and {@code sink} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The pipe's name. */
    public String name() {
        return name;
    }

    /** A snapshot of the counters, from any thread. */
    public PipeMetrics metrics() {
        InsertTask task = inFlight;
        return counters.snapshot(task != null && !task.done.isDone() ? 1 : 0);
    }

    /** The table the pipe writes, as {@code database.table} (its sink's {@link Sink#table()}; empty if it has none). */
    public String table() {
        return sink.table();
    }

    /**
     * How far behind its source the pipe is, as the source last told it (asked about once a second
     * while the pipe runs, on the pipe's thread); {@link SourceLag#none()} before that or when the
     * source cannot tell. From any thread.
     */
    public SourceLag sourceLag() {
        return lag;
    }

    /**
     * Adds a listener, called after the builder's one and those added before, from the next event
     * on; for code that comes to a pipe after it was built (a metrics binding). From any thread.
     */
    public void addListener(PipeListener value) {
        if (value == null) {
            throw new IllegalArgumentException("Pipe.addListener: the listener is null");
        }
        listener.add(value);
    }

    /** Removes a listener added with {@link #addListener}; false if it was not there. From any thread. */
    public boolean removeListener(PipeListener value) {
        return listener.remove(value);
    }

    /** Completes with the final metrics when {@link #run()} returns, or exceptionally with what stopped it. */
    public CompletableFuture<PipeMetrics> completion() {
        return completion.copy();
    }

    /**
     * Runs the pipe on the calling thread until {@link #close()} is called, the source is finished,
     * or a failure stops it (then throws {@link PipeException}). A pipe runs once.
     */
    @Override
    public void run() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("pipe " + name + " was already run or closed; build a new one");
        }
        runner = Thread.currentThread();
        synchronized (interruptLock) {
            interruptible = true;
        }
        Throwable failure = null;
        try {
            open();
            listener.onStarted(this);
            loop();
            dispatch();
            awaitInFlight();
            commitAlreadyIn();
        } catch (InterruptedException e) {
            failure = abortRequested ? null : e;
        } catch (Throwable t) {
            failure = t;
        } finally {
            failed = failure != null || abortRequested;
            // Closing with the interrupt flag set would break the source's last steps (Kafka's
            // final commit, KCL's lease release): clear it for the close, restore it after.
            boolean interrupted;
            synchronized (interruptLock) {
                interruptible = false; // from here on close() no longer interrupts this thread
                interrupted = Thread.interrupted();
            }
            if (chunked != null) {
                chunked.stop(closeTimeout.toMillis()); // no decoding of this pipe runs after run() returns
            }
            awaitAbandonedInsert();
            closeQuietly();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            finish(failure);
        } finally {
            stopped.countDown(); // after completion() is completed, so close() returns to a finished pipe
        }
    }

    /**
     * After a failure or an abort, waits (bounded) for an insert still running on the host's
     * executor, which is never committed: when run() returns, nothing of the pipe runs.
     */
    private void awaitAbandonedInsert() {
        InsertTask task = inFlight;
        inFlight = null;
        if (task == null || task.done.isDone()) {
            return;
        }
        sink.abortInFlight();
        Thread t = task.thread;
        if (t != null) {
            t.interrupt();
        }
        try {
            task.done.get(closeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.debug("pipe {}: abandoned insert ended with {}", name, e.toString());
        }
    }

    private void finish(Throwable failure) {
        if (failure == null) {
            LOG.info("pipe {} stopped: {}", name, metrics());
            listener.onStopped(this, null);
            completion.complete(metrics());
            return;
        }
        counters.lastError = String.valueOf(failure.getMessage());
        LOG.error("pipe {} failed: {}", name, failure.getMessage(), failure);
        listener.onStopped(this, failure);
        completion.completeExceptionally(failure);
        if (failure instanceof PipeException pe) {
            throw pe;
        }
        throw new PipeException("pipe " + name + " failed: " + failure.getMessage(), failure);
    }

    private void open() throws Exception {
        TableSchema schema;
        try {
            schema = sink.open(new SinkReports());
        } catch (SinkException e) {
            throw new PipeException("pipe " + name + " cannot open " + sink.describe() + ": " + e.getMessage(), e);
        }
        Set<String> virtuals = source.virtualColumns();
        encoder = new RecordEncoder(name, source.describe(), decoder, retry, () -> abortRequested);
        writer = new BatchWriter(this, sink, schema, encoder, retry, mapping, virtuals, listener, counters,
                () -> abortRequested);
        batches = new OpenBatches(delivery == Delivery.EXACTLY_ONCE, writer);
        if (decodeExecutor != null) {
            chunked = new ChunkedDecoding(decodeExecutor, decodeParallelism, encoder, writer);
        }
        if (delivery == Delivery.EXACTLY_ONCE) {
            try {
                deliveryState = sink.deliveryState();
            } catch (SinkException e) {
                throw new PipeException("pipe " + name + " cannot deliver exactly once: " + e.getMessage(), e);
            }
            ledger = new ExactlyOnceLedger(name, deliveryState, retry, () -> abortRequested);
        }
        source.open(new Context());
        LOG.info("pipe {} started: {} -> {} -> {}", name, source.describe(), decoder.name(), sink.describe());
    }

    private void loop() throws Exception {
        while (!stopRequested) {
            List<? extends SourceRecord> records = source.poll(pollWait());
            if (!records.isEmpty()) {
                long bytes = 0;
                int taken = 0;
                lostInThisPoll.clear();
                for (SourceRecord r : records) {
                    if (stopRequested) {
                        break; // close() was called: the rest stays uncommitted, to be read again
                    }
                    if (!lostInThisPoll.isEmpty() && lostInThisPoll.contains(r.partition())) {
                        continue; // let go of (another worker's now); the source no longer reads it
                    }
                    add(r);
                    bytes += r.length();
                    taken++;
                }
                counters.recordsRead.addAndGet(taken);
                counters.bytesRead.addAndGet(bytes);
            }
            for (Batch b : batches.all()) {
                if (b.ageNanos() >= batching.maxAge().toNanos() && !rebuilding(b)) {
                    dispatch(b);
                }
            }
            commitIfInserted();
            boolean finished = records.isEmpty() && source.finished();
            askLag(finished); // the last answer of a finished source is its final one: ask it now
            if (finished) {
                return;
            }
        }
    }

    /** Refreshes {@link #sourceLag()} when a second has passed (or {@code now}); a source that fails to tell keeps the last answer. */
    private void askLag(boolean now) {
        long time = System.nanoTime();
        if (!now && lagAskedNanos != 0 && time - lagAskedNanos < LAG_EVERY_NANOS) {
            return;
        }
        lagAskedNanos = time;
        try {
            SourceLag answer = source.lag();
            lag = answer == null ? SourceLag.none() : answer;
        } catch (RuntimeException e) {
            LOG.debug("pipe {}: {} could not tell its lag: {}", name, source.describe(), e.toString());
            return;
        }
        listener.onLag(this, lag);
    }

    private void add(SourceRecord record) throws InterruptedException {
        String partition = record.partition();
        if (ledger != null) {
            if (ledger.alreadyIn(record)) {
                // inserted before a restart (the source resumed before it): not again, but committed,
                // so that the source records its progress (an object's last row marks it done)
                alreadyIn.put(partition, record.position());
                return;
            }
            Batch open = batches.peek(partition);
            if (open != null && !open.isEmpty() && ledger.pastPending(record)) {
                dispatch(open); // the interrupted range ended before this record (it was deleted from the source)
            }
        }
        Batch batch = batches.forPartition(partition);
        batch.add(record);
        boolean full;
        if (chunked != null) {
            full = chunked.added(batch, batching); // decoded in chunks, filed at dispatch
        } else {
            ErrorRecord error = encoder.encode(record, batch.rows);
            if (error != null) {
                batch.file(record, error);
                rejected(error);
            }
            full = batch.rows.rows() >= batching.maxRows() || batch.reachedBytes(batching.maxBytes());
        }
        if (ledger != null && ledger.rebuilding(partition)) {
            if (ledger.endsPending(record)) {
                dispatch(batch); // exactly the interrupted range, whatever the batching says
            }
        } else if (full) {
            dispatch(batch);
        }
    }

    /** A record was filed as an error, by the decoder, the insert or the sink: the last error, and the listener. */
    void rejected(ErrorRecord error) {
        counters.lastError = error.message();
        listener.onRecordRejected(this, error);
    }

    /** True for a batch rebuilding an interrupted range that is not complete yet: only its last record cuts it. */
    private boolean rebuilding(Batch batch) {
        return ledger != null && !batch.isEmpty() && ledger.rebuilding(batch.records.get(0).partition());
    }

    private Duration pollWait() {
        long age = batches.oldestAgeNanos();
        if (age == 0) {
            return IDLE_POLL;
        }
        long left = batching.maxAge().toNanos() - age;
        return Duration.ofNanos(Math.max(0, Math.min(left, IDLE_POLL.toNanos())));
    }

    /** Sends every open batch, except interrupted ranges not yet rebuilt (they stay uncommitted). */
    private void dispatch() throws InterruptedException {
        for (Batch b : batches.all()) {
            if (!rebuilding(b)) {
                dispatch(b);
            }
        }
    }

    /** Sends this open batch to the sink (inline, or on the insert executor); at most one is in flight. */
    private void dispatch(Batch batch) throws InterruptedException {
        batches.take(batch);
        if (batch.isEmpty()) {
            batches.recycle(batch);
            return;
        }
        if (chunked != null) {
            for (ErrorRecord error : chunked.finish(batch)) { // decoded while the last insert runs
                rejected(error);
            }
        }
        awaitInFlight();
        if (ledger != null) {
            try {
                ledger.begin(batch); // written before the insert: a crash from here on re-sends exactly this range
            } catch (ExactlyOnceLedger.Lost lost) {
                letGo(batch, lost);
                return;
            }
        }
        InsertTask task = new InsertTask(batch);
        inFlight = task;
        if (insertExecutor == null) {
            task.run();
        } else {
            try {
                insertExecutor.execute(task);
            } catch (RejectedExecutionException e) {
                LOG.warn("pipe {}: the insert executor rejected a batch ({}); inserting it on the pipe's thread", name,
                        e.toString());
                task.run();
            }
        }
        commitIfInserted();
    }

    private void commitIfInserted() throws InterruptedException {
        if (inFlight != null && inFlight.done.isDone()) {
            awaitInFlight();
        }
        commitAlreadyIn();
    }

    /**
     * Commits the records dropped as already in ClickHouse, each partition's once no earlier record
     * of it is uncommitted (in an open batch or the one in flight): a commit says "up to here".
     */
    private void commitAlreadyIn() throws InterruptedException {
        if (alreadyIn.isEmpty()) {
            return;
        }
        List<SourcePosition> ready = new ArrayList<>();
        Iterator<Map.Entry<String, SourcePosition>> it = alreadyIn.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, SourcePosition> e = it.next();
            Batch open = batches.peek(e.getKey());
            if ((open == null || open.isEmpty()) && (inFlight == null || !inFlight.batch.holds(e.getKey()))) {
                ready.add(e.getValue());
                it.remove();
            }
        }
        if (!ready.isEmpty()) {
            commitToSource(ready, "records already in ClickHouse");
        }
    }

    private void commitToSource(Collection<SourcePosition> positions, String what) throws InterruptedException {
        try {
            source.commit(positions);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new PipeException("pipe " + name + ": committing " + source.describe() + " failed after the insert: "
                    + e.getMessage() + " (" + what + " are in ClickHouse; a restart may read them again)", e);
        }
    }

    /**
     * Waits for the batch in flight, then commits its positions (on this thread: sources are
     * single-threaded). An insert the executor has not started yet is run here instead, so a
     * pipe whose insert executor is the busy pool it runs on cannot deadlock.
     */
    private void awaitInFlight() throws InterruptedException {
        InsertTask task = inFlight;
        if (task == null) {
            return;
        }
        task.run(); // does nothing when the executor already took it
        try {
            task.done.get();
        } catch (ExecutionException e) {
            inFlight = null; // failed: never committed, and never waited for again
            Throwable cause = e.getCause();
            if (cause instanceof InterruptedException ie) {
                throw ie;
            }
            throw cause instanceof RuntimeException re ? re : new PipeException(cause.getMessage(), cause);
        }
        inFlight = null;
        Batch batch = task.batch;
        if (ledger != null) {
            try {
                ledger.complete(batch);
            } catch (ExactlyOnceLedger.Lost lost) {
                letGo(batch, lost); // inserted, with the token the new owner's insert of the range has too
                return;
            }
        }
        commitToSource(batch.positions(), "the batch's records");
        counters.batches.incrementAndGet();
        counters.committedRows.addAndGet(batch.rowsInserted());
        listener.onBatchCommitted(this, new BatchReport(batch.rowsInserted(), batch.errorCount(),
                batch.rows.byteSize(), batch.attempts, Duration.ofNanos(batch.insertNanos)));
        for (ErrorRecord error : batch.errors) {
            LOG.debug("pipe {}: filed {} at {}: {}", name, error.kind(), error.position(), error.message());
        }
        reuse(batch);
    }

    /** Empties a batch done with (committed or dropped) for reuse, with its chunks' buffers. */
    private void reuse(Batch batch) {
        if (chunked != null) {
            chunked.recycle(batch.rows);
        }
        batch.clear();
        batches.recycle(batch);
    }

    /**
     * Another worker took the batch's partition over: the batch is dropped uncommitted and the
     * source asked to let the partition go; a source that cannot fails the pipe with the reason.
     */
    private void letGo(Batch batch, ExactlyOnceLedger.Lost lost) throws InterruptedException {
        String partition = lost.reason.partition();
        lostInThisPoll.add(partition);
        reuse(batch);
        alreadyIn.remove(partition);
        boolean released;
        try {
            released = source.partitionLost(partition);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new PipeException("pipe " + name + ": " + source.describe() + " failed to let go of " + partition
                    + ": " + e.getMessage(), e);
        }
        if (!released) {
            throw new PipeException("pipe " + name + ": " + lost.getMessage() + "; the pipe stops", lost.reason);
        }
        LOG.warn("pipe {}: {}; its batch is dropped and {} lets it go", name, lost.getMessage(), source.describe());
    }

    /** One batch's insert: run once, by the insert executor or, if it has not started it, by the pipe's thread. */
    private final class InsertTask implements Runnable {
        final Batch batch;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        private final AtomicBoolean claimed = new AtomicBoolean();
        volatile Thread thread;

        InsertTask(Batch batch) {
            this.batch = batch;
        }

        @Override
        public void run() {
            if (!claimed.compareAndSet(false, true)) {
                return;
            }
            thread = Thread.currentThread();
            try {
                writer.write(batch);
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            } finally {
                thread = null;
            }
        }
    }

    /**
     * Stops the pipe: the open batch is inserted and committed, then the source and sink are closed.
     * Waits for that up to the close timeout (default 30 s); past it, retries are abandoned and
     * the batch is left uncommitted, to be read again by the next run. Safe to call from any thread,
     * more than once, and before {@link #run()} (which then never runs).
     */
    @Override
    public void close() {
        stopRequested = true;
        if (started.compareAndSet(false, true)) {
            closeQuietly();
            stopped.countDown();
            completion.complete(metrics());
            return;
        }
        InsertTask task = inFlight;
        if (Thread.currentThread() == runner || task != null && Thread.currentThread() == task.thread) {
            return; // called from a listener: the pipe stops when the callback returns
        }
        try {
            if (!stopped.await(closeTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("pipe {} did not finish within {}; abandoning its retries", name, closeTimeout);
                abortRequested = true;
                sink.abortInFlight(); // an insert blocked in a socket read fails now
                synchronized (interruptLock) {
                    // Not once the runner is closing the source: that may take a while (a final
                    // commit), and abortInFlight() may have let the runner get there already.
                    if (interruptible) {
                        Thread r = runner;
                        if (r != null) {
                            r.interrupt();
                        }
                        InsertTask running = inFlight;
                        Thread inserting = running == null ? null : running.thread;
                        if (inserting != null) {
                            inserting.interrupt(); // out of a retry backoff
                        }
                    }
                }
                stopped.await(closeTimeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeQuietly() {
        try {
            source.close();
        } catch (Exception e) {
            LOG.warn("pipe {}: closing {} failed: {}", name, source.describe(), e.toString());
        }
        if (deliveryState != null) {
            try {
                deliveryState.close();
            } catch (RuntimeException e) {
                LOG.warn("pipe {}: closing {} failed: {}", name, deliveryState.describe(), e.toString());
            }
        }
        try {
            sink.close();
        } catch (RuntimeException e) {
            LOG.warn("pipe {}: closing {} failed: {}", name, sink.describe(), e.toString());
        }
    }

    @Override
    public String toString() {
        return "Pipe[" + name + "]";
    }

    /** What sources may ask of the running pipe. */
    private final class Context implements SourceContext {
        @Override
        public String pipeName() {
            return name;
        }

        @Override
        public void flush() throws InterruptedException {
            if (failed) {
                return; // the pipe failed or was aborted: nothing more is inserted or committed
            }
            dispatch();
            awaitInFlight();
            commitAlreadyIn(); // while the partitions are still this worker's
            if (ledger != null) {
                ledger.forget(); // the source is giving partitions away: read their state again if they come back
            }
        }
    }

    /** What the sink tells the pipe: records it filed itself count as error rows. */
    private final class SinkReports implements SinkContext {
        @Override
        public String pipeName() {
            return name;
        }

        @Override
        public void filed(List<ErrorRecord> errors, int rows) {
            writer.filedBySink(errors, rows);
        }
    }

    /** Builds a {@link Pipe}; every setting is checked at {@link #build()}. */
    public static final class Builder {
        private String name;
        private Source source;
        private Decoder decoder;
        private Sink sink;
        private Batching batching = Batching.defaults();
        private RetryPolicy retry = RetryPolicy.defaults();
        private FieldMapping mapping = FieldMapping.byName();
        private PipeListener listener = new PipeListener() {
        };
        private Executor insertExecutor;
        private Executor decodeExecutor;
        private int decodeParallelism = 1;
        private Duration closeTimeout = Duration.ofSeconds(30);
        private Delivery delivery = Delivery.AT_LEAST_ONCE;

        private Builder() {
        }

        /**
         * What the pipe promises about each record; default {@link Delivery#AT_LEAST_ONCE}.
         * {@link Delivery#EXACTLY_ONCE} needs a sink that keeps delivery state and a target table
         * that deduplicates inserts; both are checked when the pipe starts.
         */
        public Builder delivery(Delivery value) {
            delivery = value;
            return this;
        }

        /** The pipe's name: letters, digits, {@code _ . -}, up to 128; names the consumer group and error rows. Required. */
        public Builder name(String value) {
            name = value;
            return this;
        }

        /** Where records come from. Required. */
        public Builder source(Source value) {
            source = value;
            return this;
        }

        /** How record bytes become rows, e.g. {@code Decoders.json()}. Required. */
        public Builder decoder(Decoder value) {
            decoder = value;
            return this;
        }

        /** Where rows go, e.g. a {@code ClickHouseSink}. Required. */
        public Builder sink(Sink value) {
            sink = value;
            return this;
        }

        /** When a batch closes; default {@link Batching#defaults()} (100 000 rows, 20 MB, 5 s). */
        public Builder batching(Batching value) {
            batching = value;
            return this;
        }

        /** How failed inserts are retried; default {@link RetryPolicy#defaults()} (forever, 200 ms to 30 s). */
        public Builder retry(RetryPolicy value) {
            retry = value;
            return this;
        }

        /** How record fields find columns; default by name, exact case. */
        public Builder mapping(FieldMapping value) {
            mapping = value;
            return this;
        }

        /** Receives the pipe's events; default none. */
        public Builder listener(PipeListener value) {
            listener = value;
            return this;
        }

        /**
         * Runs inserts on this executor, so that decoding the next batch overlaps inserting the
         * previous one (at most one insert in flight; commits stay in order). Default: none, the
         * pipe's own thread inserts.
         */
        public Builder insertExecutor(Executor value) {
            insertExecutor = value;
            return this;
        }

        /**
         * Decodes batches in chunks of 4 096 records side by side, on this executor as well as on
         * the pipe's thread: up to {@link #decodeParallelism} chunks at a time run on the executor,
         * and the pipe's thread decodes the next one itself when they are all busy. Each chunk has
         * its own column buffers; an insert sends them as consecutive Native blocks, in record
         * order, so rows and their order within a partition are as with one thread. Batch
         * boundaries still depend on the records alone (exactly-once rebuilds them), but close at
         * a chunk boundary: {@code maxRows} and {@code maxBytes} are checked as each chunk starts,
         * on the chunks but the newest {@code decodeParallelism} (which may still be decoding), so
         * a batch may hold up to {@code decodeParallelism + 1} chunks past them. Rejected records
         * reach the listener when their batch is dispatched. Default: none, the pipe's thread
         * decodes each record as it comes.
         */
        public Builder decodeExecutor(Executor value) {
            decodeExecutor = value;
            return this;
        }

        /** How many chunks may decode on the {@link #decodeExecutor} at once; default 1, at most 256. */
        public Builder decodeParallelism(int value) {
            decodeParallelism = value;
            return this;
        }

        /** How long {@link Pipe#close()} waits for the last batch; default 30 s. */
        public Builder closeTimeout(Duration value) {
            closeTimeout = value;
            return this;
        }

        /** The pipe; fails with a message naming the first missing or invalid setting. */
        public Pipe build() {
            if (name == null || !NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("Pipe.name must be 1-128 of [A-Za-z0-9_.-] starting with a letter or digit, was "
                        + (name == null ? "not set" : "'" + name + "'"));
            }
            require(source, "source", "e.g. .source(NdjsonFileSource.of(path))");
            require(decoder, "decoder", "e.g. .decoder(Decoders.json())");
            require(sink, "sink", "e.g. .sink(ClickHouseSink.builder()...build())");
            require(batching, "batching", "e.g. .batching(Batching.defaults())");
            require(retry, "retry", "e.g. .retry(RetryPolicy.defaults())");
            require(mapping, "mapping", "e.g. .mapping(FieldMapping.byName())");
            require(listener, "listener", "or leave it unset");
            require(closeTimeout, "closeTimeout", "e.g. .closeTimeout(Duration.ofSeconds(30))");
            require(delivery, "delivery", "e.g. .delivery(Delivery.EXACTLY_ONCE)");
            if (decodeParallelism < 1 || decodeParallelism > 256) {
                throw new IllegalArgumentException("Pipe.decodeParallelism must be 1..256, was " + decodeParallelism
                        + ": the number of chunks decoding on the decodeExecutor at once");
            }
            return new Pipe(this);
        }

        private static void require(Object value, String field, String hint) {
            if (value == null) {
                throw new IllegalArgumentException("Pipe." + field + " is not set: " + hint);
            }
        }
    }
}
