package dev.clickpipes.source.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clickpipes.clickhouse.routing.RouteKey;
import dev.clickpipes.clickhouse.routing.Router;
import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.core.Batching;
import dev.clickpipes.core.ErrorKind;
import dev.clickpipes.core.FieldMapping;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.format.Decoders;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import dev.clickpipes.testkit.TestDatabase;
import dev.clickpipes.testservices.KafkaLocal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One Kafka topic of three record types routed into three tables, on a real broker and the embedded
 * engine: per table the count, distinct ids and id sum of what was produced, offsets committed for
 * every record; and a table dropped mid-stream, whose records then go to its error table with the
 * reason while the other two flow on. The broker has ports of its own (21500, 21501), so this class
 * runs beside the other Kafka tests.
 */
class KafkaRoutingTest {

    private static final int PORT = Integer.getInteger("clickpipes.routing.kafka.port", 21500);
    private static final int PARTITIONS = 3;
    private static KafkaLocal kafka;

    private final EmbeddedClickHouse ch = EmbeddedClickHouse.shared();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private TestDatabase db;
    private Pipe pipe;

    @BeforeAll
    static void broker() throws Exception {
        KafkaLocal.quietLogs();
        kafka = KafkaLocal.start(PORT, PORT + 1);
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @BeforeEach
    void createTables() throws Exception {
        db = ch.newDatabase();
        ch.query("CREATE TABLE " + db.table("orders") + " (id UInt64, amount Decimal(10, 2)) ENGINE = MergeTree ORDER BY id");
        ch.query("CREATE TABLE " + db.table("refunds") + " (id UInt64, order_id UInt64, why String) ENGINE = MergeTree ORDER BY id");
        ch.query("CREATE TABLE " + db.table("clicks") + " (id UInt64, page String, _topic String) ENGINE = MergeTree ORDER BY id");
    }

    @AfterEach
    void stop() throws Exception {
        if (pipe != null) {
            pipe.close();
        }
        threads.shutdownNow();
        threads.awaitTermination(30, TimeUnit.SECONDS);
        ch.query("DROP DATABASE IF EXISTS " + db.name());
    }

    private static final String[] TYPES = {"order", "refund", "click"};

    /** Record i: an order, a refund or a click, by i % 3, with id i. */
    private static String event(int i) {
        return switch (i % 3) {
            case 0 -> "{\"type\":\"order\",\"id\":" + i + ",\"amount\":" + (i % 100) + ".25}";
            case 1 -> "{\"type\":\"refund\",\"id\":" + i + ",\"order\":" + (i - 1) + ",\"why\":\"late\"}";
            default -> "{\"id\":" + i + ",\"page\":\"/p/" + i + "\",\"type\":\"click\"}";
        };
    }

    /**
     * Events {@code [from, to)}, event i to partition i % 3, its type in a header {@code type} too;
     * returns once the broker has every one (a lost send fails here, naming its partition).
     */
    private static void produce(String topic, int from, int to) throws Exception {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = from; i < to; i++) {
            ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, i % PARTITIONS, null,
                    event(i).getBytes(StandardCharsets.UTF_8));
            r.headers().add("type", TYPES[i % 3].getBytes(StandardCharsets.UTF_8));
            records.add(r);
        }
        kafka.send(records);
    }

    private Router router(RouteKey key, KafkaSource source) {
        return Router.builder()
                .routeBy(key)
                .virtualColumns(source.virtualColumns())
                .target("order", ClickHouseSink.builder().transport(ch).table(db.table("orders")).build(), Decoders.json())
                .target("refund", ClickHouseSink.builder().transport(ch).table(db.table("refunds")).build(),
                        Decoders.json(), FieldMapping.builder().map("order", "order_id").build())
                .target("click", ClickHouseSink.builder().transport(ch).table(db.table("clicks")).build(), Decoders.json())
                .fallbackErrorTable(ch, db.name() + ".unrouted")
                .build();
    }

    private void start(String name, RouteKey key, String topic) {
        KafkaSource source = KafkaSource.builder().bootstrapServers(kafka.bootstrapServers()).topics(topic)
                .groupId(name).build();
        Router router = router(key, source);
        pipe = Pipe.builder().name(name).source(source).decoder(router.decoder()).sink(router.sink())
                .batching(Batching.builder().maxRows(400).maxAge(Duration.ofMillis(300)).build()).build();
        threads.execute(() -> {
            try {
                pipe.run();
            } catch (RuntimeException e) {
                // completion() holds it
            }
        });
    }

    private long q(String sql) {
        try {
            return ch.queryLong(sql);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Count, distinct ids and id sum of {@code table} equal to those of kind {@code kind} in {@code [from, to)}. */
    private void assertHolds(String table, int kind, int from, int to) {
        long count = 0;
        long sum = 0;
        for (int i = from; i < to; i++) {
            if (i % 3 == kind) {
                count++;
                sum += i;
            }
        }
        String t = db.table(table);
        assertThat(q("SELECT count() FROM " + t)).as(table + " rows").isEqualTo(count);
        assertThat(q("SELECT uniqExact(id) FROM " + t)).as(table + " distinct ids").isEqualTo(count);
        assertThat(q("SELECT sum(id) FROM " + t)).as(table + " id sum").isEqualTo(sum);
    }

    private long committed(String group) throws Exception {
        try (Admin admin = kafka.admin()) {
            Map<org.apache.kafka.common.TopicPartition, OffsetAndMetadata> offsets =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            return offsets.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
        }
    }

    /** Waits for {@code condition}; a pipe that ended, or a timeout, fails at once with what the pipe knows. */
    private void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!condition.getAsBoolean()) {
            if (pipe.completion().isDone()) {
                throw new AssertionError("the pipe ended while waiting for " + what + ": " + pipe.metrics(),
                        pipe.completion().handle((metrics, failure) -> failure).join());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; committed so far "
                        + committedOrMinusOne(pipe.name()) + ", " + pipe.metrics());
            }
            Thread.sleep(100);
        }
    }

    private long committedOrMinusOne(String group) {
        try {
            return committed(group);
        } catch (Exception e) {
            return -1;
        }
    }

    private BooleanSupplier committedAll(String group, long n) {
        return () -> committedOrMinusOne(group) >= n;
    }

    @Test
    void oneTopicOfThreeRecordTypesFillsThreeTablesAndCommitsEveryOffset() throws Exception {
        String topic = "routing-by-field";
        kafka.createTopic(topic, PARTITIONS);
        int n = 6000;
        produce(topic, 0, n);
        start("routing-by-field", RouteKey.field("type"), topic);
        waitFor(committedAll("routing-by-field", n), "offsets of all " + n + " records committed");

        assertHolds("orders", 0, 0, n);
        assertHolds("refunds", 1, 0, n);
        assertHolds("clicks", 2, 0, n);
        assertThat(q("SELECT sum(id) - sum(order_id) FROM " + db.table("refunds"))).isEqualTo(n / 3);
        assertThat(q("SELECT countIf(_topic != '" + topic + "') FROM " + db.table("clicks"))).isZero();
        assertThat(committed("routing-by-field")).isEqualTo(n);
        assertThat(q("SELECT count() FROM " + db.table("unrouted"))).isZero();
        assertThat(pipe.metrics().rowsWritten()).isEqualTo(n);
    }

    @Test
    void aTableDroppedMidStreamSendsItsRecordsToItsErrorTableWhileTheOthersFlowOn() throws Exception {
        String topic = "routing-by-header";
        kafka.createTopic(topic, PARTITIONS);
        int half = 3000;
        produce(topic, 0, half);
        start("routing-by-header", RouteKey.header("type"), topic);
        waitFor(committedAll("routing-by-header", half), "offsets of the first " + half + " records committed");
        assertHolds("refunds", 1, 0, half);
        long refundsDropped = q("SELECT count() FROM " + db.table("refunds"));

        ch.query("DROP TABLE " + db.table("refunds"));
        produce(topic, half, 2 * half);
        waitFor(committedAll("routing-by-header", 2 * half), "offsets of all records committed");

        assertHolds("orders", 0, 0, 2 * half);
        assertHolds("clicks", 2, 0, 2 * half);
        String errors = db.table("refunds_clickpipes_error");
        long laterRefunds = half / 3;
        assertThat(q("SELECT count() FROM " + errors)).isEqualTo(laterRefunds);
        assertThat(q("SELECT uniqExact(JSONExtractUInt(raw, 'id')) FROM " + errors)).isEqualTo(laterRefunds);
        assertThat(q("SELECT min(JSONExtractUInt(raw, 'id')) FROM " + errors)).isGreaterThanOrEqualTo(half);
        assertThat(q("SELECT countIf(error_kind = 'INSERT_ERROR' AND message LIKE '%refunds does not exist (dropped?)%'"
                + " AND message LIKE '%UNKNOWN_TABLE%') FROM " + errors)).isEqualTo(laterRefunds);
        assertThat(committed("routing-by-header")).isEqualTo(2 * half);
        assertThat(q("SELECT count() FROM " + db.table("unrouted"))).isZero();
        // the router filed those records itself: the pipe counts them as error rows, not as rows written
        assertThat(pipe.metrics().errorRows()).as("errorRows").isEqualTo(q("SELECT count() FROM " + errors));
        assertThat(pipe.metrics().errorRows(ErrorKind.INSERT_ERROR)).as("INSERT_ERROR rows").isEqualTo(laterRefunds);
        assertThat(pipe.metrics().rowsWritten()).as("rowsWritten").isEqualTo(q("SELECT count() FROM " + db.table("orders"))
                + q("SELECT count() FROM " + db.table("clicks")) + refundsDropped);
        assertThat(pipe.metrics().committedRows()).as("committedRows").isEqualTo(pipe.metrics().rowsWritten());
    }
}
