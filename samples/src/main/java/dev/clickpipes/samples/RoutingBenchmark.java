package dev.clickpipes.samples;

import dev.clickpipes.clickhouse.routing.RouteKey;
import dev.clickpipes.clickhouse.routing.Router;
import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.core.Batching;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.core.spi.Decoder;
import dev.clickpipes.core.spi.Sink;
import dev.clickpipes.format.Decoders;
import dev.clickpipes.samples.PipeComparison.Run;
import dev.clickpipes.source.memory.NdjsonFileSource;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What routing costs: the same NDJSON file into one table, and through a {@link Router} by its
 * {@code event_type} field into one table per type (8 tables of the same columns), alternating the
 * two in each round, on the embedded engine. Prints wall time and CPU per record (the whole
 * process: pipe and engine) of each and their ratios per round, as median, min and max over the
 * rounds after the warm-up ({@link Rounds}).
 *
 * <pre>RoutingBenchmark [--events N] [--rounds R] [--batch ROWS]</pre>
 */
public final class RoutingBenchmark {

    private static final List<String> TYPES = List.of("page_view", "click", "scroll", "add_to_cart", "search",
            "purchase", "signup", "logout");

    private RoutingBenchmark() {
    }

    /** Runs the benchmark. */
    public static void main(String[] args) throws Exception {
        int events = 500_000;
        int rounds = Rounds.DEFAULT;
        int batch = 100_000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--events" -> events = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("usage: RoutingBenchmark [--events N] [--rounds R] [--batch ROWS]");
            }
        }
        EmbeddedClickHouse ch = EmbeddedClickHouse.shared();
        Path file = Path.of("target", "bench", "routing-" + events + ".ndjson").toAbsolutePath();
        if (!Files.exists(file)) {
            EventGenerator.write(file, events, 0);
        }
        System.out.printf("ClickHouse %s (embedded), %,d events of %.0f B, batches of %,d rows, %d event types, %d cores%n",
                ch.version(), events, (double) Files.size(file) / events, batch, TYPES.size(),
                Runtime.getRuntime().availableProcessors());
        ch.query("CREATE DATABASE IF NOT EXISTS bench");
        int n = events;
        int rows = batch;
        Rounds r = new Rounds(rounds);
        PipeComparison.compare(r, n, "one table", round -> single(ch, file, n, rows, round),
                "routed to " + TYPES.size() + " tables", round -> routed(ch, file, n, rows, round), "");
    }

    private static String create(EmbeddedClickHouse ch, String table) throws Exception {
        ch.query("DROP TABLE IF EXISTS " + table);
        ch.query("CREATE TABLE " + table + " (" + EventGenerator.TABLE_COLUMNS + ") ENGINE = MergeTree"
                + " ORDER BY (event_type, event_time)");
        return table;
    }

    private static Run single(EmbeddedClickHouse ch, Path file, int events, int batch, int round) throws Exception {
        String table = create(ch, "bench.routing_single_" + round);
        Run run = run(file, batch, Decoders.json(), ClickHouseSink.builder().transport(ch).table(table).build());
        check(ch, List.of(table), events);
        ch.query("DROP TABLE " + table);
        return run;
    }

    private static Run routed(EmbeddedClickHouse ch, Path file, int events, int batch, int round) throws Exception {
        Router.Builder b = Router.builder().routeBy(RouteKey.field("event_type"))
                .fallbackErrorTable(ch, "bench.routing_unrouted_" + round);
        List<String> tables = new java.util.ArrayList<>();
        for (String type : TYPES) {
            String table = create(ch, "bench.routing_" + type + "_" + round);
            tables.add(table);
            b.target(type, ClickHouseSink.builder().transport(ch).table(table).build(), Decoders.json());
        }
        Router router = b.build();
        Run run = run(file, batch, router.decoder(), router.sink());
        check(ch, tables, events);
        for (String t : tables) {
            ch.query("DROP TABLE " + t);
        }
        return run;
    }

    private static Run run(Path file, int batch, Decoder decoder, Sink sink) {
        Pipe pipe = Pipe.builder().name("routing-bench").source(NdjsonFileSource.of(file)).decoder(decoder).sink(sink)
                .batching(Batching.builder().maxRows(batch).build()).build();
        return Run.of(pipe);
    }

    private static void check(EmbeddedClickHouse ch, List<String> tables, int events) throws Exception {
        long rows = 0;
        for (String t : tables) {
            rows += ch.queryLong("SELECT count() FROM " + t);
        }
        if (rows != events) {
            throw new IllegalStateException(tables + " hold " + rows + " rows, expected " + events);
        }
    }
}
