package dev.clickpipes.source.objectstore;

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
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An object-store pipe in a child JVM ({@link ObjectStorePipeMain}: S3 through S3Proxy in this JVM,
 * continuous lexical loading, one worker with a stable id, its progress in a state table)
 * SIGKILLed at random moments while this test keeps putting new NDJSON objects (with a few bad
 * lines) into the bucket; a ClickHouse 26.5 server in another child JVM, with a real ZooKeeper for
 * the KeeperMap delivery state, outlives every kill. After the kills and a final run: exactly-once
 * leaves every record once (rows, and bad records in the error table); at-least-once leaves every
 * record at least once. Rounds: {@code -Dclickpipes.faults.rounds} (default 20); replay a seed with
 * {@code -Dclickpipes.faults.seed}.
 */
class ObjectStoreKillTest {

    private static final int ZK_PORT = 20611;
    private static final int CH_PORT = 20612;
    private static final int S3_PORT = 20613;
    private static final String BUCKET = "kill";
    /** One line in this many is not JSON: it must reach the error table. */
    private static final int BAD_EVERY = 250;
    private static final int LINES_PER_OBJECT = 300;

    private static ZooKeeperService zk;
    private static ChdbServerProcess ch;
    private static HttpTransport admin;
    private static S3ProxyServer s3proxy;
    private static S3Client s3;

    @TempDir
    Path dir;

    @BeforeAll
    static void servers() throws Exception {
        zk = ZooKeeperService.start(ZK_PORT);
        ch = ChdbServerProcess.builder().port(CH_PORT).zooKeeper(zk.connectString()).start();
        admin = HttpTransport.builder().endpoint(ch.endpoint()).credentials(ch.user(), ch.password()).build();
        s3proxy = new S3ProxyServer(S3_PORT, true);
        s3 = s3proxy.client();
        s3.createBucket(b -> b.bucket(BUCKET));
    }

    @AfterAll
    static void stopServers() throws Exception {
        if (s3 != null) {
            s3.close();
        }
        if (s3proxy != null) {
            s3proxy.close();
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
    void anObjectStorePipeKilledAtRandomWhileObjectsKeepComingLosesNothing(Delivery mode) throws Exception {
        String prefix = mode.name().toLowerCase().replace('_', '-');
        String db = "kill_objects_" + mode.name().toLowerCase();
        String table = eventsTable(db);
        String url = "s3://" + BUCKET + "/" + prefix + "/*.ndjson";
        String label = "object storage (S3) " + mode;

        DeliveryCheck check = DeliveryCheck.of(admin, table);
        // The random delay before a kill counts from when the restarted worker delivers again: every
        // kill hits a working pipe, not a JVM still starting.
        List<Duration> restarts = new ArrayList<>();
        KillLoop loop = KillLoop.builder().label(label).delay(Duration.ofMillis(200), Duration.ofMillis(4000))
                .launcher((worker, generation) -> {
                    long before = check.rowsAndErrorRows();
                    ChildJvm child = ChildJvm.builder(ObjectStorePipeMain.class).name("objectstore-pipe-" + generation)
                            .arg(url).arg(s3proxy.endpoint()).arg(ch.endpoint()).arg(ch.user()).arg(table)
                            .arg(db + ".objects").arg(mode.name()).arg("worker-0")
                            .env("CLICKPIPES_TEST_PASSWORD", ch.password())
                            .jvmOption("-XX:TieredStopAtLevel=1").jvmOption("-XX:+UseSerialGC")
                            .log(dir.resolve("pipe-" + generation + ".log"))
                            .start();
                    Duration took = check.awaitDelivering(child, before, Duration.ofSeconds(60));
                    if (generation > 0) {
                        restarts.add(took);
                    }
                    return child;
                }).build();
        DeliveryCount count = whileProducing(prefix, loop, loop::run, check, label, Duration.ofSeconds(90));
        int kills = count.kills();
        if (!restarts.isEmpty()) {
            System.out.printf("%s: a restarted worker delivered again after %d ms on average, %d ms at most%n", label,
                    restarts.stream().mapToLong(Duration::toMillis).sum() / restarts.size(),
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
     * Three workers sharing the objects under leases of 3 s (each a child JVM, exactly-once), while
     * objects keep coming: 8 SIGKILLs of a random worker (restarted with its stable id, or with a new
     * one every other time, which must wait for the old one's leases), then 2 SIGSTOPs of a worker
     * for 4–6 s, past its lease: another takes its object over, and the resumed zombie is fenced.
     * Every record lands once, none is skipped.
     */
    @ParameterizedTest
    @EnumSource(ObjectStoreSource.Ordering.class)
    void threeWorkersUnderLeasesKilledAndStoppedLoadEveryRecordOnce(ObjectStoreSource.Ordering ordering)
            throws Exception {
        String prefix = "leases-" + ordering.name().toLowerCase();
        String db = "kill_leases_" + ordering.name().toLowerCase();
        String table = eventsTable(db);
        String url = "s3://" + BUCKET + "/" + prefix + "/*.ndjson";
        String label = "object storage (S3), 3 workers, leases, " + ordering;
        DeliveryCheck check = DeliveryCheck.of(admin, table);
        KillLoop loop = KillLoop.builder().label(label).workers(3).rounds(Integer.getInteger(KillLoop.ROUNDS_PROPERTY, 8))
                .delay(Duration.ofMillis(500), Duration.ofMillis(4000))
                .launcher((worker, generation) -> ChildJvm.builder(ObjectStorePipeMain.class)
                        .name("objectstore-lease-" + worker + "-" + generation)
                        .arg(url).arg(s3proxy.endpoint()).arg(ch.endpoint()).arg(ch.user()).arg(table)
                        .arg(db + ".leases").arg(Delivery.EXACTLY_ONCE.name())
                        .arg(generation % 2 == 0 ? "w" + worker : "w" + worker + "-g" + generation)
                        .arg("3000").arg(ordering.name())
                        .env("CLICKPIPES_TEST_PASSWORD", ch.password())
                        .jvmOption("-XX:TieredStopAtLevel=1").jvmOption("-XX:+UseSerialGC")
                        .log(dir.resolve("lease-" + worker + "-" + generation + ".log"))
                        .start()).build();
        DeliveryCount count = whileProducing(prefix, loop, () -> {
            int kills = loop.run();
            loop.pauseRounds(2, Duration.ofMillis(4000), Duration.ofMillis(6000));
            return kills;
        }, check, label, Duration.ofSeconds(120));
        assertThat(count.exactlyOnce()).as(count + " (seed " + loop.seed() + ")").isTrue();
        admin.query("DROP DATABASE IF EXISTS " + db);
    }

    /**
     * A one-time load of objects written before it, by three workers under leases of 3 s, each
     * restarted with a new random id after every SIGKILL (so the old incarnation's objects pass on
     * only when its leases end), then two SIGSTOPs past the lease. Every worker must then exit by
     * itself, and only once every object is done, by whichever worker: when the last one has
     * exited, every record is in ClickHouse once.
     */
    @org.junit.jupiter.api.Test
    void oneTimeLoadByThreeWorkersWithNewIdsOnEveryRestartFinishesOnlyWhenEveryRecordIsIn() throws Exception {
        String prefix = "once";
        String db = "kill_once";
        String table = eventsTable(db);
        String label = "object storage (S3), one-time, 3 workers, leases, random ids";
        Producer objects = new Producer(prefix);
        for (int i = 0; i < 90; i++) { // about 30 s of loading on 2 cores: the faults hit a load in progress
            objects.putOne();
        }
        DeliveryCheck check = DeliveryCheck.of(admin, table);
        KillLoop loop = KillLoop.builder().label(label).workers(3).rounds(Integer.getInteger(KillLoop.ROUNDS_PROPERTY, 6))
                .delay(Duration.ofMillis(500), Duration.ofMillis(3000)).restartWorkersThatExit(true)
                .launcher((worker, generation) -> ChildJvm.builder(ObjectStorePipeMain.class)
                        .name("objectstore-once-" + worker + "-" + generation)
                        .arg("s3://" + BUCKET + "/" + prefix + "/*.ndjson").arg(s3proxy.endpoint()).arg(ch.endpoint())
                        .arg(ch.user()).arg(table).arg(db + ".leases").arg(Delivery.EXACTLY_ONCE.name()).arg("random")
                        .arg("3000").arg("ONCE")
                        .env("CLICKPIPES_TEST_PASSWORD", ch.password())
                        .jvmOption("-XX:TieredStopAtLevel=1").jvmOption("-XX:+UseSerialGC")
                        .log(dir.resolve("once-" + worker + "-" + generation + ".log"))
                        .start()).build();
        int kills;
        try {
            kills = loop.run();
            loop.pauseRounds(2, Duration.ofMillis(4000), Duration.ofMillis(6000));
            for (ChildJvm worker : loop.workers()) {
                assertThat(worker.awaitExit(Duration.ofSeconds(120))).as(worker + " exits by itself\n" + loop.logs())
                        .isTrue();
                assertThat(worker.exitValue()).as(worker + "\n" + loop.logs()).isZero();
            }
        } finally {
            loop.stopAll();
        }
        DeliveryCount count = check.count(label, kills, objects.good, objects.bad);
        System.out.println(count.line() + " (" + objects.objects + " objects, " + loop.exits() + " exits restarted)");
        assertThat(count.exactlyOnce()).as(count + " (seed " + loop.seed() + ")").isTrue();
        admin.query("DROP DATABASE IF EXISTS " + db);
    }

    /**
     * Does {@code faults} while a {@link Producer} keeps putting objects under {@code prefix}, then
     * lets the workers run until every record arrived (or {@code finish} passed); returns the count.
     */
    private static DeliveryCount whileProducing(String prefix, KillLoop loop, KillLoop.Faults faults, DeliveryCheck check,
            String label, Duration finish) throws Exception {
        Producer producer = new Producer(prefix);
        int kills = loop.whileWriting("putting objects under " + prefix, producer, faults);
        loop.finish(finish, () -> check.allArrived(producer.good, producer.bad));
        DeliveryCount count = check.count(label, kills, producer.good, producer.bad);
        System.out.println(count.line() + " (" + producer.objects + " objects)");
        return count;
    }

    /** A fresh database {@code db} with the events table (deduplicating, as Cloud's tables do); returns the table. */
    private static String eventsTable(String db) throws Exception {
        String table = db + ".events";
        admin.query("DROP DATABASE IF EXISTS " + db);
        admin.query("CREATE DATABASE " + db);
        admin.query("CREATE TABLE " + table + " (id UInt64, name String) ENGINE = MergeTree ORDER BY id"
                + " SETTINGS non_replicated_deduplication_window = 1000");
        return table;
    }

    /**
     * Puts an object of {@value #LINES_PER_OBJECT} NDJSON lines every 1.5 s until stopped (exactly-once
     * costs state round trips per object, a partition: measured here on 2 busy cores, a worker kept
     * up with about one object a second, not with 4 of 100 lines), under
     * keys in lexical order ({@code <prefix>/obj-000042.ndjson}: continuous loading takes keys after
     * the last one loaded). Ids {@code 0..good-1}; every {@value #BAD_EVERY}th line is not JSON.
     */
    private static final class Producer implements KillLoop.Writer {
        private final String prefix;
        volatile long good;
        volatile long bad;
        volatile long objects;

        Producer(String prefix) {
            this.prefix = prefix;
        }

        private long line;

        @Override
        public void writeUntil(BooleanSupplier stopped) throws Exception {
            while (!stopped.getAsBoolean()) {
                putOne();
                Thread.sleep(1500);
            }
        }

        /** Puts the next object. */
        void putOne() {
            long g = good;
            long b = bad;
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < LINES_PER_OBJECT; i++, line++) {
                if (line % BAD_EVERY == BAD_EVERY / 2) {
                    text.append("not json ").append(b++).append('\n');
                } else {
                    text.append("{\"id\":").append(g).append(",\"name\":\"n").append(g).append("\"}\n");
                    g++;
                }
            }
            String key = String.format("%s/obj-%06d.ndjson", prefix, objects);
            s3.putObject(r -> r.bucket(BUCKET).key(key), RequestBody.fromString(text.toString()));
            good = g;
            bad = b;
            objects++;
        }
    }
}
