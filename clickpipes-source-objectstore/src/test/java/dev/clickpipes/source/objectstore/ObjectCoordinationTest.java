package dev.clickpipes.source.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clickpipes.clickhouse.ClickHouseException;
import dev.clickpipes.clickhouse.ClickHouseTransport;
import dev.clickpipes.clickhouse.ForwardingTransport;
import dev.clickpipes.core.BatchReport;
import dev.clickpipes.core.Batching;
import dev.clickpipes.core.Delivery;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.core.PipeListener;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import dev.clickpipes.testkit.TestDatabase;
import dev.clickpipes.testservices.TestSourceContext;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several workers of one pipe sharing local objects through the state table of the shared engine
 * (KeeperMap on the shared ZooKeeper for leases, a MergeTree log otherwise): one test per case a
 * review traced in the earlier "earliest live claim wins" design, each asserting the rows in
 * ClickHouse against what was written.
 */
class ObjectCoordinationTest {

    private static final int LINES = 200;

    static EmbeddedClickHouse clickhouse;
    static TestDatabase db;
    @TempDir
    Path dir;

    /** The scheduler the tests with {@code leaseRenewal} lend their sources, as a host would. */
    static ScheduledExecutorService renewals;

    @BeforeAll
    static void start() throws Exception {
        clickhouse = EmbeddedClickHouse.shared();
        db = clickhouse.newDatabase();
        renewals = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterAll
    static void stop() {
        renewals.shutdownNow();
    }

    private static String table(String name) throws Exception {
        return TestPipes.eventsTable(db, name);
    }

    /**
     * {@code count} objects {@code <folder>/o-000.ndjson ...} of {@value #LINES} lines, ids
     * 0..count*LINES-1; those already there are left alone (written again, they would be new
     * versions, loaded again).
     */
    private void objects(String folder, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            Path file = dir.resolve(String.format("%s/o-%03d.ndjson", folder, i));
            if (!java.nio.file.Files.exists(file)) {
                LocalObjectStoreTest.write(file, TestPipes.events(i * LINES, LINES), "none");
            }
        }
    }

    private ObjectStoreSource.Builder source(String folder, String state, Coordination coordination) {
        return ObjectStoreSource.builder().url(dir.toUri() + folder + "/*.ndjson").stateStore(clickhouse, state)
                .coordination(coordination);
    }

    private static Pipe pipe(String name, ObjectStoreSource source, String table) {
        return TestPipes.pipe(name, source, clickhouse, table)
                .batching(Batching.builder().maxRows(LINES).maxAge(Duration.ofMillis(100)).build()).build();
    }

    /** Runs one-time pipes side by side; every one must return by itself within the timeout. */
    private static void runAll(Duration timeout, Pipe... pipes) throws Exception {
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (Pipe p : pipes) {
            running.add(TestPipes.start(p));
        }
        for (CompletableFuture<Void> r : running) {
            try {
                r.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                // a pipe that never returns (seen once): say where every thread is before failing
                Thread.getAllStackTraces().forEach((t, stack) -> {
                    System.err.println("thread " + t.getName() + " (" + t.getState() + ")");
                    for (StackTraceElement frame : stack) {
                        System.err.println("    at " + frame);
                    }
                });
                printEngineStatements();
                throw e;
            }
        }
    }

    /**
     * For a timeout's report: the statements the engine runs now and for how long (a thread in the
     * engine's native call shows only that in its stack). Asked on a thread of its own and waited
     * for 10 s at most, since an engine that hangs may not answer.
     */
    private static void printEngineStatements() {
        CompletableFuture<String> running = CompletableFuture.supplyAsync(() -> {
            try {
                return clickhouse.query("SELECT elapsed, query FROM system.processes WHERE query NOT LIKE '%system.processes%'");
            } catch (ClickHouseException ex) {
                return "cannot tell: " + ex.getMessage();
            }
        }, task -> {
            Thread t = new Thread(task, "engine-statements");
            t.setDaemon(true);
            t.start();
        });
        try {
            System.err.println("statements the engine runs (seconds, statement):\n" + running.get(10, TimeUnit.SECONDS));
        } catch (Exception ex) {
            System.err.println("the engine did not say within 10 s what it runs: " + ex);
        }
    }

    private static void assertEveryRowOnce(String table, long rows) throws Exception {
        assertThat(clickhouse.queryLong("SELECT count() FROM " + table)).isEqualTo(rows);
        assertThat(clickhouse.queryLong("SELECT uniqExact(id) FROM " + table)).isEqualTo(rows);
        assertThat(clickhouse.queryLong("SELECT sum(id) FROM " + table)).isEqualTo(rows * (rows - 1) / 2);
    }

    /** A worker that takes objects and then falls silent (a process killed): it never renews or finishes them. */
    private LeasedObjectStates deadWorker(String state, String pipe, String worker, Duration lease, String... names)
            throws Exception {
        LeasedObjectStates dead = new LeasedObjectStates(clickhouse, state, pipe, worker, lease);
        dead.open();
        for (String n : names) {
            ObjectInfo o = new ObjectInfo(n, 1, Instant.EPOCH, ""); // keys are relative to the folder before the glob
            assertThat(dead.take(o, false)).as("the dead worker takes " + n).isNotNull();
        }
        return dead;
    }

    @Test
    void aDeadWorkersObjectsAreTakenOverWhileTwoOthersRemain() throws Exception {
        objects("dead", 20);
        String state = db.table("dead_state");
        String t = table("t_dead");
        deadWorker(state, "dead", "gone", Duration.ofSeconds(1), "o-003.ndjson", "o-011.ndjson");
        Coordination leases = Coordination.leases(Duration.ofSeconds(1));
        runAll(Duration.ofSeconds(90),
                pipe("dead", source("dead", state, leases).workerId("w1").build(), t),
                pipe("dead", source("dead", state, leases).workerId("w2").build(), t));
        assertEveryRowOnce(t, 20L * LINES);
    }

    /**
     * A one-time load whose every object left is held by another live worker (here a dead one's,
     * under a 1 minute lease) waits in each poll, up to the time the pipe gives, for its next look
     * at them (every second here): polls of up to 500 ms for 1.5 s are a few, all empty. Before,
     * each returned at once, and the pipe's thread spun through empty polls for the whole lease.
     */
    @Test
    void aWorkerWaitingForObjectsHeldElsewhereWaitsInItsPolls() throws Exception {
        objects("waits", 1);
        String state = db.table("waits_state");
        deadWorker(state, "waits", "gone", Duration.ofMinutes(1), "o-000.ndjson");
        try (ObjectStoreSource source = source("waits", state, Coordination.leases(Duration.ofMinutes(1))).workerId("w")
                .build()) {
            source.open(new TestSourceContext("waits"));
            long until = System.nanoTime() + Duration.ofMillis(1500).toNanos();
            int polls = 0;
            while (System.nanoTime() < until) {
                assertThat(source.poll(Duration.ofMillis(500))).isEmpty();
                polls++;
            }
            assertThat(polls).as("polls in 1.5 s").isBetween(2, 6);
            assertThat(source.finished()).as("o-000 is not done").isFalse();
        }
    }

    @Test
    void aRestartWithANewIdWithinTheLeaseFinishesOnlyWhenEveryObjectIsIn() throws Exception {
        objects("restart", 6);
        String state = db.table("restart_state");
        String t = table("t_restart");
        deadWorker(state, "restart", "restart-old-incarnation", Duration.ofSeconds(2), "o-000.ndjson",
                "o-004.ndjson");
        // default worker id: the pipe's name and a random UUID, as after a restart
        long started = System.nanoTime();
        runAll(Duration.ofSeconds(60), pipe("restart", source("restart", state, Coordination.leases(Duration.ofSeconds(2)))
                .build(), t));
        assertEveryRowOnce(t, 6L * LINES);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("waited for the old leases to end")
                .isGreaterThan(Duration.ofMillis(1500));
    }

    @Test
    void aRestartWithTheSameIdTakesItsObjectsBackAtOnce() throws Exception {
        objects("same", 4);
        String state = db.table("same_state");
        String t = table("t_same");
        deadWorker(state, "same", "w-stable", Duration.ofMinutes(10), "o-001.ndjson", "o-002.ndjson");
        runAll(Duration.ofSeconds(30), pipe("same", source("same", state, Coordination.leases(Duration.ofMinutes(10)))
                .workerId("w-stable").build(), t));
        assertEveryRowOnce(t, 4L * LINES);
    }

    /**
     * 2 workers, a 1 s lease, a load of several leases: taken objects must never lapse to the other
     * worker, even when an insert into the loaded engine takes longer than the lease (the leases are
     * renewed on a scheduler then; a CI run without it once found 8 objects loaded twice).
     */
    @Test
    void objectsWaitingToBeReadNeverPassToAnotherWorker() throws Exception {
        objects("slow", 120);
        String state = db.table("slow_state");
        String t = table("t_slow");
        Coordination leases = Coordination.leases(Duration.ofSeconds(1));
        long started = System.nanoTime();
        runAll(Duration.ofSeconds(120),
                pipe("slow", source("slow", state, leases).workerId("a").claimBatch(10).leaseRenewal(renewals).build(), t),
                pipe("slow", source("slow", state, leases).workerId("b").claimBatch(10).leaseRenewal(renewals).build(), t));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofSeconds(2));
        assertEveryRowOnce(t, 120L * LINES);
    }

    @Test
    void aFinishedObjectIsNeverLoadedAgain() throws Exception {
        objects("finished", 8);
        String state = db.table("finished_state");
        String t = table("t_finished");
        Coordination leases = Coordination.leases(Duration.ofSeconds(1));
        runAll(Duration.ofSeconds(60), pipe("finished", source("finished", state, leases).workerId("first").build(), t));
        Thread.sleep(1_500); // longer than the lease
        runAll(Duration.ofSeconds(60), pipe("finished", source("finished", state, leases).workerId("second").build(), t));
        assertEveryRowOnce(t, 8L * LINES);
    }

    /**
     * Exactly-once: worker a stalls for 2.5 s after its first batch of a 2 000-row object (1 s
     * leases); b takes the object over and moves its delivery state on. When a wakes, its next
     * batch of the object is refused by the delivery state: a drops it, lets the object go and goes
     * on (before, that refusal failed a's pipe). Both return by themselves; every row lands once.
     */
    @Test
    void aStalledWorkerThatFindsItsObjectMovedOnInExactlyOnceModeLetsItGoAndGoesOn() throws Exception {
        LocalObjectStoreTest.write(dir.resolve("stall/o-000.ndjson"), TestPipes.events(0, 2000), "none");
        String state = db.table("stall_state");
        String t = db.table("t_stall");
        clickhouse.query("CREATE TABLE " + t + " (id UInt32, name String, v Float64) ENGINE = MergeTree ORDER BY id"
                + " SETTINGS non_replicated_deduplication_window = 1000");
        Coordination leases = Coordination.leases(Duration.ofSeconds(1));
        ObjectStoreSource a = source("stall", state, leases).workerId("a").build();
        ObjectStoreSource b = source("stall", state, leases).workerId("b").build();
        runStalledAndOther(a, b, t, Delivery.EXACTLY_ONCE, 2500, 1); // silent past the lease: b takes the object over
        assertEveryRowOnce(t, 2000);
        assertThat(b.objectsDone()).as("b finished the object a stalled on").isEqualTo(1);
        assertThat(a.objectsDone()).isZero();
    }

    /**
     * At-least-once on a plain MergeTree, where a takeover would write rows twice: worker a stalls
     * for 2.5 s after its first batch of a 2 000-row object (1 s leases), as in a long insert, but
     * its leases are renewed on a scheduler meanwhile. Worker b, started then, never takes the
     * object over: every row lands once, all by a.
     */
    @Test
    void aWorkerStalledPastItsLeaseKeepsItsObjectWhenRenewedOnAScheduler() throws Exception {
        String t = table("t_renewed");
        ObjectStoreSource a = oneObjectUnderLeases("renewed").workerId("a").leaseRenewal(renewals).build();
        ObjectStoreSource b = oneObjectUnderLeases("renewed").workerId("b").leaseRenewal(renewals).build();
        runStalledAndOther(a, b, t, Delivery.AT_LEAST_ONCE, 2500, 1);
        assertEveryRowOnce(t, 2000);
        assertThat(a.objectsDone()).isEqualTo(1);
        assertThat(b.objectsDone()).as("b never took the object over").isZero();
    }

    /**
     * The scheduler's renewals stop once the source is not polled for the longest silence given
     * (1.5 s here, 5 minutes by default): worker a, stuck for 4 s, lets its object go to b as
     * without renewals, and no row is lost.
     */
    @Test
    void aWorkerStuckPastTheLongestPollSilenceLetsItsObjectGo() throws Exception {
        String t = table("t_stuck");
        ObjectStoreSource a = oneObjectUnderLeases("stuck").workerId("a").leaseRenewal(renewals, Duration.ofMillis(1500))
                .build();
        ObjectStoreSource b = oneObjectUnderLeases("stuck").workerId("b").leaseRenewal(renewals).build();
        runStalledAndOther(a, b, t, Delivery.AT_LEAST_ONCE, 4000, 1);
        assertThat(b.objectsDone()).as("b took the object over").isEqualTo(1);
        assertThat(clickhouse.queryLong("SELECT uniqExact(id) FROM " + t)).as("no row lost").isEqualTo(2000);
    }

    /**
     * Without a scheduler, the leases of what one poll read are renewed at each commit: worker a
     * reads 12 objects in one poll (2 s leases) and inserts them one batch each, every commit
     * followed by 250 ms on its thread (over 3 s in all, past the lease). Worker b, started after
     * a's first commit, never takes one over: every row lands once, all by a. Renewed only from the
     * poll loop, the last objects' leases ended and b loaded them again.
     */
    @Test
    void theObjectsOfOnePollKeepTheirLeasesThroughItsInserts() throws Exception {
        objects("commits", 12);
        String state = db.table("commits_state");
        String t = table("t_commits");
        Coordination leases = Coordination.leases(Duration.ofSeconds(2));
        ObjectStoreSource a = source("commits", state, leases).workerId("a").build();
        ObjectStoreSource b = source("commits", state, leases).workerId("b").build();
        runStalledAndOther(a, b, t, Delivery.AT_LEAST_ONCE, 250, 12);
        assertEveryRowOnce(t, 12L * LINES);
        assertThat(a.objectsDone()).isEqualTo(12);
        assertThat(b.objectsDone()).as("b never took an object over").isZero();
    }

    /** A source of {@code folder}'s one object of 2 000 rows (written once), under 1 s leases in {@code <folder>_state}. */
    private ObjectStoreSource.Builder oneObjectUnderLeases(String folder) throws Exception {
        Path object = dir.resolve(folder + "/o-000.ndjson");
        if (!java.nio.file.Files.exists(object)) {
            LocalObjectStoreTest.write(object, TestPipes.events(0, 2000), "none");
        }
        return source(folder, db.table(folder + "_state"), Coordination.leases(Duration.ofSeconds(1)));
    }

    /**
     * Runs worker a's pipe, which sleeps {@code stallMillis} on its thread after each of its first
     * {@code stalledBatches} batches is committed (as a long insert would), starts worker b's pipe
     * once a has committed its first batch, and waits for both to return by themselves.
     */
    private static void runStalledAndOther(ObjectStoreSource a, ObjectStoreSource b, String table, Delivery delivery,
            long stallMillis, int stalledBatches) throws Exception {
        Batching batching = Batching.builder().maxRows(LINES).maxAge(Duration.ofMillis(100)).build();
        AtomicInteger aBatches = new AtomicInteger();
        Pipe stalling = TestPipes.pipe("stall", a, clickhouse, table).delivery(delivery).batching(batching)
                .listener(new PipeListener() {
                    @Override
                    public void onBatchCommitted(Pipe pipe, BatchReport report) {
                        if (aBatches.incrementAndGet() <= stalledBatches) {
                            try {
                                Thread.sleep(stallMillis);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                    }
                }).build();
        CompletableFuture<Void> first = TestPipes.start(stalling);
        while (aBatches.get() == 0) {
            Thread.sleep(20);
        }
        Pipe other = TestPipes.pipe("stall", b, clickhouse, table).delivery(delivery).batching(batching).build();
        CompletableFuture<Void> second = TestPipes.start(other);
        first.get(60, TimeUnit.SECONDS);
        second.get(60, TimeUnit.SECONDS);
    }

    /**
     * A long resume skip keeps the lease: worker b takes over a gzipped object that a dead worker
     * loaded to row 29 999 (1 s leases) and must read and drop 30 000 rows through a store slowed to
     * about 3 s for it; worker c waits for the object all that time. b renews its lease while it
     * skips, so c never takes the object over: the rows after 29 999 land once, all by b.
     */
    @Test
    void aLongResumeSkipKeepsTheLeaseAlive() throws Exception {
        Path folder = dir.resolve("skip");
        LocalObjectStoreTest.write(folder.resolve("o.ndjson.gz"), TestPipes.events(0, 40_000), "gz");
        String state = db.table("skip_state");
        String t = table("t_skip");
        Duration lease = Duration.ofSeconds(1);
        ObjectInfo object;
        try (dev.clickpipes.source.objectstore.file.LocalObjectStore local =
                     new dev.clickpipes.source.objectstore.file.LocalObjectStore(folder)) {
            object = local.list("", null).next();
        }
        LeasedObjectStates dead = new LeasedObjectStates(clickhouse, state, "skip", "dead", lease);
        dead.open();
        assertThat(dead.take(object, false)).isNotNull();
        assertThat(dead.save(List.of(new ObjectPosition(object.key(), object.version(), 29_999, -1, false)))).isEmpty();
        dead.close();
        Thread.sleep(lease.toMillis() + 200); // the dead worker's lease ends

        ObjectStoreSource b = gzipped(state, lease).workerId("b")
                .store(new SlowStore(new dev.clickpipes.source.objectstore.file.LocalObjectStore(folder))).build();
        ObjectStoreSource c = gzipped(state, lease).workerId("c").build();
        CompletableFuture<Void> first = TestPipes.start(pipe("skip", b, t));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!"b".equals(owner(state, object.key()))) { // c starts once b holds the object
            assertThat(System.nanoTime()).as("b takes the object").isLessThan(deadline);
            Thread.sleep(20);
        }
        CompletableFuture<Void> second = TestPipes.start(pipe("skip", c, t));
        first.get(60, TimeUnit.SECONDS);
        second.get(60, TimeUnit.SECONDS);
        assertThat(clickhouse.queryRows("SELECT count(), uniqExact(id), min(id) FROM " + t))
                .containsExactly(List.of("10000", "10000", "30000"));
        assertThat(b.objectsDone()).isEqualTo(1);
        assertThat(c.objectsDone()).as("c never took the object over").isZero();
    }

    private ObjectStoreSource.Builder gzipped(String state, Duration lease) {
        return ObjectStoreSource.builder().url(dir.toUri() + "skip/*.ndjson.gz").stateStore(clickhouse, state)
                .coordination(Coordination.leases(lease));
    }

    private static String owner(String state, String key) throws Exception {
        List<List<String>> rows = clickhouse.queryRows("SELECT owner FROM " + state + " WHERE object = "
                + dev.clickpipes.clickhouse.SqlNames.literal(key));
        return rows.isEmpty() ? null : rows.get(0).get(0);
    }

    /** Reads a local folder slowly: about 40 ms per 4 KB of the stored (compressed) bytes. */
    private static final class SlowStore extends ForwardingObjectStore {

        SlowStore(ObjectStore delegate) {
            super(delegate);
        }

        @Override
        public java.io.InputStream openRange(ObjectInfo object, long start, long end) throws java.io.IOException {
            return new java.io.FilterInputStream(super.openRange(object, start, end)) {
                @Override
                public int read(byte[] b, int off, int len) throws java.io.IOException {
                    try {
                        Thread.sleep(40);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new java.io.InterruptedIOException();
                    }
                    return super.read(b, off, Math.min(len, 4096));
                }
            };
        }
    }

    @Test
    void aWorkerStalledPastItsLeaseIsFencedAndItsProgressRefused() throws Exception {
        String state = db.table("fenced_state");
        Duration lease = Duration.ofSeconds(1);
        LeasedObjectStates a = new LeasedObjectStates(clickhouse, state, "fenced", "a", lease);
        LeasedObjectStates b = new LeasedObjectStates(clickhouse, state, "fenced", "b", lease);
        a.open();
        b.open();
        ObjectInfo x = new ObjectInfo("x.ndjson", 100, Instant.EPOCH, "etag-1");
        assertThat(a.take(x, false).lastRow()).isEqualTo(-1);
        assertThat(b.take(x, false)).as("a holds x").isNull();
        assertThat(a.save(List.of(new ObjectPosition("x.ndjson", "etag-1", 10, 110, false)))).isEmpty();
        Thread.sleep(1_300); // a stalls past its lease
        ObjectStates.Progress resumed = b.take(x, false);
        assertThat(resumed.lastRow()).as("b resumes after a's last committed row").isEqualTo(10);
        assertThat(a.renewAll()).as("a's renewal finds x moved on").containsExactly("x.ndjson");
        assertThat(a.save(List.of(new ObjectPosition("x.ndjson", "etag-1", 20, 220, false)))).containsExactly("x.ndjson");
        assertThat(a.renewAll()).as("a holds nothing now").isEmpty();
        assertThat(b.save(List.of(new ObjectPosition("x.ndjson", "etag-1", 30, 330, true)))).isEmpty();
        ObjectStates.Progress last = b.read(List.of("x.ndjson")).get("x.ndjson");
        assertThat(last.done()).isTrue();
        assertThat(last.lastRow()).isEqualTo(30);
        assertThat(a.take(x, false)).as("done, and b's").isNull();
    }

    @Test
    void lexicalModeNeverSkipsAnObjectTakenAndNotFinished() throws Exception {
        objects("lex", 5);
        String state = db.table("lex_state");
        String t = table("t_lex");
        deadWorker(state, "lex", "gone", Duration.ofSeconds(1), "o-001.ndjson");
        Pipe pipe = pipe("lex", source("lex", state, Coordination.leases(Duration.ofSeconds(1))).workerId("w")
                .continuous(Duration.ofMillis(200), ObjectStoreSource.Ordering.LEXICAL).build(), t);
        CompletableFuture<Void> running = TestPipes.start(pipe);
        awaitCount(t, 5L * LINES);
        objects("lex", 7); // two more, after every earlier key
        awaitCount(t, 7L * LINES);
        Thread.sleep(500);
        pipe.close();
        running.get(30, TimeUnit.SECONDS);
        assertEveryRowOnce(t, 7L * LINES);
        // rows of objects behind the watermark are deleted: the state holds the watermark, and what is after it
        assertThat(clickhouse.queryLong("SELECT count() FROM " + state + " WHERE pipe = 'lex'")).isLessThanOrEqualTo(2);
    }

    @Test
    void aUserProfileWithAsyncInsertsDoesNotHideTheState() throws Exception {
        objects("async", 6);
        String t = table("t_async");
        ClickHouseTransport asyncProfile = new AsyncInsertProfile(clickhouse);
        runAll(Duration.ofSeconds(60), pipe("async", ObjectStoreSource.builder().url(dir.toUri() + "async/*.ndjson")
                .stateStore(asyncProfile, db.table("async_leases")).coordination(Coordination.leases()).build(), t));
        assertEveryRowOnce(t, 6L * LINES);
        // single worker: the progress log must be readable at the next start, which then loads nothing
        runAll(Duration.ofSeconds(60), pipe("async", ObjectStoreSource.builder().url(dir.toUri() + "async/*.ndjson")
                .stateStore(asyncProfile, db.table("async_log")).build(), table("t_async_log")));
        runAll(Duration.ofSeconds(60), pipe("async", ObjectStoreSource.builder().url(dir.toUri() + "async/*.ndjson")
                .stateStore(asyncProfile, db.table("async_log")).build(), t));
        assertEveryRowOnce(t, 6L * LINES);
    }

    @Test
    void longKeysInLargeNumbersFitTheStatements() throws Exception {
        // 300 keys of ~1 000 characters: inlined into one statement they would pass max_query_size (256 KiB)
        String deep = "k".repeat(240) + "/" + "e".repeat(240) + "/" + "y".repeat(240) + "/" + "s".repeat(200);
        for (int i = 0; i < 300; i++) {
            LocalObjectStoreTest.write(dir.resolve("long/" + deep + String.format("/o-%03d.ndjson", i)),
                    TestPipes.events(i * 10, 10), "none");
        }
        String t = table("t_long");
        runAll(Duration.ofSeconds(180), pipe("long", ObjectStoreSource.builder().url(dir.toUri() + "long/**.ndjson")
                .stateStore(clickhouse, db.table("long_state")).coordination(Coordination.leases()).claimBatch(1000)
                .build(), t));
        assertEveryRowOnce(t, 3_000);
    }

    @Test
    void staticSharesSplitTheObjectsWithoutCoordination() throws Exception {
        objects("static", 30);
        String state = db.table("static_state");
        String t = table("t_static");
        runAll(Duration.ofSeconds(60),
                pipe("static", source("static", state, Coordination.staticShare(0, 2)).workerId("s0").build(), t),
                pipe("static", source("static", state, Coordination.staticShare(1, 2)).workerId("s1").build(), t));
        assertEveryRowOnce(t, 30L * LINES);
        assertThat(clickhouse.queryRows("SELECT worker, count() > 0 FROM " + state + " WHERE kind = 'done' GROUP BY worker"
                + " ORDER BY worker")).containsExactly(List.of("s0", "1"), List.of("s1", "1"));
    }

    private static void awaitCount(String table, long expected) throws Exception {
        TestPipes.awaitCount(clickhouse, table, expected);
    }

    /**
     * A transport whose every insert runs with {@code async_insert=1, wait_for_async_insert=0}, as a
     * user profile can set them, unless the statement sets them itself.
     */
    private static final class AsyncInsertProfile extends ForwardingTransport {

        AsyncInsertProfile(ClickHouseTransport delegate) {
            super(delegate);
        }

        @Override
        public void insert(String insertSql, Map<String, String> settings, byte[] body, int length)
                throws ClickHouseException {
            Map<String, String> profile = new HashMap<>(Map.of("async_insert", "1", "wait_for_async_insert", "0"));
            profile.putAll(settings);
            super.insert(insertSql, profile, body, length);
        }

        @Override
        public String describe() {
            return "async-insert profile over " + delegate().describe();
        }

        @Override
        public void close() {
            // the engine is shared
        }
    }
}
