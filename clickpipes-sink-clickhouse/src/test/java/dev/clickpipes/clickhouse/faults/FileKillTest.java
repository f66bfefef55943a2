package dev.clickpipes.clickhouse.faults;

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
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file pipe in a child JVM ({@link FilePipeMain}) SIGKILLed at random moments while this test
 * keeps appending records to its file; a ClickHouse 26.5 server in another child JVM (with a real
 * ZooKeeper, for the KeeperMap delivery state) outlives every kill. After the kills and a final
 * run: exactly-once leaves every record once (rows, and bad records in the error table);
 * at-least-once leaves every record at least once. Rounds: {@code -Dclickpipes.faults.rounds}
 * (default 20); replay a seed with {@code -Dclickpipes.faults.seed}.
 */
class FileKillTest {

    private static final int ZK_PORT = 20301;
    private static final int CH_PORT = 20302;
    /** One line in this many is not JSON: it must reach the error table. */
    private static final int BAD_EVERY = 250;
    private static final int LINES_PER_BLOCK = 50;
    private static final int PAGE = 4096;

    private static ZooKeeperService zk;
    private static ChdbServerProcess ch;
    private static HttpTransport admin;

    @TempDir
    Path dir;

    @BeforeAll
    static void servers() {
        zk = ZooKeeperService.start(ZK_PORT);
        ch = ChdbServerProcess.builder().port(CH_PORT).zooKeeper(zk.connectString()).start();
        admin = HttpTransport.builder().endpoint(ch.endpoint()).credentials(ch.user(), ch.password()).build();
    }

    @AfterAll
    static void stopServers() {
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
    void aPipeKilledAtRandomWhileRecordsKeepComingLosesNothing(Delivery mode) throws Exception {
        String db = "kill_file_" + mode.name().toLowerCase();
        String table = db + ".events";
        admin.query("DROP DATABASE IF EXISTS " + db);
        admin.query("CREATE DATABASE " + db);
        admin.query("CREATE TABLE " + table + " (id UInt64, name String) ENGINE = MergeTree ORDER BY id"
                + " SETTINGS non_replicated_deduplication_window = 1000");
        Path file = dir.resolve("events.ndjson");
        Files.createFile(file);
        Path checkpoint = mode == Delivery.AT_LEAST_ONCE ? dir.resolve("events.checkpoint") : null;
        String label = "file " + mode;

        KillLoop loop = KillLoop.builder().label(label).delay(Duration.ofMillis(300), Duration.ofMillis(4000))
                .launcher((worker, generation) -> {
                    ChildJvm.Builder b = ChildJvm.builder(FilePipeMain.class).name("file-pipe-" + generation)
                            .arg(ch.endpoint()).arg(ch.user()).arg(table).arg(file.toString()).arg(mode.name())
                            .env("CLICKPIPES_TEST_PASSWORD", ch.password())
                            .jvmOption("-XX:TieredStopAtLevel=1").jvmOption("-XX:+UseSerialGC")
                            .log(dir.resolve("pipe-" + generation + ".log"));
                    if (checkpoint != null) {
                        b.arg(checkpoint.toString());
                    }
                    return b.start();
                }).build();
        Appender appender = new Appender(file);
        Thread producer = new Thread(appender, "file-producer");
        producer.start();
        int kills;
        try {
            kills = loop.run();
        } finally {
            appender.stop = true;
            producer.join();
        }
        if (appender.failure != null) {
            loop.stopAll();
            throw new AssertionError("appending to " + file + " failed", appender.failure);
        }
        DeliveryCheck check = DeliveryCheck.of(admin, table);
        loop.finish(Duration.ofSeconds(90), () -> check.allArrived(appender.good, appender.bad));
        DeliveryCount count = check.count(label, kills, appender.good, appender.bad);
        System.out.println(count.line());
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
     * Appends {@value #LINES_PER_BLOCK} lines every 80 ms until stopped. Each write is one whole
     * 4 KB page at a page-aligned offset (the lines, then empty lines, which the source skips): a
     * reader at the end of the file then sees all of a write or none of it, never half a line
     * (the kernel moves the file's size past a page only after copying it).
     */
    private static final class Appender implements Runnable {
        private final Path file;
        volatile boolean stop;
        volatile long good;
        volatile long bad;
        volatile Exception failure;

        Appender(Path file) {
            this.file = file;
        }

        @Override
        public void run() {
            long line = 0;
            try (FileChannel out = FileChannel.open(file, StandardOpenOption.APPEND)) {
                while (!stop) {
                    byte[] page = new byte[PAGE];
                    Arrays.fill(page, (byte) '\n');
                    StringBuilder text = new StringBuilder();
                    long g = good;
                    long b = bad;
                    for (int i = 0; i < LINES_PER_BLOCK; i++, line++) {
                        if (line % BAD_EVERY == BAD_EVERY / 2) {
                            text.append("not json ").append(b++).append('\n');
                        } else {
                            text.append("{\"id\":").append(g).append(",\"name\":\"n").append(g).append("\"}\n");
                            g++;
                        }
                    }
                    byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
                    System.arraycopy(bytes, 0, page, 0, bytes.length);
                    ByteBuffer buf = ByteBuffer.wrap(page);
                    while (buf.hasRemaining()) {
                        out.write(buf);
                    }
                    good = g;
                    bad = b;
                    Thread.sleep(80);
                }
            } catch (IOException | InterruptedException e) {
                failure = e;
            }
        }
    }
}
