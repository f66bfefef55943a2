package dev.clickpipes.source.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.ZstdOutputStream;
import dev.clickpipes.core.BatchReport;
import dev.clickpipes.core.Batching;
import dev.clickpipes.core.Delivery;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.core.PipeListener;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import dev.clickpipes.testkit.TestDatabase;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import net.jpountz.lz4.LZ4FrameOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/** file:// objects: compression, the size cap, resuming after a stop mid-object, continuous modes (several workers: ObjectCoordinationTest). */
class LocalObjectStoreTest {

    static EmbeddedClickHouse clickhouse;
    static TestDatabase db;
    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        clickhouse = EmbeddedClickHouse.shared();
        db = clickhouse.newDatabase();
    }

    @AfterAll
    static void stop() {
        // Not db.close(): its DROP DATABASE ... SYNC hangs in the embedded engine here; the shared
        // engine's temporary folder is deleted when the JVM exits.
    }

    static String table(String name) throws Exception {
        return TestPipes.eventsTable(db, name);
    }

    static void write(Path file, String text, String codec) throws Exception {
        Files.createDirectories(file.getParent());
        try (OutputStream raw = Files.newOutputStream(file); OutputStream out = switch (codec) {
            case "gz" -> new GZIPOutputStream(raw);
            case "zst" -> new ZstdOutputStream(raw);
            case "bz2" -> new BZip2CompressorOutputStream(raw);
            case "xz" -> new XZOutputStream(raw, new LZMA2Options());
            case "lz4" -> new LZ4FrameOutputStream(raw);
            default -> raw;
        }) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Also with a thread lent for decompressing: every compressed object then holds one task on it. */
    @ParameterizedTest(name = "decompress ahead: {0}")
    @ValueSource(booleans = {false, true})
    void everyCompressionByExtension(boolean ahead) throws Exception {
        String[] codecs = {"none", "gz", "zst", "bz2", "xz", "lz4"};
        for (int i = 0; i < codecs.length; i++) {
            String name = "part-" + i + ".ndjson" + (codecs[i].equals("none") ? "" : "." + codecs[i]);
            write(dir.resolve("in").resolve(name), TestPipes.events(i * 10_000, 10_000), codecs[i]);
        }
        String t = table("t_codecs_" + ahead);
        java.util.concurrent.atomic.AtomicInteger lent = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newCachedThreadPool();
        ObjectStoreSource.Builder b = ObjectStoreSource.builder().url(dir.toUri() + "in/part-*").format(ObjectFormat.NDJSON);
        if (ahead) {
            b.decompressExecutor(task -> {
                lent.incrementAndGet();
                threads.execute(task);
            });
        }
        try {
            TestPipes.pipe("codecs-" + ahead, b.build(), clickhouse, t).build().run();
        } finally {
            threads.shutdownNow();
        }
        assertThat(lent.get()).isEqualTo(ahead ? codecs.length - 1 : 0);
        assertThat(clickhouse.queryLong("SELECT count() FROM " + t)).isEqualTo(60_000);
        assertThat(clickhouse.queryLong("SELECT uniqExact(id) FROM " + t)).isEqualTo(60_000);
        assertThat(clickhouse.queryLong("SELECT sum(id) FROM " + t)).isEqualTo(59_999L * 60_000 / 2);
        assertThat(clickhouse.queryRows("SELECT _file, _row FROM " + t + " WHERE id = 40005"))
                .containsExactly(java.util.List.of("part-4.ndjson.xz", "5"));
    }

    /**
     * CSV fields in quotes hold newlines (LF and CRLF), delimiters and doubled quotes, also where
     * a read chunk ends inside them; the oracle is the engine's own reading of the same file.
     */
    @ParameterizedTest
    @ValueSource(strings = {"none", "gz"})
    void csvQuotedNewlinesStayInTheirRecord(String codec) throws Exception {
        StringBuilder csv = new StringBuilder("id,name,v\r\n");
        for (int i = 0; i < 20_000; i++) {
            String name = switch (i % 4) {
                case 0 -> "\"line one\nline two, with a comma\"";
                case 1 -> "\"she said \"\"hi\"\"\r\nthen left\"";
                case 2 -> "plain " + i;
                default -> "mid\"quote";
            };
            csv.append(i).append(',').append(name).append(',').append(i / 4.0).append(i % 3 == 0 ? "\r\n" : "\n");
        }
        Path file = dir.resolve("csv/data.csv" + (codec.equals("none") ? "" : "." + codec));
        write(file, csv.toString(), codec);
        String t = table("t_csv_" + codec);
        ObjectStoreSource source = ObjectStoreSource.builder().url(dir.toUri() + "csv/data.csv*")
                .format(ObjectFormat.CSV).decoder(dev.clickpipes.format.Decoders.csvWithNames()).build();
        TestPipes.pipe("csv-" + codec, source, clickhouse, t).build().run();
        String theirs = "file('" + file + "', CSVWithNames, 'id UInt32, name String, v Float64')";
        assertThat(clickhouse.queryLong("SELECT count() FROM " + t)).isEqualTo(20_000);
        assertThat(clickhouse.query("SELECT sum(cityHash64(id, name, v)) FROM " + t))
                .isEqualTo(clickhouse.query("SELECT sum(cityHash64(id, name, v)) FROM " + theirs));
        assertThat(clickhouse.queryRows("SELECT name FROM " + t + " WHERE id IN (4, 5) ORDER BY id")).containsExactly(
                java.util.List.of("line one\nline two, with a comma"), java.util.List.of("she said \"hi\"\r\nthen left"));
        // Rows are numbered by record (the header is row 0), not by line.
        assertThat(clickhouse.queryLong("SELECT _row FROM " + t + " WHERE id = 19999")).isEqualTo(20_000);
    }

    @Test
    void compressionSetExplicitly() throws Exception {
        write(dir.resolve("x/data.bin"), TestPipes.events(0, 100), "zst");
        String t = table("t_explicit");
        ObjectStoreSource source = ObjectStoreSource.builder().url(dir.toUri() + "x/*.bin").format(ObjectFormat.NDJSON)
                .compression(Compression.ZSTD).build();
        TestPipes.pipe("explicit", source, clickhouse, t).build().run();
        assertThat(clickhouse.queryLong("SELECT count() FROM " + t)).isEqualTo(100);
    }

    @Test
    void objectOverTheCapBecomesOneErrorRow() throws Exception {
        write(dir.resolve("cap/small.ndjson"), TestPipes.events(0, 10), "none");
        write(dir.resolve("cap/big.ndjson"), TestPipes.events(100, 10_000), "none");
        String t = table("t_cap");
        ObjectStoreSource source = ObjectStoreSource.builder().url(dir.toUri() + "cap/*.ndjson").maxObjectSize(10_000)
                .stateStore(clickhouse, db.table("cap_state")).build();
        TestPipes.pipe("cap", source, clickhouse, t).build().run();
        assertThat(clickhouse.queryLong("SELECT count() FROM " + t)).isEqualTo(10);
        assertThat(clickhouse.queryRows("SELECT error_kind, position FROM " + t + "_clickpipes_error"))
                .containsExactly(java.util.List.of("FILE_TOO_LARGE", "big.ndjson@0"));
        assertThat(clickhouse.queryLong("SELECT countDistinct(object) FROM " + db.table("cap_state") + " WHERE kind = 'done'"))
                .isEqualTo(2);
    }

    /** A pipe stopped after its second batch, in the middle of an object; the next run loads the rest, once. */
    @ParameterizedTest
    @ValueSource(strings = {"none", "gz"})
    void stoppedMidObjectResumesWithNothingLostOrTwice(String codec) throws Exception {
        String ext = codec.equals("none") ? "" : "." + codec;
        write(dir.resolve("r/a.ndjson" + ext), TestPipes.events(0, 30_000), codec);
        write(dir.resolve("r/b.ndjson" + ext), TestPipes.events(30_000, 30_000), codec);
        String t = table("t_resume_" + codec);
        String state = db.table("resume_state_" + codec);
        AtomicInteger batches = new AtomicInteger();
        Pipe first = pipe(t, state, "w1", new PipeListener() {
            @Override
            public void onBatchCommitted(Pipe pipe, BatchReport report) {
                if (batches.incrementAndGet() == 2) {
                    pipe.close();
                }
            }
        });
        first.run();
        long loaded = clickhouse.queryLong("SELECT count() FROM " + t);
        assertThat(loaded).isGreaterThan(0).isLessThan(60_000);
        assertThat(clickhouse.queryLong("SELECT max(row) FROM " + state + " WHERE kind = 'progress'")).isGreaterThan(0);

        pipe(t, state, "w1", new PipeListener() {
        }).run();
        assertThat(clickhouse.queryLong("SELECT count() FROM " + t)).isEqualTo(60_000);
        assertThat(clickhouse.queryLong("SELECT uniqExact(id) FROM " + t)).isEqualTo(60_000);
    }

    @Test
    void parquetStoppedMidObjectResumesAfterItsLastCommittedRow() throws Exception {
        Files.createDirectories(dir.resolve("pq"));
        Path file = dir.resolve("pq/a.parquet");
        // 50 000 rows in row groups of 8 000, written by the engine
        clickhouse.query("INSERT INTO FUNCTION file('" + file + "', Parquet, 'id UInt64, s String, a Array(UInt32)') "
                + "SELECT number, toString(number), range(number % 5) FROM numbers(50000) "
                + "SETTINGS output_format_parquet_row_group_size = 8000");
        String ours = db.table("pq_resume");
        clickhouse.query("CREATE TABLE " + ours + " (id UInt64, s String, a Array(UInt32), _row UInt64) "
                + "ENGINE = MergeTree ORDER BY id");
        String state = db.table("pq_resume_state");
        for (int run = 0; run < 2; run++) {
            ObjectStoreSource source = ObjectStoreSource.builder().url(dir.toUri() + "pq/*.parquet")
                    .stateStore(clickhouse, state).workerId("w").build();
            boolean stopEarly = run == 0;
            TestPipes.pipe("pq-resume", source, clickhouse, ours)
                    .batching(Batching.builder().maxRows(7_000).maxAge(Duration.ofSeconds(30)).build())
                    .listener(new PipeListener() {
                        @Override
                        public void onBatchCommitted(Pipe pipe, BatchReport report) {
                            if (stopEarly) {
                                pipe.close();
                            }
                        }
                    }).build().run();
            if (stopEarly) {
                assertThat(clickhouse.queryLong("SELECT count() FROM " + ours)).isBetween(7_000L, 49_999L);
            }
        }
        assertThat(clickhouse.queryLong("SELECT count() FROM " + ours)).isEqualTo(50_000);
        assertThat(clickhouse.queryLong("SELECT uniqExact(id) FROM " + ours)).isEqualTo(50_000);
        assertThat(clickhouse.queryLong("SELECT countIf(_row != id OR s != toString(id) OR length(a) != id % 5) FROM "
                + ours)).isZero();
    }

    /**
     * A flat column's value that the table's column cannot take (300 into UInt8) sends that row,
     * and only that row, to the error table, named by its position, while its row group is read
     * column by column; the rows around it, in the same window, all arrive.
     */
    @Test
    void parquetRowAFlatColumnCannotTakeGoesAloneToTheErrorTable() throws Exception {
        Files.createDirectories(dir.resolve("pqbad"));
        Path file = dir.resolve("pqbad/a.parquet");
        clickhouse.query("INSERT INTO FUNCTION file('" + file + "', Parquet, 'id UInt64, v Int64, s Nullable(String)') "
                + "SELECT number, if(number % 1000 = 7, 300, number % 200), if(number % 3 = 0, NULL, toString(number)) "
                + "FROM numbers(20000) SETTINGS output_format_parquet_row_group_size = 6000");
        String ours = db.table("pq_bad");
        clickhouse.query("CREATE TABLE " + ours + " (id UInt64, v UInt8, s Nullable(String), _row UInt64) "
                + "ENGINE = MergeTree ORDER BY id");
        ObjectStoreSource source = ObjectStoreSource.builder().url(dir.toUri() + "pqbad/*.parquet").build();
        TestPipes.pipe("pq-bad", source, clickhouse, ours).build().run();
        assertThat(clickhouse.queryLong("SELECT count() FROM " + ours)).isEqualTo(20_000 - 20);
        assertThat(clickhouse.queryLong("SELECT countIf(id % 1000 = 7) FROM " + ours)).isZero();
        assertThat(clickhouse.queryLong("SELECT countIf(_row != id OR v != id % 200 OR (id % 3 = 0) != isNull(s)"
                + " OR (s IS NOT NULL AND s != toString(id))) FROM " + ours)).isZero();
        List<List<String>> errors = clickhouse.queryRows("SELECT position FROM " + ours + "_clickpipes_error ORDER BY"
                + " toUInt64(splitByChar('@', position)[2])");
        assertThat(errors).hasSize(20);
        assertThat(errors.get(0).get(0)).endsWith("a.parquet@7");
        assertThat(errors.get(19).get(0)).endsWith("a.parquet@19007");
    }

    private Pipe pipe(String table, String state, String worker, PipeListener listener) {
        ObjectStoreSource source = ObjectStoreSource.builder().url(dir.toUri() + "r/*.ndjson*").format(ObjectFormat.NDJSON)
                .stateStore(clickhouse, state).workerId(worker).build();
        return TestPipes.pipe("resume", source, clickhouse, table)
                .batching(Batching.builder().maxRows(7_000).maxAge(Duration.ofSeconds(30)).build())
                .listener(listener).build();
    }

    @Test
    void continuousLexicalTakesOnlyLaterNamesAnyTakesAll() throws Exception {
        String t = table("t_cont");
        String state = db.table("cont_state");
        Path in = dir.resolve("c");
        write(in.resolve("2024-01.ndjson"), TestPipes.events(0, 100), "none");
        ObjectStoreSource source = ObjectStoreSource.builder().url(in.toUri() + "*.ndjson")
                .continuous(Duration.ofMillis(200), ObjectStoreSource.Ordering.LEXICAL)
                .stateStore(clickhouse, state).build();
        Pipe pipe = TestPipes.pipe("cont", source, clickhouse, t).build();
        CompletableFuture<Void> running = TestPipes.start(pipe);
        awaitCount(t, 100);
        write(in.resolve("2024-03.ndjson"), TestPipes.events(100, 100), "none");
        awaitCount(t, 200);
        write(in.resolve("2024-02.ndjson"), TestPipes.events(200, 100), "none"); // before the last: not taken
        write(in.resolve("2024-04.ndjson"), TestPipes.events(300, 100), "none");
        awaitCount(t, 300);
        Thread.sleep(600);
        pipe.close();
        running.get();
        assertThat(clickhouse.queryLong("SELECT count() FROM " + t + " WHERE _file = '2024-02.ndjson'")).isZero();

        ObjectStoreSource any = ObjectStoreSource.builder().url(in.toUri() + "*.ndjson")
                .continuous(Duration.ofMillis(200), ObjectStoreSource.Ordering.ANY)
                .stateStore(clickhouse, state).build();
        Pipe second = TestPipes.pipe("cont", any, clickhouse, t).build();
        running = TestPipes.start(second);
        awaitCount(t, 400);
        Thread.sleep(600);
        second.close();
        running.get();
        assertThat(clickhouse.queryLong("SELECT count() FROM " + t)).isEqualTo(400);
        assertThat(clickhouse.queryLong("SELECT uniqExact(id) FROM " + t)).isEqualTo(400);
    }

    /**
     * A running continuous load in any order remembers what it found done, so that a poll that
     * finds nothing new looks nothing up; it remembers the version too, so that a file rewritten
     * after that is loaded again (before, the key alone was remembered and the rewrite never seen).
     */
    @Test
    void aRunningContinuousLoadInAnyOrderLoadsAFileRewrittenAfterItWasFoundDone() throws Exception {
        String t = table("t_cont_rewrite");
        Path in = dir.resolve("cr");
        write(in.resolve("a.ndjson"), TestPipes.events(1000, 100), "none");
        ObjectStoreSource source = ObjectStoreSource.builder().url(in.toUri() + "*.ndjson")
                .continuous(Duration.ofMillis(100), ObjectStoreSource.Ordering.ANY)
                .stateStore(clickhouse, db.table("cont_rewrite_state")).build();
        Pipe pipe = TestPipes.pipe("cont-rewrite", source, clickhouse, t).build();
        CompletableFuture<Void> running = TestPipes.start(pipe);
        try {
            awaitCount(t, 100);
            Thread.sleep(1000); // several listings: a.ndjson is now known done
            write(in.resolve("a.ndjson"), TestPipes.events(2000, 100), "none"); // same size, other rows
            Files.setLastModifiedTime(in.resolve("a.ndjson"), java.nio.file.attribute.FileTime.fromMillis(
                    System.currentTimeMillis() + 5000));
            awaitCount(t, 200);
            Thread.sleep(500);
        } finally {
            pipe.close();
            running.get();
        }
        assertThat(clickhouse.queryRows("SELECT intDiv(id, 1000), count(), uniqExact(id) FROM " + t
                + " GROUP BY 1 ORDER BY 1")).containsExactly(List.of("1", "100", "100"), List.of("2", "100", "100"));
    }

    /**
     * A file written over in place while the pipe reads it: the read fails within 1 MB of the
     * change (a stat every megabyte), the rows read before stay, and the new version is loaded from
     * its first row; no version is mixed into the other's rows beyond that window. Before, the
     * rest of the file was read as the old version and the new one never loaded.
     */
    @Test
    void aFileWrittenOverInPlaceWhileReadIsLoadedAgainFromItsFirstRow() throws Exception {
        int lines = 200_000; // about 8 MB: the first batch commits long before its end is read
        String t = table("t_mid_local");
        Path file = dir.resolve("mid/big.ndjson");
        write(file, TestPipes.events(1_000_000, lines), "none");
        AtomicInteger batches = new AtomicInteger();
        ObjectStoreSource source = ObjectStoreSource.builder().url(dir.toUri() + "mid/*.ndjson").build();
        TestPipes.pipe("mid-local", source, clickhouse, t)
                .batching(Batching.builder().maxRows(1000).maxAge(Duration.ofSeconds(5)).build())
                .listener(new PipeListener() {
                    @Override
                    public void onBatchCommitted(Pipe pipe, BatchReport report) {
                        if (batches.incrementAndGet() == 1) {
                            try (var channel = java.nio.channels.FileChannel.open(file,
                                    java.nio.file.StandardOpenOption.WRITE)) {
                                // same length, other ids: only the size+mtime version and the bytes tell
                                channel.write(java.nio.ByteBuffer.wrap(TestPipes.events(2_000_000, lines)
                                        .getBytes(StandardCharsets.UTF_8)), 0);
                                Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(
                                        System.currentTimeMillis() + 5000));
                            } catch (java.io.IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        }
                    }
                }).build().run();
        List<List<String>> byVersion = clickhouse.queryRows("SELECT intDiv(id, 1000000), count(), uniqExact(id) FROM "
                + t + " GROUP BY 1 ORDER BY 1");
        assertThat(byVersion).hasSize(2);
        long firstRows = Long.parseLong(byVersion.get(0).get(1));
        assertThat(firstRows).as("rows of the first version, read before the change was seen").isBetween(1000L,
                (long) lines - 1);
        assertThat(byVersion.get(1).get(2)).as("distinct ids of the second version: all of them")
                .isEqualTo(Integer.toString(lines));
        // the store checks every 1 MB read; the reader's buffer may be ahead of the rows decoded
        long window = ((1 << 20) + (256 << 10)) / TestPipes.events(2_000_000, 1).length() + 1;
        assertThat(Long.parseLong(byVersion.get(1).get(1)) - lines)
                .as("second-version rows read as the first's, before the check that saw the change")
                .isBetween(0L, window);
    }

    /**
     * Exactly-once, when the rows are in ClickHouse but the source's progress was not recorded (a
     * crash between the two, here: a second run on a new progress table): every record is dropped
     * as already in, and still committed, so the objects are recorded done. Before, dropped records
     * were never committed: the objects stayed not done, and other workers of a one-time load
     * waited for them for ever.
     */
    @Test
    void recordsAlreadyInClickHouseAreCommittedSoTheirObjectsAreDone() throws Exception {
        String t = db.table("t_already_in");
        clickhouse.query("CREATE TABLE " + t + " (id UInt32, name String, v Float64) ENGINE = MergeTree ORDER BY id"
                + " SETTINGS non_replicated_deduplication_window = 1000");
        Path in = dir.resolve("ai");
        write(in.resolve("a.ndjson"), TestPipes.events(0, 300), "none");
        write(in.resolve("b.ndjson"), TestPipes.events(300, 300), "none");
        for (String state : List.of("already_in_first", "already_in_lost")) {
            ObjectStoreSource source = ObjectStoreSource.builder().url(in.toUri() + "*.ndjson")
                    .stateStore(clickhouse, db.table(state)).build();
            TestPipes.pipe("already-in", source, clickhouse, t).delivery(Delivery.EXACTLY_ONCE).build().run();
            assertThat(source.objectsDone()).as("objects recorded done with progress table " + state).isEqualTo(2);
        }
        assertThat(clickhouse.queryRows("SELECT count(), uniqExact(id) FROM " + t)).containsExactly(List.of("600", "600"));
        ObjectStoreSource third = ObjectStoreSource.builder().url(in.toUri() + "*.ndjson")
                .stateStore(clickhouse, db.table("already_in_lost")).build();
        TestPipes.pipe("already-in", third, clickhouse, t).delivery(Delivery.EXACTLY_ONCE).build().run();
        assertThat(third.objectsDone()).as("a third run finds both done: it reads nothing").isZero();
    }

    /** Exactly-once too: the new version's rows are not taken for the old one's, already in. */
    @ParameterizedTest
    @EnumSource(Delivery.class)
    void rewrittenFileIsLoadedAgainAsANewVersion(Delivery delivery) throws Exception {
        String state = db.table("rewrite_state_" + delivery.ordinal());
        String t = db.table("t_rewrite_" + delivery.ordinal());
        clickhouse.query("CREATE TABLE " + t + " (id UInt32, name String, v Float64) ENGINE = MergeTree ORDER BY id"
                + " SETTINGS non_replicated_deduplication_window = 1000");
        TestPipes.rewrittenObjectIsLoadedAgainUnlessIgnored(clickhouse, t, delivery, (name, text) -> {
            try {
                write(dir.resolve("rw").resolve(name), text, "none");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, reload -> ObjectStoreSource.builder().url(dir.toUri() + "rw/*.ndjson").stateStore(clickhouse, state)
                .workerId("w").reloadRewrittenObjects(reload).build());
    }

    /**
     * Symbolic links out of the root folder are neither listed nor read (their target, a
     * credentials file say, must reach neither the table nor the error table); a link to a file
     * inside the root is followed; links to folders are not.
     */
    @Test
    void symbolicLinksOutOfTheRootAreNeverRead() throws Exception {
        Path root = dir.resolve("ln");
        Path outside = dir.resolve("outside");
        write(root.resolve("a.ndjson"), TestPipes.events(0, 100), "none");
        write(root.resolve("sub/b.ndjson"), TestPipes.events(100, 100), "none");
        write(outside.resolve("secret.ndjson"), TestPipes.events(900, 100), "none");
        write(outside.resolve("credentials.ndjson"), "aws_secret_access_key = not-json\n", "none");
        Files.createSymbolicLink(root.resolve("inner.ndjson"), root.resolve("sub/b.ndjson"));
        Files.createSymbolicLink(root.resolve("leak.ndjson"), outside.resolve("secret.ndjson"));
        Files.createSymbolicLink(root.resolve("creds.ndjson"), Path.of("../outside/credentials.ndjson"));
        Files.createSymbolicLink(root.resolve("outdir"), outside);
        String t = table("t_links");
        ObjectStoreSource source = ObjectStoreSource.builder().url(root.toUri() + "**.ndjson").build();
        TestPipes.pipe("links", source, clickhouse, t).build().run();
        assertThat(clickhouse.queryRows("SELECT _file, count(), min(id) FROM " + t + " GROUP BY _file ORDER BY _file"))
                .containsExactly(List.of("a.ndjson", "100", "0"), List.of("b.ndjson", "100", "100"),
                        List.of("inner.ndjson", "100", "100"));
        assertThat(clickhouse.queryLong("SELECT count() FROM " + t + "_clickpipes_error")).isZero();

        try (dev.clickpipes.source.objectstore.file.LocalObjectStore store =
                     new dev.clickpipes.source.objectstore.file.LocalObjectStore(root)) {
            List<String> keys = new java.util.ArrayList<>();
            store.list("", null).forEachRemaining(o -> keys.add(o.key()));
            assertThat(keys).containsExactly("a.ndjson", "inner.ndjson", "sub/b.ndjson");
            // Named directly, as a custom listing or a guessed key would: refused, not read.
            for (String key : List.of("leak.ndjson", "creds.ndjson", "outdir/secret.ndjson")) {
                ObjectInfo guessed = new ObjectInfo(key, 10, java.time.Instant.EPOCH);
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.open(guessed, 0).readAllBytes())
                        .as(key).isInstanceOf(java.io.IOException.class).hasMessageContaining("out of the folder");
            }
        }
    }

    static void awaitCount(String table, long expected) throws Exception {
        TestPipes.awaitCount(clickhouse, table, expected);
    }
}
