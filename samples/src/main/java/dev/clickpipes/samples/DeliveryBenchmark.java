package dev.clickpipes.samples;

import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.core.Batching;
import dev.clickpipes.core.Delivery;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.format.Decoders;
import dev.clickpipes.samples.PipeComparison.Run;
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
        PipeComparison.compare(r, n, "at-least-once", round -> run(ch, file, n, rows, Delivery.AT_LEAST_ONCE, round),
                "exactly-once", round -> run(ch, file, n, rows, Delivery.EXACTLY_ONCE, round), " (goal <= 1.1x)");
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
        Run run = Run.of(pipe);
        long rows = ch.queryLong("SELECT count() FROM " + table);
        if (rows != events) {
            throw new IllegalStateException(table + " has " + rows + " rows, expected " + events);
        }
        ch.query("DROP TABLE " + table);
        return run;
    }
}
