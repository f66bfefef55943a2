package dev.clickpipes.samples;

import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.core.Batching;
import dev.clickpipes.core.Delivery;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.core.PipeMetrics;
import dev.clickpipes.format.Decoders;
import dev.clickpipes.source.memory.NdjsonFileSource;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import dev.clickpipes.testservices.ZooKeeperService;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The cost of exactly-once against at-least-once, in one run: the same NDJSON file through the
 * same pipe into the same deduplicating table, alternating the two modes, on the embedded engine
 * whose exactly-once state lives in a KeeperMap table on a real ZooKeeper (started here, on
 * 127.0.0.1, port {@code -Dclickpipes.zookeeper.port}, default 20010). Prints, per mode, wall time and CPU per record (the whole process: pipe and
 * engine) and their ratios per round, as median, min and max over the rounds after the warm-up ({@link Rounds}).
 *
 * <pre>DeliveryBenchmark [--events N] [--rounds R] [--batch ROWS]</pre>
 */
public final class DeliveryBenchmark {

    private DeliveryBenchmark() {
    }

    /** Runs the benchmark. */
    public static void main(String[] args) throws Exception {
        int events = 500_000;
        int rounds = 5;
        int batch = 100_000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--events" -> events = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("usage: DeliveryBenchmark [--events N] [--rounds R] [--batch ROWS]");
            }
        }
        System.setProperty(EmbeddedClickHouse.ZOOKEEPER_PROPERTY, ZooKeeperService.shared().connectString());
        EmbeddedClickHouse ch = EmbeddedClickHouse.shared();
        Path file = Path.of("target", "bench", "delivery-" + events + ".ndjson").toAbsolutePath();
        if (!Files.exists(file)) {
            EventGenerator.write(file, events, 0);
        }
        System.out.printf("ClickHouse %s (embedded, KeeperMap on ZooKeeper %s), %,d events of %.0f B, batches of %,d rows,"
                        + " %d cores%n", ch.version(), ZooKeeperService.shared().connectString(), events,
                (double) Files.size(file) / events, batch, Runtime.getRuntime().availableProcessors());
        ch.query("CREATE DATABASE IF NOT EXISTS bench");
        int n = events;
        int rows = batch;
        Rounds r = new Rounds(rounds);
        r.run((round, label) -> {
            // Alternate which mode goes first, so that a drift in the machine's load hits both alike.
            Run e = round % 2 == 1 ? run(ch, file, n, rows, Delivery.EXACTLY_ONCE, round) : null;
            Run a = run(ch, file, n, rows, Delivery.AT_LEAST_ONCE, round);
            e = e == null ? run(ch, file, n, rows, Delivery.EXACTLY_ONCE, round) : e;
            System.out.printf("%-8s at-least-once %.2f s, %.2f us CPU/record   exactly-once %.2f s, %.2f us CPU/record%n",
                    label, a.seconds, a.cpuMicrosPerRecord(n), e.seconds, e.cpuMicrosPerRecord(n));
            r.record("alo wall", a.seconds);
            r.record("alo cpu", a.cpuMicrosPerRecord(n));
            r.record("eo wall", e.seconds);
            r.record("eo cpu", e.cpuMicrosPerRecord(n));
            r.record("wall ratio", e.seconds / a.seconds);
            r.record("cpu ratio", e.cpuSeconds / a.cpuSeconds);
        });
        System.out.printf("%n%s:%n", r.heading());
        System.out.printf("  at-least-once: wall %s s, CPU %s us/record%n", r.summary("alo wall", "%.2f"),
                r.summary("alo cpu", "%.2f"));
        System.out.printf("  exactly-once:  wall %s s, CPU %s us/record%n", r.summary("eo wall", "%.2f"),
                r.summary("eo cpu", "%.2f"));
        System.out.printf("  exactly-once / at-least-once, per round: wall %sx, CPU per record %sx (goal <= 1.1x)%n",
                r.summary("wall ratio", "%.3f"), r.summary("cpu ratio", "%.3f"));
    }

    private record Run(double seconds, double cpuSeconds) {
        double cpuMicrosPerRecord(int events) {
            return cpuSeconds * 1e6 / events;
        }
    }

    private static Run run(EmbeddedClickHouse ch, Path file, int events, int batch, Delivery delivery, int round)
            throws Exception {
        String table = "bench.delivery_" + delivery.name().toLowerCase() + "_" + round;
        ch.query("DROP TABLE IF EXISTS " + table);
        ch.query("CREATE TABLE " + table + " (" + EventGenerator.TABLE_COLUMNS + ") ENGINE = MergeTree"
                + " ORDER BY (event_type, event_time) SETTINGS non_replicated_deduplication_window = 1000");
        Pipe pipe = Pipe.builder()
                .name("bench-" + round) // a fresh pipe name: exactly-once starts with no state
                .source(NdjsonFileSource.of(file))
                .decoder(Decoders.json())
                .sink(ClickHouseSink.builder().transport(ch).table(table).build())
                .batching(Batching.builder().maxRows(batch).build())
                .delivery(delivery)
                .build();
        double cpuBefore = Rounds.processCpuSeconds();
        long start = System.nanoTime();
        pipe.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpu = Rounds.processCpuSeconds() - cpuBefore;
        PipeMetrics m = pipe.metrics();
        long rows = ch.queryLong("SELECT count() FROM " + table);
        if (rows != events || m.errorRows() != 0) {
            throw new IllegalStateException(table + " has " + rows + " rows and " + m.errorRows() + " error rows, expected "
                    + events + " and 0");
        }
        ch.query("DROP TABLE " + table);
        return new Run(seconds, cpu);
    }
}
