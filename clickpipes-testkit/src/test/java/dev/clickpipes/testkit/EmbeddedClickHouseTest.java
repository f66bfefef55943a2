package dev.clickpipes.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.clickpipes.clickhouse.ClickHouseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class EmbeddedClickHouseTest {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedClickHouseTest.class);

    private static EmbeddedClickHouse ch;
    private TestDatabase db;

    @BeforeAll
    static void startEngine() {
        assumeTrue(EmbeddedClickHouse.isAvailable(), "libchdb.so missing: run scripts/fetch-chdb.sh");
        long start = System.nanoTime();
        ch = EmbeddedClickHouse.shared();
        LOG.info("shared() took {} ms (library load + connect, when first)", (System.nanoTime() - start) / 1_000_000);
    }

    @BeforeEach
    void createDatabase() throws Exception {
        db = ch.newDatabase();
    }

    @AfterEach
    void dropDatabase() {
        db.close();
    }

    @Test
    void versionIsClickHouse26() {
        assertThat(ch.version()).startsWith("26.");
        assertThat(ch.describe()).contains(ch.version()).contains(ch.dataDir().toString());
    }

    @Test
    void nativeBlockOfSeveralTypesReadsBackExactly() throws Exception {
        String t = db.table("mixed");
        ch.query("CREATE TABLE " + t + " (id UInt32, s String, ns Nullable(String), arr Array(UInt64))"
                + " ENGINE = MergeTree ORDER BY id");
        NativeBlockBytes block = new NativeBlockBytes(4, 4);
        block.column("id", "UInt32").uint32(1).uint32(2).uint32(3).uint32(0xFFFFFFFFL);
        block.column("s", "String").string("a").string("").string("tab\there").string("ünï ✓");
        // Nullable: the null map (one byte per row), then the nested column with a default where null.
        block.column("ns", "Nullable(String)").uint8(0).uint8(1).uint8(0).uint8(1)
                .string("x").string("").string("").string("");
        // Array: cumulative end offsets per row, then the flattened elements.
        block.column("arr", "Array(UInt64)").uint64(0).uint64(1).uint64(3).uint64(4)
                .uint64(7).uint64(8).uint64(9).uint64(-1L);
        byte[] bytes = block.toByteArray();

        ch.insert("INSERT INTO " + t + " FORMAT Native", bytes, bytes.length);

        assertThat(ch.queryRows("SELECT id, s, ns, arr FROM " + t + " ORDER BY id")).containsExactly(
                Arrays.asList("1", "a", "x", "[]"),
                Arrays.asList("2", "", null, "[7]"),
                Arrays.asList("3", "tab\there", "", "[8,9]"),
                Arrays.asList("4294967295", "ünï ✓", null, "[18446744073709551615]"));
    }

    @Test
    void unknownTableIsClickHouseError60NamingTheTable() {
        String missing = db.table("no_such_table");
        assertThatThrownBy(() -> ch.query("SELECT * FROM " + missing))
                .isInstanceOfSatisfying(ClickHouseException.class, e -> {
                    assertThat(e.code()).isEqualTo(60);
                    assertThat(e.getMessage()).contains("no_such_table").startsWith("embedded ClickHouse: ");
                });
    }

    @Test
    void twoThreadsInsertingConcurrentlyBothLand() throws Exception {
        String t = db.table("concurrent");
        ch.query("CREATE TABLE " + t + " (x UInt64) ENGINE = MergeTree ORDER BY x");
        byte[] block = NativeBlockBytes.uint64Sequence("x", 10_000);
        int blocksPerThread = 20;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int thread = 0; thread < 2; thread++) {
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < blocksPerThread; i++) {
                        ch.insert("INSERT INTO " + t + " FORMAT Native", block, block.length);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(ch.queryLong("SELECT count() FROM " + t)).isEqualTo(2L * blocksPerThread * 10_000);
        assertThat(ch.queryLong("SELECT sum(x) FROM " + t)).isEqualTo(2L * blocksPerThread * (9_999L * 10_000 / 2));
    }

    @Test
    void statementsFromTwoThreadsRunInParallel() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            long start = System.nanoTime();
            Future<String> a = pool.submit(() -> ch.query("SELECT sleep(1)"));
            Future<String> b = pool.submit(() -> ch.query("SELECT sleep(1)"));
            assertThat(a.get()).isEqualTo("0\n");
            assertThat(b.get()).isEqualTo("0\n");
            // One connection would serialize them (2 s); the pool runs them side by side.
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1_900);
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void binaryStringWithZeroAndNewlineBytesRoundTripsInline() throws Exception {
        List<byte[]> values = List.of(
                new byte[] {'a', 0, 'b'}, new byte[] {'\n'}, new byte[] {0, '\n', 0, '\n'},
                new byte[] {(byte) 0xFF, (byte) 0xFE, '\r', '\n'}, new byte[0]);
        assertRoundTrip("inline", values, false);
    }

    @Test
    void binaryStringWithConsecutiveNewlinesRoundTripsThroughFile() throws Exception {
        List<byte[]> values = List.of(
                "x\n\ny".getBytes(StandardCharsets.UTF_8), new byte[] {'\n', '\n', 0, '\n', '\n'},
                "\n\nDROP TABLE anything\n\n".getBytes(StandardCharsets.UTF_8), new byte[] {0});
        assertRoundTrip("spooled", values, true);
    }

    private void assertRoundTrip(String name, List<byte[]> values, boolean expectBlankLine) throws Exception {
        String t = db.table(name);
        ch.query("CREATE TABLE " + t + " (i UInt32, s String) ENGINE = MergeTree ORDER BY i");
        NativeBlockBytes block = new NativeBlockBytes(2, values.size());
        block.column("i", "UInt32");
        for (int i = 0; i < values.size(); i++) {
            block.uint32(i);
        }
        block.column("s", "String");
        values.forEach(block::bytes);
        byte[] bytes = block.toByteArray();
        assertThat(InsertStatements.sendInline(bytes, bytes.length)).isEqualTo(!expectBlankLine);

        ch.insert("INSERT INTO " + t + " (i, s) FORMAT Native", bytes, bytes.length);

        List<String> expected = values.stream().map(v -> HexFormat.of().withUpperCase().formatHex(v)).toList();
        List<String> actual = ch.queryRows("SELECT hex(s) FROM " + t + " ORDER BY i").stream()
                .map(row -> row.get(0)).toList();
        assertThat(actual).containsExactlyElementsOf(expected);
    }

    @Test
    void insertWithSettingsClauseAndOmittedDefaultColumnThroughFile() throws Exception {
        String t = db.table("defaults");
        ch.query("CREATE TABLE " + t + " (x UInt64, tag String DEFAULT 'dflt') ENGINE = MergeTree ORDER BY x");
        byte[] block = NativeBlockBytes.uint64Sequence("x", 3_000); // 2570 = 0x0A0A: a blank line
        assertThat(InsertStatements.hasBlankLine(block, block.length)).isTrue();

        ch.insert("INSERT INTO " + t + " (x) SETTINGS max_insert_block_size = 1000000 FORMAT Native;",
                block, block.length);

        assertThat(ch.queryRows("SELECT count(), sum(x), any(tag) FROM " + t))
                .containsExactly(List.of("3000", String.valueOf(2_999L * 3_000 / 2), "dflt"));
    }

    @Test
    void oneMillionUInt64RowsInOneNativeBlock() throws Exception {
        String t = db.table("million");
        ch.query("CREATE TABLE " + t + " (x UInt64) ENGINE = MergeTree ORDER BY x");
        int rows = 1_000_000;
        long build = System.nanoTime();
        byte[] block = NativeBlockBytes.uint64Sequence("x", rows);
        long built = System.nanoTime();
        List<Long> millis = timeInserts(t, block, 5);

        int queries = 200;
        ch.query("SELECT 1");
        long q0 = System.nanoTime();
        for (int i = 0; i < queries; i++) {
            ch.query("SELECT 1");
        }
        long q1 = System.nanoTime();
        LOG.info("1,000,000-row UInt64 Native block ({} bytes, built in {} ms): inserts took {} ms;"
                        + " SELECT 1 takes {} us on average",
                block.length, (built - build) / 1_000_000, millis, (q1 - q0) / 1_000 / queries);

        assertThat(ch.queryLong("SELECT count() FROM " + t)).isEqualTo(5L * rows);
        assertThat(ch.queryLong("SELECT sum(x) FROM " + t)).isEqualTo(5 * (rows - 1L) * rows / 2);
    }

    private static List<Long> timeInserts(String table, byte[] block, int times) throws Exception {
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            long start = System.nanoTime();
            ch.insert("INSERT INTO " + table + " FORMAT Native", block, block.length);
            millis.add((System.nanoTime() - start) / 1_000_000);
        }
        return millis;
    }

    @Test
    void queryRowsUndoesTabSeparatedEscapes() throws Exception {
        assertThat(ch.queryRows("SELECT 'a\\tb', 'c\\nd', NULL, 'back\\\\slash', 'nul\\0', '' UNION ALL"
                + " SELECT 'q''s', '', 'x', '', '', 'last'"))
                .containsExactlyInAnyOrder(
                        Arrays.asList("a\tb", "c\nd", null, "back\\slash", "nul\0", ""),
                        Arrays.asList("q's", "", "x", "", "", "last"));
        assertThat(ch.queryRows("SELECT 1 WHERE 0")).isEmpty();
        assertThat(ch.queryLong("SELECT toUInt64(42)")).isEqualTo(42);
    }

    @Test
    void testDatabaseIsDroppedOnClose() throws Exception {
        TestDatabase other = ch.newDatabase();
        assertThat(other.name()).isNotEqualTo(db.name());
        ch.query("CREATE TABLE " + other.table("t") + " (x UInt8) ENGINE = Memory");
        String exists = "SELECT count() FROM system.databases WHERE name = '" + other.name() + "'";
        assertThat(ch.queryLong(exists)).isEqualTo(1);
        other.close();
        other.close();
        assertThat(ch.queryLong(exists)).isZero();
    }

    @Test
    @Timeout(60)
    void dropSyncDoesNotHang() throws Exception {
        ch.query("CREATE TABLE " + db.table("t") + " (x UInt8) ENGINE = MergeTree ORDER BY x");
        ch.query("CREATE TABLE " + db.table("m") + " (x UInt8) ENGINE = Memory");
        ch.query("INSERT INTO " + db.table("t") + " VALUES (1)");
        ch.query("DROP TABLE " + db.table("t") + " SYNC");
        ch.query("CREATE TABLE " + db.table("t") + " (x UInt8) ENGINE = MergeTree ORDER BY x");
        assertThat(ch.queryLong("SELECT count() FROM " + db.table("t"))).isZero();
        TestDatabase other = ch.newDatabase();
        ch.query("CREATE TABLE " + other.table("m") + " (x UInt8) ENGINE = Memory");
        ch.query("drop database " + other.name() + " sync;");
        assertThat(ch.queryLong("SELECT count() FROM system.databases WHERE name = '" + other.name() + "'")).isZero();
    }

    @Test
    void closingTheSharedEngineDoesNothing() throws Exception {
        EmbeddedClickHouse.shared().close();
        assertThat(EmbeddedClickHouse.shared()).isSameAs(ch);
        assertThat(ch.queryLong("SELECT 1")).isEqualTo(1);
    }

    @Test
    void aDedicatedEngineCannotStartWhileTheSharedOneRuns(@TempDir Path dir) {
        assertThatThrownBy(() -> EmbeddedClickHouse.start(dir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("one engine per process")
                .hasMessageContaining(ch.dataDir().toString());
    }

    @Test
    void aDeadProcesssLeftOverInsertBodiesAreDeletedAndALiveOnesKept(@TempDir Path dir) throws Exception {
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        Path dead = Files.createDirectories(dir.resolve("clickpipes-chdb-spool-" + ended.pid() + "-123"));
        Files.write(dead.resolve("insert-1.bin"), new byte[1024]);
        Path alive = Files.createDirectories(dir.resolve("clickpipes-chdb-spool-" + ProcessHandle.current().pid() + "-456"));
        Path other = Files.createDirectories(dir.resolve("clickpipes-chdb-spool-notapid"));

        EmbeddedClickHouse.deleteSpoolsOfDeadProcesses(dir);

        assertThat(dead).doesNotExist();
        assertThat(alive).isDirectory();
        assertThat(other).isDirectory();
    }

    @Test
    void theJvmKeepsItsOwnCrashSignalHandlers() throws Exception {
        // Open more connections (each connect is a chance for chDB to install handlers) ...
        statementsFromTwoThreadsRunInParallel();
        // ... then check SIGILL, SIGFPE, SIGBUS and SIGSEGV still point into libjvm.so ...
        long[] handlers = ChdbLibrary.load().signalHandlers();
        List<long[]> jvm = libjvmRanges();
        assumeTrue(!jvm.isEmpty(), "libjvm.so not found in /proc/self/maps");
        for (int sig : new int[] {4, 7, 8, 11}) {
            long h = handlers[sig];
            assertThat(jvm.stream().anyMatch(r -> Long.compareUnsigned(h, r[0]) >= 0 && Long.compareUnsigned(h, r[1]) < 0))
                    .as("handler of signal %d (0x%x) lies in libjvm.so", sig, h).isTrue();
        }
        // ... and exercise them: implicit null checks and GC safepoints fault on purpose.
        int npes = 0;
        List<byte[]> garbage = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            try {
                npes += hashOf(i % 100 == 0 ? null : "x") > Integer.MIN_VALUE ? 0 : 1;
            } catch (NullPointerException e) {
                npes++;
            }
            if (i % 1000 == 0) {
                garbage.add(new byte[1 << 16]);
                if (garbage.size() > 200) {
                    garbage.clear();
                }
            }
        }
        System.gc();
        assertThat(npes).isEqualTo(2_000);
    }

    private static int hashOf(Object o) {
        return o.hashCode();
    }

    private static List<long[]> libjvmRanges() throws IOException {
        List<long[]> ranges = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            if (line.endsWith("/libjvm.so")) {
                String[] range = line.substring(0, line.indexOf(' ')).split("-");
                ranges.add(new long[] {Long.parseUnsignedLong(range[0], 16), Long.parseUnsignedLong(range[1], 16)});
            }
        }
        return ranges;
    }
}
