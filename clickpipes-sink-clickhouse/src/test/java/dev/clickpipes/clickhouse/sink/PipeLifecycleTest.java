package dev.clickpipes.clickhouse.sink;

import static dev.clickpipes.clickhouse.sink.FaultyTransport.server;
import static dev.clickpipes.clickhouse.sink.PipeFailureModesTest.event;
import static dev.clickpipes.clickhouse.sink.PipeDeliveryTest.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clickpipes.clickhouse.ClickHouseException;
import dev.clickpipes.clickhouse.ClickHouseTransport;
import dev.clickpipes.core.Batching;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.core.PipeException;
import dev.clickpipes.core.PipeListener;
import dev.clickpipes.core.RetryPolicy;
import dev.clickpipes.core.spi.SinkException;
import dev.clickpipes.format.Decoders;
import dev.clickpipes.source.memory.MemorySource;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import dev.clickpipes.testkit.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * close(), aborts, late flushes and the host's executors: what the pipe does to its source and its
 * threads when an insert is stuck, failed, or runs on a pool the pipe shares.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PipeLifecycleTest {

    private static final RetryPolicy QUICK = RetryPolicy.of(Duration.ofMillis(10), Duration.ofMillis(50), 5);

    private final EmbeddedClickHouse clickhouse = EmbeddedClickHouse.shared();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private TestDatabase db;
    private String table;

    @BeforeEach
    void createTable() throws Exception {
        db = clickhouse.newDatabase();
        table = db.name() + ".events";
        clickhouse.query("CREATE TABLE " + table + " (id UInt32, name String, amount Int16, ts DateTime('UTC'))"
                + " ENGINE = MergeTree ORDER BY id");
    }

    @AfterEach
    void dropTable() throws Exception {
        threads.shutdownNow();
        threads.awaitTermination(10, TimeUnit.SECONDS);
        db.close();
    }

    private Pipe.Builder pipe(ProbeSource source, ClickHouseTransport transport) {
        return Pipe.builder()
                .name("lifecycle")
                .source(source)
                .decoder(Decoders.json())
                .retry(QUICK)
                .sink(ClickHouseSink.builder().transport(transport).table(table).build());
    }

    private long count() throws Exception {
        return clickhouse.queryLong("SELECT count() FROM " + table);
    }

    /** The first insert blocks until the transport is aborted, then fails; later inserts work. */
    private FaultyTransport firstInsertBlocks() {
        return new FaultyTransport(clickhouse, insert -> {
            if (insert.number == 1) {
                insert.blockUntilAborted();
                throw new ClickHouseException(SinkException.Kind.RETRYABLE, 0, "test server: connection closed", null);
            }
            insert.proceed();
        });
    }

    private void runInBackground(Pipe pipe) {
        threads.execute(() -> {
            try {
                pipe.run();
            } catch (PipeException expected) {
                // an aborted or failed pipe throws; the tests look at what it left behind
            }
        });
    }

    // 6. The source is closed with the interrupt flag clear, also when close() aborts the pipe.

    @Test
    void anAbortedPipeClosesItsSourceWithTheInterruptFlagClear() throws Exception {
        // Closing sockets takes a moment; the source's own close (a final commit) too. The pipe must
        // not interrupt its thread once it is closing the source.
        FaultyTransport blocking = firstInsertBlocks().abortTakes(200);
        ProbeSource source = new ProbeSource(MemorySource.open()).closeTakes(500);
        Pipe pipe = pipe(source, blocking).batching(Batching.builder().maxRows(1).build())
                .closeTimeout(Duration.ofMillis(500)).build();
        runInBackground(pipe);
        source.memory.offer(event(1));
        waitFor(() -> blocking.active.get() == 1);

        pipe.close();

        assertThat(pipe.completion()).isDone();
        assertThat(source.closed).isTrue();
        assertThat(source.closedInterrupted).as("source closed with the interrupt flag set").isFalse();
        assertThat(source.commits.get()).isZero();
    }

    // 7. close() while an insert is blocked: it ends, and nothing is committed later.

    @ParameterizedTest(name = "insertExecutor={0}")
    @ValueSource(booleans = {false, true})
    void closeWhileAnInsertIsBlockedEndsItAndNothingIsCommittedLater(boolean withExecutor) throws Exception {
        FaultyTransport blocking = firstInsertBlocks();
        ProbeSource source = new ProbeSource(MemorySource.open());
        Pipe.Builder builder = pipe(source, blocking).batching(Batching.builder().maxRows(2).build())
                .closeTimeout(Duration.ofSeconds(1));
        if (withExecutor) {
            builder.insertExecutor(threads);
        }
        Pipe pipe = builder.build();
        runInBackground(pipe);
        source.memory.offer(event(1)).offer(event(2)).offer(event(3));
        waitFor(() -> blocking.active.get() == 1);

        long start = System.nanoTime();
        pipe.close();
        long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(closeMillis).isLessThan(5000);
        assertThat(pipe.completion()).isDone();
        assertThat(blocking.active.get()).as("inserts still running after close()").isZero();
        Thread.sleep(1500); // a retry or a commit that outlived close() would show now
        assertThat(blocking.active.get()).isZero();
        assertThat(blocking.inserts.get()).isEqualTo(1); // no retry after the abort
        assertThat(source.commits.get()).isZero();
        assertThat(source.memory.committedOffset()).isEqualTo(-1);
        assertThat(count()).isZero();
        assertThat(source.closed).isTrue();
    }

    // 8. Rejected records always go somewhere.

    @Test
    void turningTheErrorTableOffNeedsAnErrorHandlerOrDiscard() {
        assertThatThrownBy(() -> ClickHouseSink.builder().transport(clickhouse).table(table).errorTable(false).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("errorTable(false)")
                .hasMessageContaining("errorHandler")
                .hasMessageContaining("discardRejectedRecords()");
        // Either way out builds.
        ClickHouseSink.builder().transport(clickhouse).table(table).errorTable(false).errorHandler(errors -> { }).build();
        ClickHouseSink.builder().transport(clickhouse).table(table).discardRejectedRecords().build();
    }

    // 9. A failed pipe never commits from a late flush(); a rejecting executor does not fail the pipe.

    @Test
    void aSourceFlushingInItsCloseAfterAFailedInsertCommitsNothingMore() throws Exception {
        FaultyTransport denied = new FaultyTransport(clickhouse, insert -> {
            if (insert.number == 2) {
                throw server(497, "default: Not enough privileges. To execute this query, it's necessary to have"
                        + " the grant INSERT(id, name, amount, ts) ON " + table + ". (ACCESS_DENIED)");
            }
            insert.proceed(); // the grant is back: a late insert would land
        });
        List<String> records = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            records.add(event(i));
        }
        ProbeSource source = new ProbeSource(MemorySource.of(records)).flushOnClose();
        Pipe pipe = pipe(source, denied).batching(Batching.builder().maxRows(5).build()).build();

        assertThatThrownBy(pipe::run).isInstanceOf(PipeException.class).hasMessageContaining("ACCESS_DENIED");

        assertThat(source.closed).isTrue();
        assertThat(source.commits.get()).isEqualTo(1); // batch 1 only; the old code committed batch 2 in flush()
        assertThat(source.memory.committedOffset()).isEqualTo(4);
        assertThat(count()).isEqualTo(5);
    }

    @Test
    void anInsertExecutorThatRejectsTheBatchMakesThePipeInsertItInline() throws Exception {
        List<String> records = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            records.add(event(i));
        }
        ProbeSource source = new ProbeSource(MemorySource.of(records));
        Pipe pipe = pipe(source, clickhouse).batching(Batching.builder().maxRows(5).build())
                .insertExecutor(task -> {
                    throw new RejectedExecutionException("pool is saturated");
                })
                .build();
        pipe.run();
        assertThat(count()).isEqualTo(12);
        assertThat(source.memory.committedOffset()).isEqualTo(11);
        assertThat(source.commits.get()).isEqualTo(3);
    }

    // 11. No deadlock on a shared pool; close() from a listener returns at once.

    @Test
    void anInsertExecutorThatIsTheSingleThreadThePipeRunsOnDoesNotDeadlock() throws Exception {
        ExecutorService single = Executors.newSingleThreadExecutor();
        try {
            List<String> records = new ArrayList<>();
            for (int i = 0; i < 250; i++) {
                records.add(event(i));
            }
            ProbeSource source = new ProbeSource(MemorySource.of(records));
            Pipe pipe = pipe(source, clickhouse).batching(Batching.builder().maxRows(50).build())
                    .insertExecutor(single).build();
            single.execute(pipe);
            pipe.completion().get(30, TimeUnit.SECONDS);
            assertThat(count()).isEqualTo(250);
            assertThat(source.memory.committedOffset()).isEqualTo(249);
            assertThat(source.commits.get()).isEqualTo(5);
        } finally {
            single.shutdownNow();
        }
    }

    @ParameterizedTest(name = "insertExecutor={0}")
    @ValueSource(booleans = {false, true})
    void closeCalledFromOnRetryReturnsPromptly(boolean withExecutor) throws Exception {
        FaultyTransport flaky = new FaultyTransport(clickhouse, insert -> {
            if (insert.number == 1) {
                throw server(210, "Connection reset by peer, while writing to socket (127.0.0.1:9000). (NETWORK_ERROR)");
            }
            insert.proceed();
        });
        ProbeSource source = new ProbeSource(MemorySource.open());
        AtomicLong closeMillis = new AtomicLong(-1);
        Pipe.Builder builder = pipe(source, flaky).batching(Batching.builder().maxRows(3).build())
                .closeTimeout(Duration.ofSeconds(20))
                .listener(new PipeListener() {
                    @Override
                    public void onRetry(Pipe p, int attempt, Exception failure, long backoffMillis) {
                        long start = System.nanoTime();
                        p.close();
                        closeMillis.set(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                    }
                });
        if (withExecutor) {
            builder.insertExecutor(threads);
        }
        Pipe pipe = builder.build();
        runInBackground(pipe);
        source.memory.offer(event(1)).offer(event(2)).offer(event(3));

        pipe.completion().get(10, TimeUnit.SECONDS); // well under the 20 s close timeout
        assertThat(closeMillis.get()).isBetween(0L, 1000L);
        assertThat(count()).isEqualTo(3); // the retry went on: close() lets the open batch land
        assertThat(source.memory.committedOffset()).isEqualTo(2);
    }
}
