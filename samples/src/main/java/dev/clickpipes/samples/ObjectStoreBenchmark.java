package dev.clickpipes.samples;

import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.core.Batching;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.source.objectstore.ObjectStoreSource;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Object-storage ingest benchmark on local files, both sides on the embedded engine in one run:
 * a Parquet file (snappy, several row groups) and an NDJSON.gz file of the same rows, each loaded
 * (a) by the engine itself, {@code INSERT INTO t SELECT * FROM file(path, format)}, and (b) by our
 * pipe ({@code ObjectStoreSource} with a file:// URL) into an identical table. Prints rows/s of each
 * and the ratio b/a.
 *
 * <pre>ObjectStoreBenchmark [--rows N] [--rounds R]</pre>
 */
public final class ObjectStoreBenchmark {

    private static final String COLUMNS = "id UInt64, user_id UInt32, event String, url String, amount Decimal(18, 4), "
            + "ts DateTime64(6, 'UTC'), tags Array(String), score Float64, ok Bool";

    private static final String STRUCTURE = COLUMNS.replace("'", "\\'");

    private ObjectStoreBenchmark() {
    }

    /** Runs the benchmark. */
    public static void main(String[] args) throws Exception {
        long rows = 1_000_000;
        int rounds = 2;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rows" -> rows = Long.parseLong(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("usage: ObjectStoreBenchmark [--rows N] [--rounds R]");
            }
        }
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
        System.out.printf("ClickHouse %s (embedded), %,d rows; Parquet %,d bytes, NDJSON.gz %,d bytes; %d cores%n",
                ch.version(), rows, Files.size(parquet), Files.size(ndjson), Runtime.getRuntime().availableProcessors());
        ch.query("CREATE DATABASE IF NOT EXISTS bench_objects");
        ExecutorService inserts = Executors.newSingleThreadExecutor();
        try {
            for (Path file : new Path[]{parquet, ndjson}) {
                String format = file == parquet ? "Parquet" : "JSONEachRow";
                double bestEngine = Double.MAX_VALUE;
                double bestPipe = Double.MAX_VALUE;
                for (int round = 0; round < rounds; round++) {
                    bestEngine = Math.min(bestEngine, engine(ch, file, format, rows));
                    bestPipe = Math.min(bestPipe, pipe(ch, file, rows, inserts));
                }
                System.out.printf("%-12s engine INSERT SELECT FROM file(): %6.2f s, %,10.0f rows/s | pipe: %6.2f s, %,10.0f rows/s"
                        + " | pipe/engine = %.2f%n", format, bestEngine, rows / bestEngine, bestPipe, rows / bestPipe,
                        bestEngine / bestPipe);
            }
        } finally {
            inserts.shutdown();
        }
    }

    private static double engine(EmbeddedClickHouse ch, Path file, String format, long rows) throws Exception {
        String t = "bench_objects.engine";
        ch.query("DROP TABLE IF EXISTS " + t);
        ch.query("CREATE TABLE " + t + " (" + COLUMNS + ") ENGINE = MergeTree ORDER BY id");
        long start = System.nanoTime();
        ch.query("INSERT INTO " + t + " SELECT * FROM file('" + file + "', " + format + ", '" + STRUCTURE + "')");
        double s = (System.nanoTime() - start) / 1e9;
        check(ch, t, rows);
        return s;
    }

    private static double pipe(EmbeddedClickHouse ch, Path file, long rows, ExecutorService inserts) throws Exception {
        String t = "bench_objects.pipe";
        ch.query("DROP TABLE IF EXISTS " + t);
        ch.query("CREATE TABLE " + t + " (" + COLUMNS + ") ENGINE = MergeTree ORDER BY id");
        ObjectStoreSource source = ObjectStoreSource.builder().url(file.toUri().toString()).build();
        Pipe pipe = Pipe.builder().name("bench-objects").source(source).decoder(source.decoder())
                .sink(ClickHouseSink.builder().transport(ch).table(t).errorTable(true).build())
                .batching(Batching.builder().maxRows(100_000).maxBytes(64L << 20).maxAge(Duration.ofSeconds(5)).build())
                .insertExecutor(inserts)
                .build();
        long start = System.nanoTime();
        pipe.run();
        double s = (System.nanoTime() - start) / 1e9;
        check(ch, t, rows);
        return s;
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
