package dev.clickpipes.source.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clickpipes.core.Pipe;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import dev.clickpipes.testkit.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pipe that decodes on lent threads writes runs of Parquet rows column by column
 * ({@code Decoder.decodeRun}); one without writes them row by row. Both must give the same table and the
 * same error table: the same values, virtual columns, nulls and defaults, and a row a column cannot take
 * filed alone, by its position, while the rest of its run arrives.
 */
class ParquetRunsTest {

    static EmbeddedClickHouse clickhouse;
    static TestDatabase db;
    static ExecutorService threads;
    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        clickhouse = EmbeddedClickHouse.shared();
        db = clickhouse.newDatabase();
        threads = Executors.newCachedThreadPool();
    }

    @AfterAll
    static void stop() {
        threads.shutdownNow();
        // Not db.close(): its DROP DATABASE ... SYNC hangs in the embedded engine here.
    }

    @Test
    void runsGiveTheRowsAndErrorsOfTheRowPath() throws Exception {
        Files.createDirectories(dir.resolve("in"));
        // 30 000 rows in row groups of 7 000 (windows of 4 096 cross chunk and group boundaries); 4 rows
        // have a v the UInt8 column cannot take (their runs go row by row), the other runs go whole, every 5th a NULL s, every 3rd no tags
        clickhouse.query("INSERT INTO FUNCTION file('" + dir.resolve("in/a.parquet") + "', Parquet, 'id UInt64, v Int64,"
                + " s Nullable(String), ts DateTime64(6, \\'UTC\\'), amount Decimal(18, 4), score Float64, ok Bool,"
                + " tags Array(String), extra String') SELECT number, if(number % 9973 = 5, 300, number % 200),"
                + " if(number % 5 = 0, NULL, toString(number)), toDateTime64('2024-01-01 00:00:00', 6, 'UTC')"
                + " + toIntervalMicrosecond(number * 1001), toDecimal64(number / 100, 4), number / 7, number % 2 = 0,"
                + " arrayMap(i -> concat('t', toString(i)), range(number % 3)), 'x' FROM numbers(30000)"
                + " SETTINGS output_format_parquet_row_group_size = 7000");
        String columns = "id UInt64, v UInt8, s Nullable(String), ts DateTime64(6, 'UTC'), amount Decimal(18, 4),"
                + " score Float64, ok Bool, tags Array(String), missing UInt32 DEFAULT 42, _row UInt64, _file String";
        String byRows = load("in/*.parquet", "rows", columns, false);
        String byRuns = load("in/*.parquet", "runs", columns, true);

        long bad = 4;
        assertThat(clickhouse.queryLong("SELECT count() FROM " + byRuns)).isEqualTo(30_000 - bad);
        assertThat(clickhouse.queryLong("SELECT countIf(_row != id OR _file != 'a.parquet' OR missing != 42"
                + " OR isNull(s) != (id % 5 = 0) OR length(tags) != id % 3 OR v != id % 200 OR score != id / 7) FROM " + byRuns)).isZero();
        assertSameRows(byRows, byRuns);
        List<List<String>> errors = clickhouse.queryRows("SELECT position, error_kind FROM " + byRuns
                + "_clickpipes_error ORDER BY toUInt64(splitByChar('@', position)[2])");
        assertThat(errors).hasSize((int) bad);
        assertThat(errors.get(0).get(0)).endsWith("a.parquet@5");
        assertThat(errors).isEqualTo(clickhouse.queryRows("SELECT position, error_kind FROM " + byRows
                + "_clickpipes_error ORDER BY toUInt64(splitByChar('@', position)[2])"));
    }

    /** Every file of the Parquet corpus the engine reads: loaded by runs as by rows, the same table. */
    @Test
    void everyCorpusFileLoadsTheSameByRunsAsByRows() throws Exception {
        Path corpus = Path.of(System.getProperty("clickpipes.corpus", "../../shared/corpus"), "parquet-testing")
                .toAbsolutePath().normalize();
        Assumptions.assumeTrue(Files.isDirectory(corpus), "the Parquet corpus is not at " + corpus);
        List<Path> files;
        try (Stream<Path> s = Files.list(corpus)) {
            files = s.filter(p -> p.toString().endsWith(".parquet")).sorted().toList();
        }
        int compared = 0;
        List<String> different = new ArrayList<>();
        int n = 0;
        for (Path file : files) {
            String name = "c" + n++;
            String schemaTable = db.table(name + "_schema");
            try {
                clickhouse.query("CREATE TABLE " + schemaTable + " ENGINE = Memory AS SELECT * FROM file('"
                        + file.toString().replace("'", "\\'") + "', Parquet) LIMIT 0");
            } catch (Exception e) {
                continue; // the engine cannot read it: nothing to compare against
            }
            Path in = dir.resolve(name);
            Files.createDirectories(in);
            Files.copy(file, in.resolve(file.getFileName()));
            String columns = clickhouse.query("SELECT arrayStringConcat(groupArray(concat('`', name, '` ', type)), ', ')"
                    + " FROM (SELECT name, type FROM system.columns WHERE database = '" + db.name() + "' AND table = '"
                    + name + "_schema' ORDER BY position)").strip().replace("\\'", "'") + ", _row UInt64"; // TSV escapes the quotes
            String byRows;
            String byRuns;
            try {
                byRows = load(name + "/*.parquet", name + "_rows", columns, false);
                byRuns = load(name + "/*.parquet", name + "_runs", columns, true);
            } catch (Exception e) {
                continue; // a table the engine cannot create, a file the pipe refuses (ParquetConformanceTest reports those)
            }
            compared++;
            String order = " ORDER BY _row FORMAT TSV";
            if (!clickhouse.query("SELECT * FROM " + byRows + order).equals(clickhouse.query("SELECT * FROM " + byRuns + order))
                    || !errorPositions(byRows).equals(errorPositions(byRuns))) {
                different.add(file.getFileName().toString());
            }
        }
        assertThat(compared).as("corpus files compared").isGreaterThan(20);
        assertThat(different).as("files loaded differently by runs than by rows").isEmpty();
    }

    private String errorPositions(String table) throws Exception {
        return clickhouse.query("EXISTS TABLE " + table + "_clickpipes_error").strip().equals("1")
                ? clickhouse.query("SELECT position, error_kind, message FROM " + table + "_clickpipes_error ORDER BY position")
                : "";
    }

    private static void assertSameRows(String a, String b) throws Exception {
        String query = " ORDER BY id FORMAT TSV";
        assertThat(clickhouse.query("SELECT * FROM " + b + query)).isEqualTo(clickhouse.query("SELECT * FROM " + a + query));
    }

    /** Loads the objects into a new table; {@code runs}: decoding on lent threads, where rows go in runs. */
    private String load(String glob, String name, String columns, boolean runs) throws Exception {
        String table = db.table(name);
        clickhouse.query("CREATE TABLE " + table + " (" + columns + ") ENGINE = MergeTree ORDER BY tuple()");
        ObjectStoreSource source = ObjectStoreSource.builder().url(dir.toUri() + glob).build();
        Pipe.Builder pipe = TestPipes.pipe("pq-runs", source, clickhouse, table);
        if (runs) {
            pipe.decodeExecutor(threads).decodeParallelism(2);
        }
        pipe.build().run();
        return table;
    }
}
