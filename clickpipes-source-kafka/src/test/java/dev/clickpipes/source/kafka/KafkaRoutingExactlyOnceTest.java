package dev.clickpipes.source.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clickpipes.clickhouse.ClickHouseException;
import dev.clickpipes.clickhouse.ClickHouseTransport;
import dev.clickpipes.clickhouse.ForwardingTransport;
import dev.clickpipes.clickhouse.http.HttpTransport;
import dev.clickpipes.clickhouse.routing.RouteKey;
import dev.clickpipes.clickhouse.routing.Router;
import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.core.Batching;
import dev.clickpipes.core.Delivery;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.core.spi.SinkException;
import dev.clickpipes.format.Decoders;
import dev.clickpipes.testservices.ChdbServerProcess;
import dev.clickpipes.testservices.KafkaLocal;
import dev.clickpipes.testservices.ZooKeeperService;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Exactly-once across tables on a real broker: a routing pipe stops (a fatal failure) when one
 * batch's orders and refunds are in and its clicks are not; a new pipe of the same group resumes,
 * re-sends that batch with the same tokens, and every table holds each of its records exactly once.
 * State in KeeperMap on a real ZooKeeper, tables in the 26.5 engine behind its HTTP front; ports
 * 21502-21505 of this class's own ({@code -Dclickpipes.routing.eo.port=P} moves them to P..P+3).
 */
class KafkaRoutingExactlyOnceTest {

    private static final int ZK_PORT = Integer.getInteger("clickpipes.routing.eo.port", 21502);
    private static final int CH_PORT = ZK_PORT + 1;
    private static final int BROKER_PORT = ZK_PORT + 2;
    private static final int PARTITIONS = 3;
    private static final int EVENTS = 3000;
    private static final String TOPIC = "routing-exactly-once";
    private static final String[] TYPES = {"order", "refund", "click"};

    private static ZooKeeperService zk;
    private static ChdbServerProcess ch;
    private static HttpTransport http;
    private static KafkaLocal kafka;

    @BeforeAll
    static void servers() throws Exception {
        KafkaLocal.quietLogs();
        zk = ZooKeeperService.start(ZK_PORT);
        ch = ChdbServerProcess.builder().port(CH_PORT).zooKeeper(zk.connectString()).start();
        http = HttpTransport.builder().endpoint(ch.endpoint()).credentials(ch.user(), ch.password()).build();
        kafka = KafkaLocal.start(BROKER_PORT, BROKER_PORT + 1);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {kafka, http, ch, zk}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // the next one still closes
            }
        }
    }

    /** The server, with the {@code failAt}-th insert into {@code clicks} failing as a fatal error (a crash, for the pipe). */
    private static ClickHouseTransport failingClicks(int failAt) {
        AtomicInteger clicks = new AtomicInteger();
        return new ForwardingTransport(http) {
            @Override
            public void insert(String sql, Map<String, String> settings, byte[] body, int length) throws ClickHouseException {
                if (sql.contains("`clicks`") && clicks.incrementAndGet() == failAt) {
                    throw new ClickHouseException(SinkException.Kind.FATAL, 0, "crash before the clicks of a batch", null);
                }
                super.insert(sql, settings, body, length);
            }

            @Override
            public String describe() {
                return "crashing " + http.describe();
            }

            @Override
            public void close() {
                // the test closes http
            }
        };
    }

    private static Pipe pipe(ClickHouseTransport t) {
        Router router = Router.builder().routeBy(RouteKey.field("type"))
                .target("order", ClickHouseSink.builder().transport(t).table("shop.orders").build(), Decoders.json())
                .target("refund", ClickHouseSink.builder().transport(t).table("shop.refunds").build(), Decoders.json())
                .target("click", ClickHouseSink.builder().transport(t).table("shop.clicks").build(), Decoders.json())
                .fallbackErrorTable(t, "shop.unrouted")
                .build();
        KafkaSource source = KafkaSource.builder().bootstrapServers(kafka.bootstrapServers()).topics(TOPIC)
                .groupId("routing-eo").build();
        return Pipe.builder().name("routing-eo").source(source).decoder(router.decoder()).sink(router.sink())
                .batching(Batching.builder().maxRows(200).maxAge(Duration.ofMillis(300)).build())
                .delivery(Delivery.EXACTLY_ONCE).build();
    }

    private static long q(String sql) throws Exception {
        return Long.parseLong(http.query(sql).strip());
    }

    private static long committed() throws Exception {
        try (Admin admin = kafka.admin()) {
            return admin.listConsumerGroupOffsets("routing-eo").partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                    .values().stream().mapToLong(OffsetAndMetadata::offset).sum();
        }
    }

    @Test
    void aPipeStoppedBetweenTwoTablesOfABatchAndResumedLeavesEveryRecordOnceInItsTable() throws Exception {
        http.query("CREATE DATABASE IF NOT EXISTS shop");
        String dedup = " ENGINE = MergeTree ORDER BY id SETTINGS non_replicated_deduplication_window = 1000";
        http.query("CREATE TABLE shop.orders (id UInt64, amount Decimal(10, 2))" + dedup);
        http.query("CREATE TABLE shop.refunds (id UInt64, why String)" + dedup);
        http.query("CREATE TABLE shop.clicks (id UInt64, page String)" + dedup);
        kafka.createTopic(TOPIC, PARTITIONS);
        List<ProducerRecord<byte[], byte[]>> events = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            String json = switch (i % 3) {
                case 0 -> "{\"type\":\"order\",\"id\":" + i + ",\"amount\":1.5}";
                case 1 -> "{\"type\":\"refund\",\"id\":" + i + ",\"why\":\"late\"}";
                default -> "{\"type\":\"click\",\"id\":" + i + ",\"page\":\"/p\"}";
            };
            events.add(new ProducerRecord<>(TOPIC, (i / 3) % PARTITIONS, null, json.getBytes(StandardCharsets.UTF_8)));
        }
        kafka.send(events);

        Pipe crashing = pipe(failingClicks(3));
        Thread first = new Thread(() -> {
            try {
                crashing.run();
            } catch (RuntimeException e) {
                // completion() holds it
            }
        });
        first.start();
        try {
            crashing.completion().get(2, TimeUnit.MINUTES);
            throw new AssertionError("the pipe was to stop at the third insert into clicks");
        } catch (ExecutionException e) {
            assertThat(e.getCause()).hasMessageContaining("crash before the clicks of a batch");
        }
        first.join(60_000);
        long clicksBefore = q("SELECT count() FROM shop.clicks");
        assertThat(clicksBefore).isLessThan(EVENTS / 3);
        assertThat(q("SELECT count() FROM shop.orders")).isGreaterThan(clicksBefore); // the stopped batch's orders are in

        Pipe resumed = pipe(http);
        Thread second = new Thread(resumed);
        second.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (committed() < EVENTS || q("SELECT count() FROM shop.clicks") < EVENTS / 3) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("timed out: " + committed() + " offsets committed");
                }
                Thread.sleep(200);
            }
        } finally {
            resumed.close();
            second.join(60_000);
        }
        for (int kind = 0; kind < 3; kind++) {
            String table = "shop." + List.of("orders", "refunds", "clicks").get(kind);
            long sum = 0;
            for (int i = kind; i < EVENTS; i += 3) {
                sum += i;
            }
            assertThat(q("SELECT count() FROM " + table)).as(table + " rows").isEqualTo(EVENTS / 3);
            assertThat(q("SELECT uniqExact(id) FROM " + table)).as(table + " ids").isEqualTo(EVENTS / 3);
            assertThat(q("SELECT sum(id) FROM " + table)).as(table + " id sum").isEqualTo(sum);
        }
        assertThat(committed()).isEqualTo(EVENTS);
        assertThat(q("SELECT count() FROM shop.unrouted")).isZero();
    }
}
