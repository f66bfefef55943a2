package dev.clickpipes.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clickpipes.testservices.ZooKeeperService;
import dev.clickpipes.testservices.faults.ChildJvm;
import dev.clickpipes.testservices.faults.DeliveryCheck;
import dev.clickpipes.testservices.faults.DeliveryCount;
import dev.clickpipes.testservices.faults.KillLoop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A routed pipe SIGKILLed mid-stream: {@code clickpipes run} of one Kafka topic (4 partitions)
 * carrying orders, refunds and clicks into three tables with {@code delivery: exactly-once}, in a
 * child JVM killed at random moments ({@code -Dclickpipes.faults.rounds}, default 3) and started
 * again while a producer here keeps writing; a ClickHouse 26.5 server (another child JVM, with a
 * real ZooKeeper for the KeeperMap delivery state) outlives every kill. After a final run, per
 * table: rows = produced and distinct ids = produced; nothing in the fallback table.
 */
class RoutedKillTest {

    private static final int ZK_PORT = 21999; // these four: no other test class uses them
    private static final int CH_PORT = 21903;
    private static final int BROKER_PORT = 21904;
    private static final int CONTROLLER_PORT = 21905;
    private static final List<String> TYPES = List.of("order", "refund", "click");

    private static ZooKeeperService zk;
    private static CliServers servers;

    @TempDir
    Path dir;

    @BeforeAll
    static void servers() throws Exception {
        zk = ZooKeeperService.start(ZK_PORT);
        servers = CliServers.start(CH_PORT, BROKER_PORT, CONTROLLER_PORT, zk.connectString());
    }

    @AfterAll
    static void stopServers() {
        CliServers.close(servers);
        if (zk != null) {
            zk.close();
        }
    }

    @Test
    void aRouterKilledMidStreamLeavesEveryRecordOnceInItsTable() throws Exception {
        servers.kafka.createTopic("routed-kill", 4);
        servers.client.query("CREATE DATABASE IF NOT EXISTS kill");
        for (String type : TYPES) {
            servers.client.query("CREATE TABLE kill." + type + "s (id UInt64, type String, note String) ENGINE = MergeTree ORDER BY id"
                    + " SETTINGS non_replicated_deduplication_window = 1000");
        }
        Path pipes = dir.resolve("routed-kill.yaml");
        Files.writeString(pipes, """
                pipes:
                  routed-kill:
                    source:
                      type: kafka
                      bootstrap-servers: "%s"
                      topics: [routed-kill]
                      group-id: routed-kill
                      properties: {group.instance.id: worker-0, session.timeout.ms: 6000, heartbeat.interval.ms: 1000}
                    decoder: {type: json}
                    sink: {endpoint: "%s", user: %s, password: "${CLICKHOUSE_PASSWORD}", database: kill}
                    routing:
                      route-by: field
                      name: type
                      tables: {order: orders, refund: refunds, click: clicks}
                      fallback-error-table: unrouted
                    batching: {max-rows: 400, max-age: 300ms}
                    delivery: exactly-once
                """.formatted(servers.kafka.bootstrapServers(), servers.server.endpoint(), servers.server.user()));
        int rounds = Integer.getInteger(KillLoop.ROUNDS_PROPERTY, 3);
        String label = "router EXACTLY_ONCE, 3 tables";
        // Static membership: a restarted runner gets its partitions back at once, not after the 6 s session.
        List<DeliveryCheck> checks = TYPES.stream().map(t -> DeliveryCheck.of(servers.client, "kill." + t + "s")).toList();
        // The delay before a kill counts from when the first table (orders: the router inserts its targets in
        // order) got rows from this runner, and is short, so every kill hits a working router; those that land
        // inside a batch show as "inserting the interrupted batch ... again" in the next runner's log.
        KillLoop loop = KillLoop.builder().label(label).rounds(rounds).delay(Duration.ofMillis(0), Duration.ofMillis(1500))
                .launcher((worker, generation) -> {
                    long before = checks.get(0).rowsAndErrorRows();
                    ChildJvm runner = ChildJvm.builder(ClickPipesCli.class).name("routed-" + generation)
                            .arg("run").arg(pipes.toString()).arg("--progress").arg("0s")
                            .env("CLICKHOUSE_PASSWORD", servers.server.password())
                            .jvmOption("-XX:TieredStopAtLevel=1").jvmOption("-XX:+UseSerialGC")
                            .systemProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "warn")
                            .log(dir.resolve("routed-" + generation + ".log")).start();
                    checks.get(0).awaitDelivering(runner, before, Duration.ofSeconds(90));
                    return runner;
                })
                .build();
        TypedProducer producer = new TypedProducer("routed-kill");
        int kills = loop.whileWriting("producing to routed-kill", producer, loop::run);
        long perType = producer.perType;
        loop.finish(Duration.ofSeconds(120), () -> checks.stream().allMatch(c -> c.allArrived(perType, 0)));
        for (int i = 0; i < TYPES.size(); i++) {
            DeliveryCount count = checks.get(i).count(label + ", kill." + TYPES.get(i) + "s", kills, perType, 0);
            System.out.println(count.line() + " [rows " + count.rows() + ", distinct ids " + count.distinct() + "]");
            assertThat(count.exactlyOnce()).as(count + " (seed " + loop.seed() + ")").isTrue();
        }
        assertThat(servers.client.query("SELECT count(), countIf(type != 'order') FROM kill.orders").strip()).isEqualTo(perType + "\t0");
        assertThat(servers.client.query("SELECT count() FROM kill.unrouted").strip()).isEqualTo("0");
        System.out.println(label + ": " + kills + " kills, " + resentBatches() + " interrupted batches inserted again after a restart");
    }

    /** The runners' "inserting the interrupted batch ... again" lines: batches a kill cut off, sent again with their tokens. */
    private long resentBatches() throws java.io.IOException {
        long n = 0;
        try (var logs = Files.list(dir)) {
            for (Path log : logs.filter(p -> p.getFileName().toString().endsWith(".log")).toList()) {
                n += CliRuns.logOf(log).lines().filter(l -> l.contains("inserting the interrupted batch")).count();
            }
        }
        return n;
    }

    /**
     * Writes rounds of 30 records (10 of each type, ids counting per type), spread over the
     * partitions, every 50 ms until stopped, each round acknowledged before it counts
     * (idempotent, so a retried send is not doubled).
     */
    private static final class TypedProducer implements KillLoop.Writer {
        private final String topic;
        /** Records of each type acknowledged: ids {@code 0 .. perType-1} of every type. */
        volatile long perType;

        TypedProducer(String topic) {
            this.topic = topic;
        }

        @Override
        public void writeUntil(BooleanSupplier stopped) throws Exception {
            Map<String, Object> config = Map.of("bootstrap.servers", servers.kafka.bootstrapServers(), "acks", "all",
                    "enable.idempotence", "true", "linger.ms", "5", "key.serializer", StringSerializer.class.getName(),
                    "value.serializer", StringSerializer.class.getName());
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
                int partition = 0;
                while (!stopped.getAsBoolean()) {
                    List<Future<RecordMetadata>> round = new ArrayList<>();
                    for (long id = perType; id < perType + 10; id++) {
                        for (String type : TYPES) {
                            String value = "{\"type\":\"" + type + "\",\"id\":" + id + ",\"note\":\"" + type + "-" + id + "\"}";
                            round.add(producer.send(new ProducerRecord<>(topic, partition++ % 4, null, value)));
                        }
                    }
                    for (Future<RecordMetadata> sent : round) {
                        sent.get(60, TimeUnit.SECONDS);
                    }
                    perType += 10;
                    Thread.sleep(50);
                }
            }
        }
    }
}
