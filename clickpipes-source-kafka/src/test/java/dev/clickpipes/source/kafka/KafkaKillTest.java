package dev.clickpipes.source.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clickpipes.clickhouse.http.HttpTransport;
import dev.clickpipes.core.Delivery;
import dev.clickpipes.testservices.ChdbServerProcess;
import dev.clickpipes.testservices.ZooKeeperService;
import dev.clickpipes.testservices.faults.ChildJvm;
import dev.clickpipes.testservices.faults.DeliveryCheck;
import dev.clickpipes.testservices.faults.DeliveryCount;
import dev.clickpipes.testservices.faults.KillLoop;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.function.BooleanSupplier;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Kafka pipes in child JVMs ({@link KafkaPipeMain}) SIGKILLed (and SIGSTOPped) at random moments
 * while a producer in this JVM keeps writing JSON records to a 4-partition topic of a real KRaft
 * broker (in this JVM, 127.0.0.1:20313); a ClickHouse 26.5 server in another child JVM, with a real
 * ZooKeeper for the KeeperMap delivery state, outlives every kill. After the faults and a final
 * run: exactly-once leaves every record once (rows, and bad records in the error table);
 * at-least-once leaves every record at least once. Rounds: {@code -Dclickpipes.faults.rounds}
 * (default 20); replay a seed with {@code -Dclickpipes.faults.seed}.
 */
class KafkaKillTest {

    private static final int ZK_PORT = 20311;
    private static final int CH_PORT = 20312;
    private static final int BROKER_PORT = 20313;
    private static final int CONTROLLER_PORT = 20314;
    private static final int PARTITIONS = 4;
    /** One record in this many is not JSON: it must reach the error table. */
    private static final int BAD_EVERY = 250;
    private static final String BOOTSTRAP = "127.0.0.1:" + BROKER_PORT;

    private static Path brokerDir;
    private static KafkaRaftServer broker;
    private static ZooKeeperService zk;
    private static ChdbServerProcess ch;
    private static HttpTransport admin;

    @TempDir
    Path dir;

    @BeforeAll
    static void servers() throws Exception {
        zk = ZooKeeperService.start(ZK_PORT);
        ch = ChdbServerProcess.builder().port(CH_PORT).zooKeeper(zk.connectString()).start();
        admin = HttpTransport.builder().endpoint(ch.endpoint()).credentials(ch.user(), ch.password()).build();
        brokerDir = Files.createTempDirectory("clickpipes-kill-kafka-");
        broker = startBroker(brokerDir);
    }

    @AfterAll
    static void stopServers() throws IOException {
        if (broker != null) {
            broker.shutdown();
            broker.awaitShutdown();
        }
        if (brokerDir != null) {
            try (Stream<Path> files = Files.walk(brokerDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        if (admin != null) {
            admin.close();
        }
        if (ch != null) {
            ch.close();
        }
        if (zk != null) {
            zk.close();
        }
    }

    /** One KRaft broker and controller on 127.0.0.1, PLAINTEXT only, ports of this test's own. */
    private static KafkaRaftServer startBroker(Path dir) throws Exception {
        Path logs = dir.resolve("logs");
        Map<String, Object> p = new HashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + CONTROLLER_PORT);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listeners", "PLAINTEXT://" + BOOTSTRAP + ",CONTROLLER://127.0.0.1:" + CONTROLLER_PORT);
        p.put("advertised.listeners", "PLAINTEXT://" + BOOTSTRAP);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logs.toString());
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "2");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "2");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        new Formatter().setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setClusterId(Uuid.randomUuid().toString()).setNodeId(1)
                .setDirectories(List.of(logs.toString())).setMetadataLogDirectory(logs.toString())
                .setControllerListenerName("CONTROLLER").setReleaseVersion(MetadataVersion.latestProduction()).run();
        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(p, false), Time.SYSTEM);
        server.startup();
        try (Admin a = admin()) {
            a.describeCluster().nodes().get(60, TimeUnit.SECONDS);
        }
        return server;
    }

    private static Admin admin() {
        Properties p = new Properties();
        p.put("bootstrap.servers", BOOTSTRAP);
        return Admin.create(p);
    }

    private static String createTopicAndTable(String name) throws Exception {
        try (Admin a = admin()) {
            a.createTopics(List.of(new NewTopic(name, PARTITIONS, (short) 1))).all().get(60, TimeUnit.SECONDS);
        }
        String db = name.replace('-', '_');
        admin.query("DROP DATABASE IF EXISTS " + db);
        admin.query("CREATE DATABASE " + db);
        admin.query("CREATE TABLE " + db + ".events (id UInt64, name String) ENGINE = MergeTree ORDER BY id"
                + " SETTINGS non_replicated_deduplication_window = 1000");
        return db + ".events";
    }

    private KillLoop.Launcher launcher(String topic, String table, Delivery mode, boolean staticMembers) {
        return (worker, generation) -> ChildJvm.builder(KafkaPipeMain.class)
                .name("kafka-pipe-" + worker + "." + generation)
                .arg(BOOTSTRAP).arg(topic).arg("kill-" + topic).arg(ch.endpoint()).arg(ch.user()).arg(table)
                .arg(mode.name()).arg(staticMembers ? "worker-" + worker : "-")
                .env("CLICKPIPES_TEST_PASSWORD", ch.password())
                .jvmOption("-XX:TieredStopAtLevel=1").jvmOption("-XX:+UseSerialGC")
                .systemProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "warn")
                .log(dir.resolve("pipe-" + worker + "." + generation + ".log"))
                .start();
    }

    /** Faults while producing, then a final run until all arrived; prints and checks the figures. */
    private DeliveryCount runWithFaults(String label, String topic, String table, Delivery mode, KillLoop loop,
            FaultRounds faults) throws Exception {
        Producer producer = new Producer(topic);
        int kills = loop.whileWriting("producing to " + topic, producer, () -> faults.run(loop));
        DeliveryCheck check = DeliveryCheck.of(admin, table);
        loop.finish(Duration.ofSeconds(90), () -> check.allArrived(producer.good, producer.bad));
        DeliveryCount count = check.count(label, kills, producer.good, producer.bad);
        System.out.println(count.line() + (loop.exits() > 0 ? " (" + loop.exits() + " workers exited by themselves)" : ""));
        String why = count + " (seed " + loop.seed() + ")";
        if (mode == Delivery.EXACTLY_ONCE) {
            assertThat(count.exactlyOnce()).as(why).isTrue();
        } else {
            assertThat(count.atLeastOnce()).as(why).isTrue();
        }
        return count;
    }

    /** What a test does to its workers while the producer runs. */
    @FunctionalInterface
    private interface FaultRounds {
        int run(KillLoop loop) throws Exception;
    }

    @ParameterizedTest
    @EnumSource(Delivery.class)
    void aKafkaPipeKilledAtRandomWhileRecordsKeepComingLosesNothing(Delivery mode) throws Exception {
        String topic = "kill-one-" + mode.name().toLowerCase().replace('_', '-');
        String table = createTopicAndTable(topic);
        String label = "kafka " + mode;
        // Static membership: a restarted worker gets its partitions back at once, not after 6 s.
        KillLoop loop = KillLoop.builder().label(label).delay(Duration.ofMillis(500), Duration.ofMillis(4000))
                .launcher(launcher(topic, table, mode, true)).build();
        runWithFaults(label, topic, table, mode, loop, KillLoop::run);
    }

    @Test
    void twoKafkaPipesInOneGroupKilledAtRandomRebalanceAndDeliverExactlyOnce() throws Exception {
        String topic = "kill-two";
        String table = createTopicAndTable(topic);
        String label = "kafka EXACTLY_ONCE, 2 workers";
        // Dynamic membership: every kill and every restart moves partitions between the workers.
        KillLoop loop = KillLoop.builder().label(label).workers(2).delay(Duration.ofMillis(1000), Duration.ofMillis(5000))
                .restartWorkersThatExit(true).launcher(launcher(topic, table, Delivery.EXACTLY_ONCE, false)).build();
        runWithFaults(label, topic, table, Delivery.EXACTLY_ONCE, loop, KillLoop::run);
    }

    @Test
    void aKafkaPipeStoppedPastItsSessionAndResumedAsAZombieLeavesEveryRecordOnce() throws Exception {
        String topic = "kill-zombie";
        String table = createTopicAndTable(topic);
        int pauses = Integer.getInteger("clickpipes.faults.pauses", 3);
        String label = "kafka EXACTLY_ONCE, 2 workers, " + pauses + " SIGSTOP zombies";
        KillLoop loop = KillLoop.builder().label(label).workers(2).rounds(0)
                .delay(Duration.ofMillis(1000), Duration.ofMillis(4000))
                .restartWorkersThatExit(true).launcher(launcher(topic, table, Delivery.EXACTLY_ONCE, false)).build();
        // Stopped for longer than the 6 s session: the group gives its partitions to the other worker.
        runWithFaults(label, topic, table, Delivery.EXACTLY_ONCE, loop, l -> {
            l.run(); // starts both workers (no kills)
            Thread.sleep(3000);
            l.pauseRounds(pauses, Duration.ofMillis(8000), Duration.ofMillis(11000));
            return 0; // no kills: the figures' "0 kills", the label says how many pauses
        });
    }

    /**
     * Sends batches of 40 records, round robin over the partitions, every 50 ms until stopped,
     * waiting for each batch's acknowledgements (idempotent: a retried send is not doubled). Ids
     * {@code 0..good-1}; every {@value #BAD_EVERY}th record is not JSON.
     */
    private static final class Producer implements KillLoop.Writer {
        private final String topic;
        volatile long good;
        volatile long bad;

        Producer(String topic) {
            this.topic = topic;
        }

        @Override
        public void writeUntil(BooleanSupplier stopped) throws Exception {
            Properties p = new Properties();
            p.put("bootstrap.servers", BOOTSTRAP);
            p.put("acks", "all");
            p.put("enable.idempotence", "true");
            p.put("linger.ms", "5");
            p.put("delivery.timeout.ms", "60000");
            long n = 0;
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                    new ByteArraySerializer())) {
                while (!stopped.getAsBoolean()) {
                    long g = good;
                    long b = bad;
                    List<Future<RecordMetadata>> sent = new ArrayList<>();
                    for (int i = 0; i < 40; i++, n++) {
                        String value = n % BAD_EVERY == BAD_EVERY / 2 ? "not json " + b++
                                : "{\"id\":" + g + ",\"name\":\"n" + g++ + "\"}";
                        sent.add(producer.send(new ProducerRecord<>(topic, (int) (n % PARTITIONS), null,
                                value.getBytes(StandardCharsets.UTF_8))));
                    }
                    for (Future<RecordMetadata> f : sent) {
                        f.get(60, TimeUnit.SECONDS);
                    }
                    good = g;
                    bad = b;
                    Thread.sleep(50);
                }
            }
        }
    }
}
