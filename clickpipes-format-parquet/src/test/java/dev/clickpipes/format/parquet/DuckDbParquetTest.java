package dev.clickpipes.format.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.source.memory.MemorySource;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import dev.clickpipes.testkit.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Parquet files written by a second implementation (DuckDB), with every codec and a wide spread of
 * logical and nested types, read by our decoder and by the engine's {@code file(..., Parquet)} into
 * identical tables, compared value for value.
 */
class DuckDbParquetTest {

    static EmbeddedClickHouse clickhouse;
    static TestDatabase db;
    static Path dir;

    /** Every kind of column DuckDB writes; 20 000 rows, so several pages and dictionary fallbacks. */
    static final String SELECT = """
            SELECT i AS id,
                   (i % 128)::TINYINT AS i8, (i % 30000)::SMALLINT AS i16, i::INTEGER AS i32, (i * 1000003)::BIGINT AS i64,
                   (i % 256)::UTINYINT AS u8, (i % 65536)::USMALLINT AS u16, i::UINTEGER AS u32,
                   (18446744073709551615 - i)::UBIGINT AS u64,
                   (i / 7.0)::FLOAT AS f32, (i / 3.0)::DOUBLE AS f64, i % 2 = 0 AS b,
                   'text-' || i AS s, CASE WHEN i % 5 = 0 THEN NULL ELSE 'n' || i END AS ns,
                   (i / 100.0)::DECIMAL(9,2) AS d9, (i * 12345.678901)::DECIMAL(18,6) AS d18,
                   (i * 1234567890.12345)::DECIMAL(38,5) AS d38,
                   DATE '2024-01-01' + (i % 1000)::INTEGER AS dt,
                   TIMESTAMP '2024-01-01 00:00:00' + INTERVAL (i) SECOND AS ts_us,
                   epoch_ms(1700000000000 + i)::TIMESTAMP_MS AS ts_ms,
                   make_timestamp(1700000000000000 + i)::TIMESTAMP_NS AS ts_ns,
                   TIMESTAMPTZ '2024-01-01 00:00:00+00' + INTERVAL (i) MINUTE AS tstz,
                   md5(i::VARCHAR)::UUID AS u,
                   ('\\x' || lpad(to_hex(i), 8, '0'))::BLOB AS bin,
                   [i, i + 1, NULL] AS arr, [['a' || i], [], ['b', NULL]] AS arr2,
                   CASE WHEN i % 3 = 0 THEN NULL ELSE [i::DOUBLE] END AS narr,
                   MAP {'k' || (i % 10): i, 'z': -i} AS m,
                   {'x': i, 'y': 's' || i, 'z': {'deep': [i, i]}} AS st,
                   [{'a': i, 'b': 'q'}] AS arrst
            FROM range(20000) t(i)""";

    @BeforeAll
    static void start() throws Exception {
        clickhouse = EmbeddedClickHouse.shared();
        db = clickhouse.newDatabase();
        dir = Files.createTempDirectory("duckdb-parquet");
    }

    @AfterAll
    static void stop() throws Exception {
        // Not db.close(): its DROP DATABASE ... SYNC hangs in the embedded engine here; the shared
        // engine's temporary folder is deleted when the JVM exits.
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    @ParameterizedTest
    @ValueSource(strings = {"uncompressed", "snappy", "gzip", "zstd", "lz4_raw"})
    void duckDbFileReadsLikeTheEngine(String codec) throws Exception {
        Path file = dir.resolve("all_" + codec + ".parquet");
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement st = duck.createStatement()) {
            st.execute("COPY (" + SELECT + ") TO '" + file + "' (FORMAT PARQUET, COMPRESSION '" + codec
                    + "', ROW_GROUP_SIZE 6000)");
        }
        String theirs = db.table("engine_" + codec);
        String ours = db.table("ours_" + codec);
        clickhouse.query("CREATE TABLE " + theirs + " ENGINE = MergeTree ORDER BY tuple() AS SELECT * FROM file('"
                + file + "', Parquet)");
        clickhouse.query("CREATE TABLE " + ours + " AS " + theirs);
        MemorySource source = MemorySource.open();
        source.offer(Files.readAllBytes(file));
        source.end();
        Pipe.builder().name("duckdb-" + codec).source(source).decoder(ParquetDecoder.create())
                .sink(ClickHouseSink.builder().transport(clickhouse).table(ours).errorTable(true).build())
                .build().run();
        assertThat(clickhouse.queryRows("SELECT message FROM " + ours + "_clickpipes_error")).isEmpty();
        assertThat(clickhouse.queryLong("SELECT count() FROM " + ours)).isEqualTo(20_000);
        String a = clickhouse.query("SELECT toString(tuple(*)) AS s FROM " + ours + " ORDER BY s");
        String b = clickhouse.query("SELECT toString(tuple(*)) AS s FROM " + theirs + " ORDER BY s");
        if (!a.equals(b)) {
            String[] la = a.split("\n");
            String[] lb = b.split("\n");
            for (int i = 0; i < la.length; i++) {
                assertThat(la[i]).as("row %d (types %s)", i, clickhouse.query("SELECT groupArray(type) FROM system.columns"
                        + " WHERE database = '" + db.name() + "' AND table = 'engine_" + codec + "'")).isEqualTo(lb[i]);
            }
        }
    }
}
