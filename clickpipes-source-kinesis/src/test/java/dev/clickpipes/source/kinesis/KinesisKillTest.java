package dev.clickpipes.source.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clickpipes.clickhouse.http.HttpTransport;
import dev.clickpipes.core.Delivery;
import dev.clickpipes.testservices.ChdbServerProcess;
import dev.clickpipes.testservices.ZooKeeperService;
import dev.clickpipes.testservices.faults.ChildJvm;
import dev.clickpipes.testservices.faults.DeliveryCheck;
import dev.clickpipes.testservices.faults.DeliveryCount;
import dev.clickpipes.testservices.faults.KillLoop;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

/**
 * A Kinesis pipe in a child JVM ({@link KinesisPipeMain}: KCL, polling, one worker with a stable
 * worker id) SIGKILLed at random moments while a producer in this JVM keeps putting JSON records
 * into a 2-shard stream of kinesis-mock (KCL's leases in DynamoDB Local), both on this test's own
 * ports; a ClickHouse 26.5 server in another child JVM, with a real ZooKeeper for the KeeperMap
 * delivery state, outlives every kill. After the kills and a final run: exactly-once leaves every
 * record once (rows, and bad records in the error table); at-least-once leaves every record at
 * least once. Rounds: {@code -Dclickpipes.faults.rounds} (default 20); replay a seed with {@code
 * -Dclickpipes.faults.seed}.
 *
 * <p>Each kill waits a random 0.2-2.5 s after the restarted worker delivers again. That restart is
 * the slow part (measured here on 2 busy cores: 6.8-9.1 s on average, 13 s at most; about 4.5 minutes a test): a JVM, the AWS
 * clients and KCL's start, then KCL's shard consumers initialising at its dispatch interval. It is
 * not lease expiry: under the same worker id KCL takes the dead worker's leases back at once.
 */
class KinesisKillTest {

    private static final int ZK_PORT = 20601;
    private static final int CH_PORT = 20602;
    private static final int KINESIS_PORT = 20603;
    private static final int KINESIS_TLS_PORT = 20604;
    private static final int DYNAMODB_PORT = 20605;
    private static final int SHARDS = 2;
    /** One record in this many is not JSON: it must reach the error table. */
    private static final int BAD_EVERY = 250;

    private static KinesisTestServers kinesis;
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
        kinesis = KinesisTestServers.start(KINESIS_PORT, KINESIS_TLS_PORT, DYNAMODB_PORT);
    }

    @AfterAll
    static void stopServers() {
        if (kinesis != null) {
            kinesis.close();
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

    @ParameterizedTest
    @EnumSource(Delivery.class)
    void aKinesisPipeKilledAtRandomWhileRecordsKeepComingLosesNothing(Delivery mode) throws Exception {
        String stream = "kill-" + mode.name().toLowerCase().replace('_', '-');
        String db = "kill_kinesis_" + mode.name().toLowerCase();
        String table = db + ".events";
        kinesis.createStream(stream, SHARDS);
        admin.query("DROP DATABASE IF EXISTS " + db);
        admin.query("CREATE DATABASE " + db);
        admin.query("CREATE TABLE " + table + " (id UInt64, name String) ENGINE = MergeTree ORDER BY id"
                + " SETTINGS non_replicated_deduplication_window = 1000");
        String label = "kinesis " + mode;
        DeliveryCheck check = DeliveryCheck.of(admin, table);

        // The random delay before a kill counts from when the restarted worker delivers again (its JVM,
        // KCL's start and taking the leases back take seconds here): every kill hits a working pipe.
        // The first worker also waits out KCL's random 1-30 s on an empty lease table.
        List<Duration> restarts = new ArrayList<>();
        KillLoop loop = KillLoop.builder().label(label).delay(Duration.ofMillis(200), Duration.ofMillis(2500))
                .launcher((worker, generation) -> {
                    long before = check.rowsAndErrorRows();
                    ChildJvm child = ChildJvm.builder(KinesisPipeMain.class).name("kinesis-pipe-" + generation)
                            .arg(kinesis.kinesisEndpoint().toString()).arg(kinesis.dynamoDbEndpoint().toString())
                            .arg(stream).arg("kill-" + stream).arg(ch.endpoint()).arg(ch.user()).arg(table)
                            .arg(mode.name()).arg("worker-0")
                            .env("CLICKPIPES_TEST_PASSWORD", ch.password())
                            .maxHeap("384m").jvmOption("-XX:TieredStopAtLevel=1").jvmOption("-XX:+UseSerialGC")
                            .log(dir.resolve("pipe-" + generation + ".log"))
                            .start();
                    Duration took = check.awaitDelivering(child, before, Duration.ofSeconds(generation == 0 ? 90 : 60));
                    if (generation > 0) {
                        restarts.add(took);
                    }
                    return child;
                }).build();
        Producer producer = new Producer(stream);
        int kills = loop.whileWriting("putting records into " + stream, producer, loop::run);
        loop.finish(Duration.ofSeconds(90), () -> check.allArrived(producer.good, producer.bad));
        DeliveryCount count = check.count(label, kills, producer.good, producer.bad);
        System.out.println(count.line());
        if (!restarts.isEmpty()) {
            System.out.printf("%s: a restarted worker delivered again after %d ms on average, %d ms at most%n", label,
                    restarts.stream().mapToLong(Duration::toMillis).sum() / Math.max(1, restarts.size()),
                    restarts.stream().mapToLong(Duration::toMillis).max().orElse(0));
        }
        String why = count + " (seed " + loop.seed() + ")";
        assertThat(kills).isEqualTo(loop.rounds());
        if (mode == Delivery.EXACTLY_ONCE) {
            assertThat(count.exactlyOnce()).as(why).isTrue();
        } else {
            assertThat(count.atLeastOnce()).as(why).isTrue();
        }
        admin.query("DROP DATABASE IF EXISTS " + db);
    }

    /**
     * Puts batches of 40 records (random partition keys, so both shards) every 100 ms until stopped,
     * retrying only the entries Kinesis refused (those were not written). Ids {@code 0..good-1};
     * every {@value #BAD_EVERY}th record is not JSON.
     */
    private static final class Producer implements KillLoop.Writer {
        private final String stream;
        volatile long good;
        volatile long bad;

        Producer(String stream) {
            this.stream = stream;
        }

        @Override
        public void writeUntil(BooleanSupplier stopped) throws Exception {
            long n = 0;
            while (!stopped.getAsBoolean()) {
                long g = good;
                long b = bad;
                List<PutRecordsRequestEntry> entries = new ArrayList<>();
                for (int i = 0; i < 40; i++, n++) {
                    String value = n % BAD_EVERY == BAD_EVERY / 2 ? "not json " + b++
                            : "{\"id\":" + g + ",\"name\":\"n" + g++ + "\"}";
                    entries.add(PutRecordsRequestEntry.builder().partitionKey("k" + n)
                            .data(SdkBytes.fromUtf8String(value)).build());
                }
                kinesis.putAll(stream, entries);
                good = g;
                bad = b;
                Thread.sleep(100);
            }
        }
    }
}
