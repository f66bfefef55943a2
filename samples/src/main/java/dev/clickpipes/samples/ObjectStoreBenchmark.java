package dev.clickpipes.samples;

import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.core.Batching;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.source.objectstore.ObjectStoreSource;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Object-storage ingest benchmark on local files, both sides on the embedded engine in one run:
 * a Parquet file (snappy, several row groups) and an NDJSON.gz file of the same rows, each loaded
 * (a) by the engine itself, {@code INSERT INTO t SELECT * FROM file(path, format)}, and (b) by our
 * pipe ({@code ObjectStoreSource} with a file:// URL) into an identical table. Warm-up rounds ({@link Rounds}), then
 * R rounds with the two sides alternating; prints wall time, CPU of the pipe's threads and of the
 * process, and the ratio b/a per round, as median, min and max.
 *
 * <p>Each round also inserts the same rows already decoded, as Native bodies of the pipe's batch size in the engine's
 * own encoding, one after another, as the pipe's inserts go: the wall time of a pipe whose reading and decoding cost
 * nothing. The engine's load against that is the ceiling of the ratio, what the engine's own work on the pipe's
 * inserts (parsing Native, writing one part per batch, merging them) leaves to reach.
 *
 * <p>The pipe runs on threads the benchmark lends it: one for inserts, {@code --decode-parallelism}
 * for decoding (default 2, the cores here; 0 decodes on the pipe's thread) and, unless
 * {@code --inline-decompress}, one that decompresses NDJSON.gz ahead of the decoding.
 *
 * <p>{@code --formats} picks the files to load (default {@code parquet,ndjson}), to profile one alone.
 *
 * <p>{@code --discard-inserts} drops the pipe's insert bodies instead of handing them to the engine (the engine still
 * answers the pipe's queries; the rows are counted from the batch reports): the pipe threads' CPU is then the pipe's
 * own, reading, decoding and encoding, without the engine's parsing and part writing on the inserting thread, and
 * without its noise on a shared machine.
 *
 * <p>{@code --thread-cpu} prints, after each load, where the process's CPU went by thread name: the engine's merges
 * and insert pipeline, the JVM's GC and compilers, the pipe's threads.
 *
 * <pre>ObjectStoreBenchmark [--rows N] [--rounds R] [--decode-parallelism P] [--inline-decompress] [--formats parquet,ndjson]
 *     [--batch-rows B] [--discard-inserts] [--thread-cpu]</pre>
 */
public final class ObjectStoreBenchmark {

    private static final String COLUMNS = "id UInt64, user_id UInt32, event String, url String, amount Decimal(18, 4), "
            + "ts DateTime64(6, 'UTC'), tags Array(String), score Float64, ok Bool";

    private static final String STRUCTURE = COLUMNS.replace("'", "\\'");

    /** Whether the pipe's inserts are dropped instead of inserted (see the class comment). */
    private static boolean discardInserts;

    /** Whether each load also prints its process's CPU by thread name (see {@link ThreadCpuCensus}). */
    private static boolean threadCpu;

    private ObjectStoreBenchmark() {
    }

    /** Runs the benchmark. */
    public static void main(String[] args) throws Exception {
        long rows = 1_000_000;
        int rounds = Rounds.DEFAULT;
        int decodeParallelism = 2;
        boolean decompressAhead = true;
        String formats = "parquet,ndjson";
        int batchRows = 100_000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rows" -> rows = Long.parseLong(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--decode-parallelism" -> decodeParallelism = Integer.parseInt(args[++i]);
                case "--inline-decompress" -> decompressAhead = false;
                case "--formats" -> formats = args[++i];
                case "--batch-rows" -> batchRows = Integer.parseInt(args[++i]);
                case "--discard-inserts" -> discardInserts = true;
                case "--thread-cpu" -> threadCpu = true;
                default -> throw new IllegalArgumentException("usage: ObjectStoreBenchmark [--rows N] [--rounds R]"
                        + " [--decode-parallelism P] [--inline-decompress] [--formats parquet,ndjson] [--batch-rows B] [--discard-inserts] [--thread-cpu]");
            }
        }
        Lent lent = new Lent(decodeParallelism, decompressAhead);
        EmbeddedClickHouse ch = EmbeddedClickHouse.shared();
        Path dir = Path.of("target", "bench", "objects").toAbsolutePath();
        Files.createDirectories(dir);
        Path parquet = dir.resolve("events.parquet");
        Path ndjson = dir.resolve("events.ndjson.gz");
        String select = "SELECT number AS id, toUInt32(number % 100000) AS user_id, ['view','click','buy'][number % 3 + 1] AS event, "
                + "concat('https://shop.example/p/', toString(number % 5000)) AS url, toDecimal64(number % 100000 / 100, 4) AS amount, "
                + "toDateTime64('2024-01-01 00:00:00', 6, 'UTC') + toIntervalMicrosecond(number * 1000) AS ts, "
                + "arrayMap(i -> concat('t', toString(i)), range(number % 4)) AS tags, number / 7 AS score, number % 2 = 0 AS ok "
                + "FROM numbers(" + rows + ")";
        Files.deleteIfExists(parquet);
        Files.deleteIfExists(ndjson);
        ch.query("INSERT INTO FUNCTION file('" + parquet + "', Parquet, '" + STRUCTURE + "') " + select
                + " SETTINGS output_format_parquet_compression_method = 'snappy', output_format_parquet_row_group_size = 100000");
        ch.query("INSERT INTO FUNCTION file('" + ndjson + "', JSONEachRow, '" + STRUCTURE + "') " + select);
        System.out.printf("ClickHouse %s (embedded), %,d rows; Parquet %,d bytes, NDJSON.gz %,d bytes; %d cores;"
                + " pipe: decode parallelism %d, decompress %s, batches of %,d rows%n", ch.version(), rows, Files.size(parquet),
                Files.size(ndjson), Runtime.getRuntime().availableProcessors(), decodeParallelism,
                decompressAhead ? "ahead on a lent thread" : "inline", batchRows);
        ch.query("CREATE DATABASE IF NOT EXISTS bench_objects");
        List<byte[]> nativeBatches = nativeBatches(ch, parquet, rows, batchRows);
        long n = rows;
        int batch = batchRows;
        for (Path file : new Path[]{parquet, ndjson}) {
            String format = file == parquet ? "Parquet" : "JSONEachRow";
            if (!java.util.Arrays.asList(formats.split(",")).contains(file == parquet ? "parquet" : "ndjson")) {
                continue;
            }
            Rounds r = new Rounds(rounds);
            r.run((round, label) -> {
                // Alternate which side goes first, so that a drift in the machine's load hits both alike.
                double[] engine = round % 2 == 1 ? engine(ch, file, format, n) : null;
                double[] pipe = pipe(ch, file, n, lent, batch);
                engine = engine == null ? engine(ch, file, format, n) : engine;
                double decoded = decodedInserts(ch, nativeBatches, n);
                System.out.printf("%-12s %-8s engine %6.2f s (process CPU %5.2f s) | pipe %6.2f s (pipe threads CPU %5.2f s,"
                        + " of which engine calls %5.2f s, process CPU %5.2f s, insert calls %5.2f s) | ratio %.2f"
                        + " | decoded rows' inserts %5.2f s, ceiling %.2f%n", format,
                        label, engine[0], engine[1], pipe[0], pipe[2], pipe[4], pipe[1], pipe[3], engine[0] / pipe[0],
                        decoded, engine[0] / decoded);
                r.record("decoded s", decoded);
                r.record("ceiling", engine[0] / decoded);
                r.record("engine s", engine[0]);
                r.record("engine cpu", engine[1]);
                r.record("pipe s", pipe[0]);
                r.record("pipe process cpu", pipe[1]);
                r.record("pipe cpu", pipe[2]);
                r.record("pipe engine cpu", pipe[4]);
                r.record("pipe own cpu", pipe[2] - pipe[4]);
                r.record("pipe insert s", pipe[3]);
                r.record("ratio", engine[0] / pipe[0]);
            });
            System.out.printf("%-12s %s: engine INSERT SELECT FROM file(): %s s = %,.0f rows/s, process CPU %s s%n"
                    + "%-12s   pipe: %s s = %,.0f rows/s, pipe threads CPU %s s (engine calls on them %s s, the rest %s s),"
                    + " process CPU %s s, insert calls %s s%n"
                    + "%-12s   pipe/engine per round = %s%n"
                    + "%-12s   the same rows already decoded, as the pipe's Native batches inserted one after another: %s s;"
                    + " engine/that (the ceiling for a pipe whose decoding cost nothing) = %s%n", format, r.heading(), r.summary("engine s", "%.2f"),
                    n / r.median("engine s"), r.summary("engine cpu", "%.2f"), "", r.summary("pipe s", "%.2f"),
                    n / r.median("pipe s"), r.summary("pipe cpu", "%.2f"), r.summary("pipe engine cpu", "%.2f"),
                    r.summary("pipe own cpu", "%.2f"), r.summary("pipe process cpu", "%.2f"),
                    r.summary("pipe insert s", "%.2f"), "",
                    r.summary("ratio", "%.2f"), "", r.summary("decoded s", "%.2f"), r.summary("ceiling", "%.2f"));
        }
    }

    /** Wall seconds and process CPU seconds of the engine's own load. */
    private static double[] engine(EmbeddedClickHouse ch, Path file, String format, long rows) throws Exception {
        String t = "bench_objects.engine";
        freshTable(ch, t);
        ThreadCpuCensus census = new ThreadCpuCensus();
        double cpu = Rounds.processCpuSeconds();
        long start = System.nanoTime();
        ch.query("INSERT INTO " + t + " SELECT * FROM file('" + file + "', " + format + ", '" + STRUCTURE + "')");
        double s = (System.nanoTime() - start) / 1e9;
        cpu = Rounds.processCpuSeconds() - cpu;
        printCensus("engine", census);
        check(ch, t, rows);
        return new double[] {s, cpu};
    }

    /**
     * The file's rows as Native insert bodies of {@code batchRows} rows each, the engine's own encoding, in the pipe's
     * batches: what a pipe whose reading and decoding cost nothing would hand the engine.
     */
    private static List<byte[]> nativeBatches(EmbeddedClickHouse ch, Path parquet, long rows, int batchRows) throws Exception {
        String t = "bench_objects.decoded";
        freshTable(ch, t);
        ch.query("INSERT INTO " + t + " SELECT * FROM file('" + parquet + "', Parquet, '" + STRUCTURE + "')");
        List<byte[]> bodies = new ArrayList<>();
        for (long from = 0; from < rows; from += batchRows) {
            bodies.add(ch.queryOutput("SELECT * FROM " + t + " WHERE id >= " + from + " AND id < " + (from + batchRows)
                    + " ORDER BY id", "Native"));
        }
        ch.query("DROP TABLE " + t);
        return bodies;
    }

    /** Wall seconds of inserting the decoded batches one after another into a fresh table, as the pipe's inserts go. */
    private static double decodedInserts(EmbeddedClickHouse ch, List<byte[]> bodies, long rows) throws Exception {
        String t = "bench_objects.decoded";
        freshTable(ch, t);
        ThreadCpuCensus census = new ThreadCpuCensus();
        long start = System.nanoTime();
        for (byte[] body : bodies) {
            ch.insert("INSERT INTO " + t + " FORMAT Native", body, body.length);
        }
        double s = (System.nanoTime() - start) / 1e9;
        printCensus("decoded", census);
        check(ch, t, rows);
        return s;
    }

    /** The threads the pipe is lent besides its own: decoding parallelism and whether it decompresses ahead. */
    private record Lent(int decodeParallelism, boolean decompressAhead) {
    }

    /**
     * Wall seconds, process CPU seconds, CPU seconds of the pipe's threads (its worker and every
     * thread lent to it) and wall seconds of its insert calls (the engine parses Native and writes parts).
     */
    private static double[] pipe(EmbeddedClickHouse ch, Path file, long rows, Lent lent, int batchRows) throws Exception {
        String t = "bench_objects.pipe";
        freshTable(ch, t);
        Rounds.CountedThreads counted = new Rounds.CountedThreads("bench-objects");
        EngineCpu engineCpu = new EngineCpu(ch, discardInserts);
        java.util.concurrent.atomic.AtomicLong rowsInserted = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong insertNanos = new java.util.concurrent.atomic.AtomicLong();
        ExecutorService threads = Executors.newCachedThreadPool(counted);
        ObjectStoreSource source = ObjectStoreSource.builder().url(file.toUri().toString())
                .decompressExecutor(lent.decompressAhead() ? threads : null).build();
        Pipe.Builder builder = Pipe.builder().name("bench-objects").source(source).decoder(source.decoder())
                .sink(ClickHouseSink.builder().transport(engineCpu).table(t).errorTable(true).build())
                .batching(Batching.builder().maxRows(batchRows).maxBytes(Math.max(64L << 20, batchRows * 256L))
                        .maxAge(Duration.ofSeconds(5)).build())
                .insertExecutor(threads)
                .listener(new dev.clickpipes.core.PipeListener() {
                    @Override
                    public void onBatchCommitted(Pipe p, dev.clickpipes.core.BatchReport report) {
                        insertNanos.addAndGet(report.insertTime().toNanos());
                        rowsInserted.addAndGet(report.rows());
                    }
                });
        if (lent.decodeParallelism() > 0) {
            builder.decodeExecutor(threads).decodeParallelism(lent.decodeParallelism());
        }
        Pipe pipe = builder.build();
        ThreadCpuCensus census = new ThreadCpuCensus();
        double cpu = Rounds.processCpuSeconds();
        long start = System.nanoTime();
        threads.execute(pipe);
        pipe.completion().get();
        double s = (System.nanoTime() - start) / 1e9;
        double pipeCpu = counted.cpuSeconds();
        cpu = Rounds.processCpuSeconds() - cpu;
        printCensus("pipe", census);
        threads.shutdown();
        if (!discardInserts) {
            check(ch, t, rows);
        } else if (rowsInserted.get() != rows) {
            throw new IllegalStateException("the pipe sent " + rowsInserted.get() + " rows, expected " + rows);
        }
        return new double[] {s, cpu, pipeCpu, insertNanos.get() / 1e9, engineCpu.nanos.get() / 1e9};
    }

    /**
     * The embedded engine, counting the CPU its calls take on the calling thread: the engine parses an insert's
     * Native block and writes its part on the pipe's inserting thread, so that CPU is part of the pipe threads' CPU.
     */
    private static final class EngineCpu extends dev.clickpipes.clickhouse.ForwardingTransport {
        private final boolean discardInserts;
        final java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong();

        EngineCpu(EmbeddedClickHouse ch, boolean discardInserts) {
            super(ch);
            this.discardInserts = discardInserts;
        }

        /** The calling thread's CPU nanoseconds if it is one of the pipe's threads, else 0. */
        private static long threadCpu() {
            return Thread.currentThread().getName().startsWith("bench-objects-")
                    ? java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() : 0;
        }

        @Override
        public String query(String sql) throws dev.clickpipes.clickhouse.ClickHouseException {
            long start = threadCpu();
            try {
                return super.query(sql);
            } finally {
                nanos.addAndGet(threadCpu() - start);
            }
        }

        @Override
        public void insert(String insertSql, java.util.Map<String, String> settings, byte[] body, int length)
                throws dev.clickpipes.clickhouse.ClickHouseException {
            long start = threadCpu();
            try {
                if (!discardInserts || !insertSql.contains("FORMAT Native")) {
                    super.insert(insertSql, settings, body, length);
                }
            } finally {
                nanos.addAndGet(threadCpu() - start);
            }
        }

        @Override
        public void close() {
            // the shared engine stays open
        }
    }

    /** Drops {@code table} if it is there and creates it empty with the benchmark's columns. */
    private static void freshTable(EmbeddedClickHouse ch, String table) throws Exception {
        ch.query("DROP TABLE IF EXISTS " + table);
        ch.query("CREATE TABLE " + table + " (" + COLUMNS + ") ENGINE = MergeTree ORDER BY id");
    }

    private static void printCensus(String side, ThreadCpuCensus census) {
        if (threadCpu) {
            System.out.printf("  %-7s CPU by thread (s): %s%n", side, census.report(0.01));
        }
    }

    private static void check(EmbeddedClickHouse ch, String table, long rows) throws Exception {
        long n = ch.queryLong("SELECT count() FROM " + table);
        if (n != rows) {
            String errors = ch.query("EXISTS TABLE " + table + "_clickpipes_error").strip().equals("1")
                    ? ch.query("SELECT error_kind, message FROM " + table + "_clickpipes_error LIMIT 3") : "";
            throw new IllegalStateException(table + " has " + n + " rows, expected " + rows + "; " + errors);
        }
    }
}
