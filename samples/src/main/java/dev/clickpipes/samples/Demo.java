package dev.clickpipes.samples;

import dev.clickpipes.clickhouse.ClickHouseTransport;
import dev.clickpipes.clickhouse.TabSeparated;
import dev.clickpipes.clickhouse.http.HttpTransport;
import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.core.PipeMetrics;
import dev.clickpipes.format.Decoders;
import dev.clickpipes.source.memory.NdjsonFileSource;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The demo: a million realistic JSON events through a pipe into ClickHouse, with a progress bar,
 * a summary and a query a person can check.
 *
 * <pre>
 * Demo [--events N] [--url http://host:8123 [--user U] [--password P]]
 * </pre>
 * Without {@code --url} it runs on the embedded engine (chDB, fetched by scripts/fetch-chdb.sh).
 */
public final class Demo {

    private Demo() {
    }

    /** Runs the demo; see the class comment for the arguments. */
    public static void main(String[] args) throws Exception {
        int events = 1_000_000;
        String url = null;
        String user = "default";
        String password = "";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--events" -> events = Integer.parseInt(args[++i]);
                case "--url" -> url = args[++i];
                case "--user" -> user = args[++i];
                case "--password" -> password = args[++i];
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: Demo [--events N] [--url http://host:8123 [--user U] [--password P]]");
            }
        }
        ClickHouseTransport clickhouse = url == null
                ? EmbeddedClickHouse.shared()
                : HttpTransport.builder().endpoint(url).credentials(user, password).build();
        try {
            run(clickhouse, events);
        } finally {
            if (url != null) {
                clickhouse.close();
            }
        }
    }

    private static void run(ClickHouseTransport clickhouse, int events) throws Exception {
        System.out.printf("ClickHouse %s at %s%n", clickhouse.query("SELECT version()").strip(), clickhouse.describe());
        Path file = Path.of("target", "demo", "events.ndjson");
        System.out.printf("Generating %,d events into %s ...%n", events, file);
        EventGenerator.write(file, events, 100_000);
        System.out.printf("  %,d bytes%n", Files.size(file));

        clickhouse.query("CREATE DATABASE IF NOT EXISTS demo");
        clickhouse.query("DROP TABLE IF EXISTS demo.events");
        clickhouse.query("DROP TABLE IF EXISTS demo.events_clickpipes_error");
        clickhouse.query("CREATE TABLE demo.events (" + columnsFor(clickhouse)
                + ") ENGINE = MergeTree ORDER BY (event_type, event_time)");

        ExecutorService threads = Executors.newFixedThreadPool(2); // the pipe's worker, and its inserts
        Pipe pipe = Pipe.builder()
                .name("demo-events")
                .source(NdjsonFileSource.of(file))
                .decoder(Decoders.json())
                .sink(ClickHouseSink.builder().transport(clickhouse).table("demo.events").build())
                .insertExecutor(threads)
                .build();
        long start = System.nanoTime();
        threads.execute(pipe);
        while (!pipe.completion().isDone()) {
            printProgress(pipe.metrics(), events, start);
            Thread.sleep(200);
        }
        PipeMetrics m = pipe.completion().get();
        printProgress(m, events, start);
        double seconds = (System.nanoTime() - start) / 1e9;
        threads.shutdown();

        System.out.printf("%n%nDone in %.2f s: %,d rows written (%,.0f rows/s, %.1f MB/s), %,d error rows, %,d batches%n",
                seconds, m.rowsWritten(), m.rowsWritten() / seconds, m.bytesRead() / seconds / 1e6, m.errorRows(), m.batches());
        System.out.printf("%nSELECT count() FROM demo.events  ->  %s%n", clickhouse.query("SELECT count() FROM demo.events").strip());
        System.out.println("\nTop events by count:");
        table(clickhouse, "SELECT event_type, count() AS events, uniqExact(user_id) AS users, "
                + "round(sum(price), 2) AS revenue FROM demo.events GROUP BY event_type ORDER BY events DESC LIMIT 10",
                "event_type", "events", "users", "revenue");
        System.out.println("\nRejected records (demo.events_clickpipes_error):");
        table(clickhouse, "SELECT error_kind, position, substring(message, 1, 70) FROM demo.events_clickpipes_error "
                + "ORDER BY length(position), position LIMIT 5", "error_kind", "position", "message");
    }

    /** The demo's columns; servers older than 21.x lack DateTime64, Bool and LowCardinality. */
    private static String columnsFor(ClickHouseTransport clickhouse) throws Exception {
        int major = Integer.parseInt(clickhouse.query("SELECT version()").strip().split("\\.")[0]);
        if (major >= 21) {
            return EventGenerator.TABLE_COLUMNS;
        }
        return EventGenerator.TABLE_COLUMNS.replace("DateTime64(3)", "DateTime").replace("Bool", "UInt8")
                .replace("LowCardinality(String)", "String");
    }

    private static void printProgress(PipeMetrics m, int total, long start) {
        double seconds = Math.max(1e-3, (System.nanoTime() - start) / 1e9);
        long done = m.rowsWritten() + m.errorRows();
        int width = 40;
        int filled = (int) Math.min(width, done * width / Math.max(1, total));
        System.out.printf(Locale.ROOT, "\r[%s%s] %3d%%  %,10d rows  %,9.0f rows/s  %,d errors",
                "#".repeat(filled), " ".repeat(width - filled), done * 100 / Math.max(1, total),
                m.rowsWritten(), m.rowsWritten() / seconds, m.errorRows());
        System.out.flush();
    }

    private static void table(ClickHouseTransport clickhouse, String sql, String... headers) throws Exception {
        List<List<String>> rows = TabSeparated.rows(clickhouse.query(sql));
        StringBuilder format = new StringBuilder("  ");
        for (int i = 0; i < headers.length; i++) {
            int w = headers[i].length();
            for (List<String> r : rows) {
                w = Math.max(w, r.get(i).length());
            }
            format.append("%-").append(w + 2).append('s');
        }
        format.append("%n");
        System.out.printf(format.toString(), (Object[]) headers);
        for (List<String> r : rows) {
            System.out.printf(format.toString(), r.toArray());
        }
    }
}
