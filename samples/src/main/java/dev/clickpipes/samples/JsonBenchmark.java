package dev.clickpipes.samples;

import dev.clickpipes.clickhouse.ClickHouseTransport;
import dev.clickpipes.clickhouse.SqlNames;
import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.core.BatchReport;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.core.PipeListener;
import dev.clickpipes.core.PipeMetrics;
import dev.clickpipes.format.Decoders;
import dev.clickpipes.source.memory.NdjsonFileSource;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * JSON ingest benchmark, both sides on the embedded engine in one run:
 * (a) the engine's own {@code INSERT INTO t SELECT * FROM file('events.ndjson', JSONEachRow)};
 * (b) our pipe from the same file's lines into a table of the same schema.
 * Warm-up rounds ({@link Rounds}), then R rounds with the two sides alternating; prints per round and as median,
 * min and max: wall time, CPU of the pipe's threads and of the whole process, and the ratio b/a.
 *
 * <p>{@code --decode-threads T} (default 1) lends the pipe T more threads to decode chunks of a batch
 * on ({@code Pipe.Builder.decodeExecutor}); 0 decodes on the pipe's thread alone.
 *
 * <pre>JsonBenchmark [--events N] [--rounds R] [--decode-threads T]</pre>
 */
public final class JsonBenchmark {

    private JsonBenchmark() {
    }

    /** Runs the benchmark. */
    public static void main(String[] args) throws Exception {
        int events = 1_000_000;
        int rounds = Rounds.DEFAULT;
        int decodeThreads = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--events" -> events = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--decode-threads" -> decodeThreads = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException(
                        "usage: JsonBenchmark [--events N] [--rounds R] [--decode-threads T]");
            }
        }
        ClickHouseTransport ch = EmbeddedClickHouse.shared();
        Path file = Path.of("target", "bench", "events.ndjson").toAbsolutePath();
        if (!Files.exists(file) || Files.size(file) < 100L * events) {
            EventGenerator.write(file, events, 0);
        }
        long bytes = Files.size(file);
        System.out.printf("ClickHouse %s (embedded), %,d events, %,d bytes (%.0f B/event), %d cores,"
                        + " decode threads lent to the pipe: %d%n", ch.query("SELECT version()").strip(), events, bytes,
                (double) bytes / events, Runtime.getRuntime().availableProcessors(), decodeThreads);
        ch.query("CREATE DATABASE IF NOT EXISTS bench");

        int n = events;
        int lent = decodeThreads;
        Rounds r = new Rounds(rounds);
        r.run((round, label) -> {
            // Alternate which side goes first, so that a drift in the machine's load hits both alike.
            Pass engine = round % 2 == 1 ? engineInsert(ch, file, n) : null;
            Pass pipe = pipeInsert(ch, file, n, lent);
            engine = engine == null ? engineInsert(ch, file, n) : engine;
            sameRows(ch);
            System.out.printf("%-8s engine %.2f s (%,.0f rows/s, process CPU %.2f s)   pipe %.2f s (%,.0f rows/s,"
                            + " pipe threads CPU %.2f s, process CPU %.2f s)   ratio %.2f%n",
                    label, engine.seconds, n / engine.seconds, engine.processCpu, pipe.seconds,
                    n / pipe.seconds, pipe.pipeCpu, pipe.processCpu, engine.seconds / pipe.seconds);
            r.record("engine s", engine.seconds);
            r.record("engine cpu", engine.processCpu);
            r.record("pipe s", pipe.seconds);
            r.record("pipe cpu", pipe.pipeCpu);
            r.record("pipe process cpu", pipe.processCpu);
            r.record("insert s", pipe.insertSeconds);
            r.record("ratio", engine.seconds / pipe.seconds);
            r.record("cpu ratio", engine.processCpu / pipe.processCpu);
        });
        System.out.printf("%n%s:%n", r.heading());
        System.out.printf("  (a) engine INSERT ... SELECT FROM file(JSONEachRow): wall %s s = %,.0f rows/s (%.1f MB/s),"
                + " process CPU %s s%n", r.summary("engine s", "%.2f"), events / r.median("engine s"),
                bytes / r.median("engine s") / 1e6, r.summary("engine cpu", "%.2f"));
        System.out.printf("  (b) clickpipes pipe, JSON -> Native:                 wall %s s = %,.0f rows/s (%.1f MB/s),"
                + " process CPU %s s%n", r.summary("pipe s", "%.2f"), events / r.median("pipe s"),
                bytes / r.median("pipe s") / 1e6, r.summary("pipe process cpu", "%.2f"));
        System.out.printf("  ratio b/a, per round (a's wall / b's wall) = %s (goal 1.2); process CPU a/b = %s%n",
                r.summary("ratio", "%.2f"), r.summary("cpu ratio", "%.2f"));
        System.out.printf("  the pipe's threads (read + decode + encode + insert calls): CPU %s s = %.0f MB of JSON per"
                        + " CPU-second; insert calls %s s of wall (the engine parses Native and writes parts,"
                        + " overlapped with decoding)%n", r.summary("pipe cpu", "%.2f"), bytes / r.median("pipe cpu") / 1e6,
                r.summary("insert s", "%.2f"));
    }

    private static void createTable(ClickHouseTransport ch, String name) throws Exception {
        ch.query("DROP TABLE IF EXISTS bench." + name);
        ch.query("CREATE TABLE bench." + name + " (" + EventGenerator.TABLE_COLUMNS
                + ") ENGINE = MergeTree ORDER BY (event_type, event_time)");
    }

    /** One side of a round: wall seconds, CPU seconds of the pipe's threads (0 for the engine) and of the process. */
    private record Pass(double seconds, double pipeCpu, double processCpu, double insertSeconds) {
    }

    private static Pass engineInsert(ClickHouseTransport ch, Path file, int events) throws Exception {
        createTable(ch, "engine");
        String structure = EventGenerator.TABLE_COLUMNS.replace("\n", " ");
        double cpu = Rounds.processCpuSeconds();
        long start = System.nanoTime();
        ch.query("INSERT INTO bench.engine SELECT * FROM file(" + SqlNames.literal(file.toString())
                + ", JSONEachRow, " + SqlNames.literal(structure) + ")");
        double seconds = (System.nanoTime() - start) / 1e9;
        cpu = Rounds.processCpuSeconds() - cpu;
        check(ch, "engine", events);
        return new Pass(seconds, 0, cpu, seconds);
    }

    private static Pass pipeInsert(ClickHouseTransport ch, Path file, int events, int decodeThreads) throws Exception {
        createTable(ch, "pipe");
        AtomicLong insertNanos = new AtomicLong();
        Rounds.CountedThreads counted = new Rounds.CountedThreads("bench-pipe");
        ExecutorService threads = Executors.newFixedThreadPool(2 + decodeThreads, counted); // pipe, insert, decoding
        Pipe.Builder builder = Pipe.builder()
                .name("bench")
                .source(NdjsonFileSource.of(file))
                .decoder(Decoders.json())
                .sink(ClickHouseSink.builder().transport(ch).table("bench.pipe").build())
                .insertExecutor(threads)
                .listener(new PipeListener() {
                    @Override
                    public void onBatchCommitted(Pipe p, BatchReport report) {
                        insertNanos.addAndGet(report.insertTime().toNanos());
                    }
                });
        if (decodeThreads > 0) {
            builder.decodeExecutor(threads).decodeParallelism(decodeThreads);
        }
        Pipe pipe = builder.build();
        double cpu = Rounds.processCpuSeconds();
        long start = System.nanoTime();
        threads.execute(pipe);
        PipeMetrics m = pipe.completion().get();
        double seconds = (System.nanoTime() - start) / 1e9;
        double pipeCpu = counted.cpuSeconds();
        cpu = Rounds.processCpuSeconds() - cpu;
        threads.shutdown();
        check(ch, "pipe", events);
        if (m.errorRows() != 0) {
            throw new IllegalStateException(m.errorRows() + " error rows in the benchmark: " + m.lastError());
        }
        return new Pass(seconds, pipeCpu, cpu, insertNanos.get() / 1e9);
    }

    /**
     * The pipe's table holds what the engine's does, value for value: an order-independent checksum
     * of every column. The price is compared in cents: the engine reads some decimal texts one ulp
     * off (76 of the 1 M prices, "1.93" as 1.9300000000000002) where the pipe rounds correctly.
     */
    private static void sameRows(ClickHouseTransport ch) throws Exception {
        String sums = "SELECT count(), sum(cityHash64(* EXCEPT (price))), sum(toInt64(round(price * 100))) FROM bench.";
        String engine = ch.query(sums + "engine").strip();
        String pipe = ch.query(sums + "pipe").strip();
        if (!engine.equals(pipe)) {
            throw new IllegalStateException("the pipe's rows differ from the engine's: count, checksum and cents " + pipe
                    + " against " + engine);
        }
    }

    private static void check(ClickHouseTransport ch, String table, int events) throws Exception {
        long rows = Long.parseLong(ch.query("SELECT count() FROM bench." + table).strip());
        if (rows != events) {
            throw new IllegalStateException("bench." + table + " has " + rows + " rows, expected " + events);
        }
    }
}
