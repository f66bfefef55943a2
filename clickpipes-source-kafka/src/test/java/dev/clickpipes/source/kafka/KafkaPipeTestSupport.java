package dev.clickpipes.source.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.core.Batching;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.core.spi.Decoder;
import dev.clickpipes.core.spi.Source;
import dev.clickpipes.format.Decoders;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import dev.clickpipes.testkit.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the Kafka pipe tests share: the JVM's broker and embedded engine, a database and an
 * {@code events (id UInt64, payload String)} table per test, JSON events, pipes on their own
 * threads, and the loss check: count and checksum in ClickHouse against what was produced.
 */
abstract class KafkaPipeTestSupport {

    private static final AtomicInteger TOPICS = new AtomicInteger();

    final TestKafka kafka = TestKafka.shared();
    final EmbeddedClickHouse clickhouse = EmbeddedClickHouse.shared();
    final ExecutorService threads = Executors.newCachedThreadPool();
    final List<Pipe> pipes = new ArrayList<>();
    TestDatabase db;
    String table;

    @BeforeEach
    void createTable() throws Exception {
        db = clickhouse.newDatabase();
        table = db.table("events");
        clickhouse.query("CREATE TABLE " + table + " (id UInt64, payload String) ENGINE = MergeTree ORDER BY id");
    }

    @AfterEach
    void stopPipes() throws Exception {
        for (Pipe p : pipes) {
            p.close();
        }
        threads.shutdownNow();
        threads.awaitTermination(30, TimeUnit.SECONDS);
        // Not db.close(): its DROP ... SYNC hangs in the embedded engine here; a plain DROP does not.
        clickhouse.query("DROP DATABASE IF EXISTS " + db.name());
    }

    /** A fresh topic with this many partitions. */
    String topic(int partitions) throws Exception {
        String name = getClass().getSimpleName() + "-" + TOPICS.incrementAndGet();
        kafka.createTopic(name, partitions);
        return name;
    }

    static byte[] event(long id) {
        return ("{\"id\":" + id + ",\"payload\":\"p" + id + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** JSON events with ids {@code [from, to)}, value i to partition i % partitions. */
    void produce(String topic, int partitions, long from, long to) throws Exception {
        List<byte[]> values = new ArrayList<>();
        for (long i = from; i < to; i++) {
            values.add(event(i));
        }
        kafka.produce(topic, partitions, values);
    }

    KafkaSource.Builder source(String topic) {
        return KafkaSource.builder().bootstrapServers(TestKafka.bootstrap(TestKafka.PLAINTEXT)).topics(topic);
    }

    Pipe.Builder pipe(String name, Source source) {
        return pipe(name, source, Decoders.json());
    }

    Pipe.Builder pipe(String name, Source source, Decoder decoder) {
        return Pipe.builder().name(name).source(source).decoder(decoder)
                .sink(ClickHouseSink.builder().transport(clickhouse).table(table).build())
                .batching(Batching.builder().maxAge(Duration.ofMillis(500)).build());
    }

    /** Runs the pipe on a thread of its own; it is closed after the test. */
    Pipe start(Pipe pipe) {
        pipes.add(pipe);
        threads.execute(() -> {
            try {
                pipe.run();
            } catch (RuntimeException e) {
                // completion() holds the failure for the test to look at
            }
        });
        return pipe;
    }

    long query(String sql) throws Exception {
        return clickhouse.queryLong(sql.replace("$t", table));
    }

    /** Waits (up to 2 minutes) until the table holds every id of {@code [0, n)} at least once. */
    void awaitIds(long n) throws Exception {
        waitFor(() -> {
            try {
                return query("SELECT uniqExact(id) FROM $t") >= n;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "table to hold " + n + " distinct ids");
    }

    /** No record lost: ids {@code [0, n)} all there (uniqExact and sum checksum) and nothing else. */
    void assertNoLoss(long n) throws Exception {
        assertThat(query("SELECT uniqExact(id) FROM $t")).isEqualTo(n);
        assertThat(query("SELECT sum(DISTINCT id) FROM $t")).isEqualTo(n * (n - 1) / 2);
        assertThat(query("SELECT countIf(payload != concat('p', toString(id))) FROM $t")).isZero();
        assertThat(query("SELECT max(id) FROM $t")).isEqualTo(n - 1);
    }

    static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }
}
