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
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * JSON ingest benchmark, both sides on the embedded engine in one run:
 * (a) the engine's own {@code INSERT INTO t SELECT * FROM file('events.ndjson', JSONEachRow)};
 * (b) our pipe from the same file's lines into a table of the same schema.
 * Prints rows/s of each, the ratio b/a, and where the pipe's time goes.
 *
 * <pre>JsonBenchmark [--events N] [--rounds R]</pre>
 */
public final class JsonBenchmark {

    private JsonBenchmark() {
    }

    /** Runs the benchmark. */
    public static void main(String[] args) throws Exception {
        int events = 1_000_000;
        int rounds = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--events" -> events = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("usage: JsonBenchmark [--events N] [--rounds R]");
            }
        }
        ClickHouseTransport ch = EmbeddedClickHouse.shared();
        Path file = Path.of("target", "bench", "events.ndjson").toAbsolutePath();
        if (!Files.exists(file) || Files.size(file) < 100L * events) {
            EventGenerator.write(file, events, 0);
        }
        long bytes = Files.size(file);
        System.out.printf("ClickHouse %s (embedded), %,d events, %,d bytes (%.0f B/event), %d cores%n",
                ch.query("SELECT version()").strip(), events, bytes, (double) bytes / events,
                Runtime.getRuntime().availableProcessors());
        ch.query("CREATE DATABASE IF NOT EXISTS bench");

        double bestEngine = Double.MAX_VALUE;
        double bestPipe = Double.MAX_VALUE;
        Breakdown breakdown = null;
        for (int round = 1; round <= rounds; round++) {
            double engine = engineInsert(ch, file, events);
            Breakdown pipe = pipeInsert(ch, file, events);
            System.out.printf("round %d: engine %.2f s (%,.0f rows/s)   pipe %.2f s (%,.0f rows/s)   ratio %.2f%n",
                    round, engine, events / engine, pipe.seconds, events / pipe.seconds, engine / pipe.seconds);
            bestEngine = Math.min(bestEngine, engine);
            if (pipe.seconds < bestPipe) {
                bestPipe = pipe.seconds;
                breakdown = pipe;
            }
        }
        System.out.printf("%nbest of %d rounds:%n", rounds);
        System.out.printf("  (a) engine INSERT ... SELECT FROM file(JSONEachRow): %,.0f rows/s (%.1f MB/s)%n",
                events / bestEngine, bytes / bestEngine / 1e6);
        System.out.printf("  (b) clickpipes pipe, JSON -> Native:                 %,.0f rows/s (%.1f MB/s)%n",
                events / bestPipe, bytes / bestPipe / 1e6);
        System.out.printf("  ratio b/a = %.2f (goal 1.2)%n", bestEngine / bestPipe);
        System.out.printf("%nwhere the pipe's %.2f s went: pipe thread CPU %.2f s (read + decode + encode),"
                        + " insert calls %.2f s (engine parses Native and writes parts, overlapped), %d batches%n",
                breakdown.seconds, breakdown.pipeCpuSeconds, breakdown.insertSeconds, breakdown.batches);
    }

    private static void createTable(ClickHouseTransport ch, String name) throws Exception {
        ch.query("DROP TABLE IF EXISTS bench." + name);
        ch.query("CREATE TABLE bench." + name + " (" + EventGenerator.TABLE_COLUMNS
                + ") ENGINE = MergeTree ORDER BY (event_type, event_time)");
    }

    private static double engineInsert(ClickHouseTransport ch, Path file, int events) throws Exception {
        createTable(ch, "engine");
        String structure = EventGenerator.TABLE_COLUMNS.replace("\n", " ");
        long start = System.nanoTime();
        ch.query("INSERT INTO bench.engine SELECT * FROM file(" + SqlNames.literal(file.toString())
                + ", JSONEachRow, " + SqlNames.literal(structure) + ")");
        double seconds = (System.nanoTime() - start) / 1e9;
        check(ch, "engine", events);
        return seconds;
    }

    private record Breakdown(double seconds, double pipeCpuSeconds, double insertSeconds, long batches) {
    }

    private static Breakdown pipeInsert(ClickHouseTransport ch, Path file, int events) throws Exception {
        createTable(ch, "pipe");
        AtomicLong insertNanos = new AtomicLong();
        AtomicLong pipeCpu = new AtomicLong();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        Pipe pipe = Pipe.builder()
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

                    @Override
                    public void onStopped(Pipe p, Throwable failure) {
                        pipeCpu.set(ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime());
                    }
                })
                .build();
        long start = System.nanoTime();
        threads.submit(() -> {
            long before = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            pipeCpu.set(-before);
            pipe.run();
        });
        PipeMetrics m = pipe.completion().get();
        double seconds = (System.nanoTime() - start) / 1e9;
        threads.shutdown();
        check(ch, "pipe", events);
        if (m.errorRows() != 0) {
            throw new IllegalStateException(m.errorRows() + " error rows in the benchmark: " + m.lastError());
        }
        return new Breakdown(seconds, pipeCpu.get() / 1e9, insertNanos.get() / 1e9, m.batches());
    }

    private static void check(ClickHouseTransport ch, String table, int events) throws Exception {
        long rows = Long.parseLong(ch.query("SELECT count() FROM bench." + table).strip());
        if (rows != events) {
            throw new IllegalStateException("bench." + table + " has " + rows + " rows, expected " + events);
        }
    }
}
