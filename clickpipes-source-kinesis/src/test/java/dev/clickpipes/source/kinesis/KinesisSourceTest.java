package dev.clickpipes.source.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.core.Batching;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.core.spi.Source;
import dev.clickpipes.format.Decoders;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import dev.clickpipes.testkit.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.kinesis.model.ScalingType;

/**
 * The Kinesis source on real parts: kinesis-mock for Kinesis, DynamoDB Local for KCL's leases, the
 * embedded ClickHouse engine for the table. Every test has its own stream, application and table,
 * and checks what ClickHouse holds: the count and the sum of the ids against what was put.
 */
class KinesisSourceTest {

    private static final Logger LOG = LoggerFactory.getLogger(KinesisSourceTest.class);
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final AtomicInteger SEQ = new AtomicInteger();

    private static KinesisTestServers servers;
    private static EmbeddedClickHouse clickhouse;

    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final List<Pipe> pipes = new ArrayList<>();
    private TestDatabase db;
    private String table;
    private String stream;

    @BeforeAll
    static void startServers() throws Exception {
        assumeTrue(EmbeddedClickHouse.isAvailable(), "libchdb.so missing: run scripts/fetch-chdb.sh");
        clickhouse = EmbeddedClickHouse.shared();
        servers = KinesisTestServers.start();
    }

    @AfterAll
    static void stopServers() {
        if (servers != null) {
            servers.close();
        }
    }

    @BeforeEach
    void createTable() throws Exception {
        db = clickhouse.newDatabase();
        table = db.table("events");
        clickhouse.query("CREATE TABLE " + table + " (id UInt64, payload String, _key String, _shard_id String,"
                + " _sequence_number String, _timestamp DateTime64(3), _stream String) ENGINE = MergeTree ORDER BY id");
        stream = "s" + SEQ.incrementAndGet() + "-" + System.nanoTime() % 100_000;
    }

    @AfterEach
    void stopPipes() throws Exception {
        pipes.forEach(Pipe::close);
        pool.shutdownNow();
        // TestDatabase.close() runs DROP DATABASE ... SYNC, which hung in chDB here once a second
        // engine connection had been opened; a plain DROP first leaves it nothing to wait for.
        clickhouse.query("DROP DATABASE IF EXISTS " + db.name());
        db.close();
    }

    private Pipe start(String name, Source source, Batching batching) {
        Pipe pipe = Pipe.builder().name(name).source(source).decoder(Decoders.json())
                .sink(ClickHouseSink.builder().transport(clickhouse).table(table).build())
                .batching(batching).build();
        pipes.add(pipe);
        pool.execute(() -> {
            try {
                pipe.run();
            } catch (RuntimeException e) {
                LOG.info("pipe {} ended: {}", name, e.getMessage());
            }
        });
        return pipe;
    }

    private Pipe start(String name, Source source) {
        return start(name, source, Batching.builder().maxAge(Duration.ofMillis(500)).build());
    }

    private long count() throws Exception {
        return clickhouse.queryLong("SELECT count() FROM " + table);
    }

    private long uniq() throws Exception {
        return clickhouse.queryLong("SELECT uniqExact(id) FROM " + table);
    }

    private long sum() throws Exception {
        return clickhouse.queryLong("SELECT sum(id) FROM " + table);
    }

    private static void await(String what, LongSupplierX value, long expected) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        long v = -1;
        while (System.nanoTime() < deadline) {
            v = value.get();
            if (v >= expected) {
                break;
            }
            Thread.sleep(200);
        }
        assertThat(v).as(what).isEqualTo(expected);
    }

    @FunctionalInterface
    interface LongSupplierX {
        long get() throws Exception;
    }

    private static long sumOf(long from, long to) {
        return (from + to - 1) * (to - from) / 2;
    }

    @Test
    void pollingReadsTwoShardsFromTrimHorizonAndAGracefulRestartReadsNothingTwice() throws Exception {
        servers.createStream(stream, 2);
        servers.put(stream, 0, 2000);
        Pipe first = start("kin-poll", servers.source(stream, "w1").build());
        servers.put(stream, 2000, 3000);
        await("rows after the first run", this::count, 3000);
        assertThat(uniq()).isEqualTo(3000);
        assertThat(sum()).isEqualTo(sumOf(0, 3000));
        // The lag: millisBehindLatest of each shard's last fetch, caught up now (well under a minute).
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (first.sourceLag().partitions().size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(first.sourceLag().unit()).isEqualTo(dev.clickpipes.core.spi.SourceLag.Unit.MILLISECONDS);
        assertThat(first.sourceLag().partitions()).hasSize(2)
                .allSatisfy((shard, millis) -> assertThat(millis).as(shard).isBetween(0L, 60_000L));
        assertThat(clickhouse.queryRows("SELECT uniqExact(_shard_id), any(_stream), countIf(_key = concat('k', toString(id))),"
                + " countIf(_timestamp > now64(3) - INTERVAL 1 HOUR AND _timestamp <= now64(3)),"
                + " countIf(payload = concat('p', toString(id))), countIf(_sequence_number != '') FROM " + table))
                .containsExactly(List.of("2", stream, "3000", "3000", "3000", "3000"));
        first.close();
        first.completion().get(30, TimeUnit.SECONDS);

        // Same application and worker id: resumes at the checkpoints; nothing comes twice.
        start("kin-poll", servers.source(stream, "w1").build());
        servers.put(stream, 3000, 3500);
        await("rows after the restart", this::count, 3500);
        Thread.sleep(2000); // anything read twice would show by now
        assertThat(count()).isEqualTo(3500);
        assertThat(uniq()).isEqualTo(3500);
        assertThat(sum()).isEqualTo(sumOf(0, 3500));
    }
    @Test
    void enhancedFanOutFromLatestSkipsWhatCameBefore() throws Exception {
        servers.createStream(stream, 2);
        servers.put(stream, 0, 500); // before the pipe: LATEST skips these
        start("kin-efo", servers.source(stream, "w1").retrieval(Retrieval.ENHANCED_FAN_OUT)
                .startFrom(KinesisStartPosition.latest()).build());
        // LATEST starts where each shard is when its lease is first taken: probe until records flow.
        long probe = 1_000_000;
        while (clickhouse.queryLong("SELECT count() FROM " + table + " WHERE id >= 1000000") == 0) {
            servers.put(stream, probe, probe + 10);
            probe += 10;
            Thread.sleep(500);
            assertThat(probe).as("probes before the pipe read any").isLessThan(1_000_000 + 10 * 240);
        }
        // Both shards must be past their start before the counted records go in.
        await("shards reading", () -> clickhouse.queryLong("SELECT uniqExact(_shard_id) FROM " + table), 2);
        long probesPut = probe - 1_000_000;
        servers.put(stream, 10_000, 12_000);
        await("rows put after the start", () -> clickhouse.queryLong(
                "SELECT count() FROM " + table + " WHERE id BETWEEN 10000 AND 11999"), 2000);
        assertThat(clickhouse.queryLong("SELECT sum(id) FROM " + table + " WHERE id BETWEEN 10000 AND 11999"))
                .isEqualTo(sumOf(10_000, 12_000));
        assertThat(clickhouse.queryLong("SELECT count() FROM " + table + " WHERE id < 500")).isZero();
        assertThat(clickhouse.queryLong("SELECT count() FROM " + table + " WHERE id >= 1000000")).isLessThanOrEqualTo(probesPut);
    }

    @Test
    void atTimestampStartsAtTheFirstRecordArrivedThen() throws Exception {
        servers.createStream(stream, 2);
        servers.put(stream, 0, 500);
        Thread.sleep(1500);
        Instant from = Instant.now();
        Thread.sleep(1500);
        servers.put(stream, 1000, 1600);
        start("kin-ts", servers.source(stream, "w1").startFrom(KinesisStartPosition.atTimestamp(from)).build());
        await("rows put after the timestamp", this::count, 600);
        Thread.sleep(1000);
        assertThat(count()).isEqualTo(600);
        assertThat(sum()).isEqualTo(sumOf(1000, 1600));
    }

    @Test
    void aCrashBeforeTheCheckpointReadsExactlyTheUncheckpointedRecordsAgain() throws Exception {
        servers.createStream(stream, 2);
        servers.put(stream, 0, 1000);
        Batching small = Batching.builder().maxRows(200).maxAge(Duration.ofMillis(500)).build();
        // Two batches are committed (checkpointed); the third is inserted, then the "process" dies.
        ObservedSource crashing = new ObservedSource(servers.source(stream, "w1").build(), 2);
        Pipe first = start("kin-crash", crashing, small);
        assertThat(first.completion()).failsWithin(WAIT);
        Map<String, KinesisPosition> checkpoints = crashing.committed;
        assertThat(checkpoints).isNotEmpty();
        long inserted = count();
        assertThat(inserted).isEqualTo(600);
        // Rows in ClickHouse past their shard's checkpoint: exactly these must come again.
        StringBuilder pastCheckpoint = new StringBuilder("0");
        for (KinesisPosition p : checkpoints.values()) {
            pastCheckpoint.append(" OR (_shard_id = '").append(p.shardId()).append("' AND toUInt256(_sequence_number) > toUInt256('")
                    .append(p.sequenceNumber()).append("'))");
        }
        String shards = String.join("','", checkpoints.keySet());
        pastCheckpoint.append(" OR _shard_id NOT IN ('").append(shards).append("')");
        long expectedAgain = clickhouse.queryLong("SELECT count() FROM " + table + " WHERE " + pastCheckpoint);
        String idsExpectedAgain = clickhouse.query("SELECT arraySort(groupArray(id)) FROM " + table + " WHERE " + pastCheckpoint);
        assertThat(expectedAgain).isGreaterThan(0);

        start("kin-crash", servers.source(stream, "w1").build(), small);
        await("distinct ids after the restart", this::uniq, 1000);
        await("rows after the restart", this::count, 1000 + expectedAgain);
        Thread.sleep(1000);
        assertThat(count()).isEqualTo(1000 + expectedAgain);
        assertThat(clickhouse.queryLong("SELECT sum(id) FROM (SELECT DISTINCT id FROM " + table + ")")).isEqualTo(sumOf(0, 1000));
        // The ids seen twice are exactly those that were in ClickHouse past their shard's checkpoint.
        assertThat(clickhouse.query("SELECT arraySort(groupArray(id)) FROM (SELECT id FROM " + table
                + " GROUP BY id HAVING count() > 1)")).isEqualTo(idsExpectedAgain);
        assertThat(clickhouse.queryLong("SELECT max(c) FROM (SELECT count() c FROM " + table + " GROUP BY id)")).isEqualTo(2);
    }

    @Test
    void aReshardMidStreamFinishesParentsBeforeChildren() throws Exception {
        servers.createStream(stream, 2);
        servers.put(stream, 0, 1000);
        ObservedSource observed = ObservedSource.of(servers.source(stream, "w1").build());
        start("kin-reshard", observed);
        await("rows before the reshard", this::count, 1000);
        servers.client().updateShardCount(b -> b.streamName(stream).targetShardCount(4)
                .scalingType(ScalingType.UNIFORM_SCALING)).get();
        servers.awaitActive(stream);
        servers.put(stream, 1000, 3000);
        await("distinct ids after the reshard", this::uniq, 3000);
        assertThat(sum()).isGreaterThanOrEqualTo(sumOf(0, 3000));
        assertThat(clickhouse.queryLong("SELECT sum(id) FROM (SELECT DISTINCT id FROM " + table + ")")).isEqualTo(sumOf(0, 3000));
        List<String> parents = List.of("shardId-000000000000", "shardId-000000000001");
        assertThat(observed.pollSpan.keySet()).hasSizeGreaterThan(2).containsAll(parents);
        long lastParentPoll = parents.stream().mapToLong(s -> observed.pollSpan.get(s)[1]).max().orElseThrow();
        observed.pollSpan.forEach((shard, span) -> {
            if (!parents.contains(shard)) {
                assertThat(span[0]).as("first poll of child %s after the parents' last", shard).isGreaterThan(lastParentPoll);
            }
        });
    }

    @Test
    void twoWorkersShareTheShards() throws Exception {
        servers.createStream(stream, 4);
        ObservedSource one = ObservedSource.of(servers.source(stream, "w1").build());
        ObservedSource two = ObservedSource.of(servers.source(stream, "w2").build());
        // The second worker joins once the first is running: KCL 3.5.1 fails the initialization of
        // workers that create a new application's coordinator state at the same moment.
        start("kin-two", one);
        long next = 0;
        // Both workers' start-ups count against it, each with KCL's random wait of up to 30 s.
        long deadline = System.nanoTime() + 2 * WAIT.toNanos();
        while (one.recordsPolled() == 0 && System.nanoTime() < deadline) {
            servers.put(stream, next, next + 100);
            next += 100;
            Thread.sleep(1000);
        }
        start("kin-two", two);
        // Keep producing until the leader has moved shards to the second worker and it has read from them.
        while (two.recordsPolled() == 0 && System.nanoTime() < deadline) {
            servers.put(stream, next, next + 100);
            next += 100;
            Thread.sleep(1000);
        }
        servers.put(stream, next, next + 2000);
        next += 2000;
        await("distinct ids", this::uniq, next);
        assertThat(one.recordsPolled()).isPositive();
        assertThat(two.recordsPolled()).isPositive();
        assertThat(clickhouse.queryLong("SELECT sum(id) FROM (SELECT DISTINCT id FROM " + table + ")")).isEqualTo(sumOf(0, next));
    }
}
