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
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The cost of exactly-once against at-least-once, in one run: the same NDJSON file through the
 * same pipe into the same deduplicating table, alternating the two modes, on the embedded engine
 * whose exactly-once state lives in a KeeperMap table on a real ZooKeeper (started here, on
 * 127.0.0.1:20010). Prints, per mode, wall time and CPU per record (the whole process: pipe and
 * engine), median and spread over the rounds after one warm-up round, and the ratios.
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
        List<Run> atLeastOnce = new ArrayList<>();
        List<Run> exactlyOnce = new ArrayList<>();
        for (int round = 0; round <= rounds; round++) {
            Run a = run(ch, file, events, batch, Delivery.AT_LEAST_ONCE, round);
            Run e = run(ch, file, events, batch, Delivery.EXACTLY_ONCE, round);
            System.out.printf("%s %d: at-least-once %.2f s, %.2f us CPU/record   exactly-once %.2f s, %.2f us CPU/record%n",
                    round == 0 ? "warm-up" : "round  ", round, a.seconds, a.cpuMicrosPerRecord(events), e.seconds,
                    e.cpuMicrosPerRecord(events));
            if (round > 0) {
                atLeastOnce.add(a);
                exactlyOnce.add(e);
            }
        }
        Summary a = Summary.of(atLeastOnce, events);
        Summary e = Summary.of(exactlyOnce, events);
        System.out.printf("%nmedian of %d rounds (min..max):%n", rounds);
        System.out.printf("  at-least-once: wall %.2f s (%.2f..%.2f), CPU %.2f us/record (%.2f..%.2f)%n",
                a.wall[1], a.wall[0], a.wall[2], a.cpu[1], a.cpu[0], a.cpu[2]);
        System.out.printf("  exactly-once:  wall %.2f s (%.2f..%.2f), CPU %.2f us/record (%.2f..%.2f)%n",
                e.wall[1], e.wall[0], e.wall[2], e.cpu[1], e.cpu[0], e.cpu[2]);
        System.out.printf("  exactly-once / at-least-once: wall %.3fx, CPU per record %.3fx (goal <= 1.1x)%n",
                e.wall[1] / a.wall[1], e.cpu[1] / a.cpu[1]);
    }

    private record Run(double seconds, double cpuSeconds) {
        double cpuMicrosPerRecord(int events) {
            return cpuSeconds * 1e6 / events;
        }
    }

    /** Median and range: index 0 min, 1 median, 2 max. */
    private record Summary(double[] wall, double[] cpu) {
        static Summary of(List<Run> runs, int events) {
            return new Summary(spread(runs.stream().mapToDouble(Run::seconds).toArray()),
                    spread(runs.stream().mapToDouble(r -> r.cpuMicrosPerRecord(events)).toArray()));
        }

        private static double[] spread(double[] values) {
            Arrays.sort(values);
            return new double[] {values[0], values[values.length / 2], values[values.length - 1]};
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
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuBefore = os.getProcessCpuTime();
        long start = System.nanoTime();
        pipe.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpu = (os.getProcessCpuTime() - cpuBefore) / 1e9;
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
