package dev.clickpipes.clickhouse.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clickpipes.core.Pipe;
import dev.clickpipes.core.PipeMetrics;
import dev.clickpipes.format.Decoders;
import dev.clickpipes.source.memory.MemorySource;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import dev.clickpipes.testkit.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every type of the foundation, round-tripped from JSON through the pipe's Native insert, checked
 * against ClickHouse itself: the same records inserted by the engine's own JSONEachRow parser into
 * an identical table must read back identically.
 */
class PipeTypesTest {

    private static final String COLUMNS = """
            id UInt32, i8 Int8, i16 Int16, i32 Int32, i64 Int64,
            u8 UInt8, u16 UInt16, u32 UInt32, u64 UInt64,
            f32 Float32, f64 Float64, b Bool, s String, fs FixedString(4),
            d Date, dt DateTime('UTC'), dt64 DateTime64(3, 'UTC'), dt64us DateTime64(6, 'Asia/Tokyo'),
            u UUID, ns Nullable(String), ni Nullable(Int32), nd Nullable(DateTime64(3, 'UTC')),
            lc LowCardinality(String), lcn LowCardinality(Nullable(String)),
            arr Array(UInt64), arrs Array(Nullable(String)), arr2 Array(Array(Int16)),
            arrlc Array(LowCardinality(String)), adt Array(DateTime('UTC'))""";

    private static final List<String> RECORDS = List.of(
            // ordinary values
            "{\"id\":1,\"i8\":-5,\"i16\":1234,\"i32\":-123456,\"i64\":9000000000,\"u8\":200,\"u16\":60000,"
                    + "\"u32\":4000000000,\"u64\":18000000000000000000,\"f32\":1.5,\"f64\":-2.25e10,\"b\":true,"
                    + "\"s\":\"hello\",\"fs\":\"ab\",\"d\":\"2024-02-29\",\"dt\":\"2024-05-01 12:30:45\","
                    + "\"dt64\":\"2024-05-01 12:30:45.123\",\"dt64us\":\"2024-05-01 12:30:45.123456\","
                    + "\"u\":\"61f0c404-5cb3-11e7-907b-a6006ad3dba0\",\"ns\":\"x\",\"ni\":7,\"nd\":\"2024-05-01 00:00:00.001\","
                    + "\"lc\":\"page_view\",\"lcn\":\"a\",\"arr\":[1,2,3],\"arrs\":[\"a\",null,\"c\"],"
                    + "\"arr2\":[[1,2],[],[-3]],\"arrlc\":[\"x\",\"y\"],\"adt\":[\"2024-01-01 00:00:00\",\"2024-01-02 00:00:01\"]}",
            // limits: min and max of every integer, unicode, empty, nulls
            "{\"id\":2,\"i8\":-128,\"i16\":-32768,\"i32\":-2147483648,\"i64\":-9223372036854775808,\"u8\":255,"
                    + "\"u16\":65535,\"u32\":4294967295,\"u64\":18446744073709551615,\"f32\":-0.0,\"f64\":1.7976931348623157e308,"
                    + "\"b\":false,\"s\":\"h\\u00e9llo w\\u00f6rld \\ud83d\\ude00 \\\"quoted\\\" \\\\ tab\\t\",\"fs\":\"abcd\","
                    + "\"d\":\"1970-01-01\",\"dt\":\"1970-01-01 00:00:00\",\"dt64\":\"1970-01-01 00:00:00.000\","
                    + "\"dt64us\":\"2000-01-01 00:00:00.000001\",\"u\":\"00000000-0000-0000-0000-000000000000\","
                    + "\"ns\":null,\"ni\":null,\"nd\":null,\"lc\":\"\",\"lcn\":null,\"arr\":[],\"arrs\":[],\"arr2\":[],"
                    + "\"arrlc\":[],\"adt\":[]}",
            // numbers as strings, ISO-8601 with offsets and Z, a max int64, numbers into strings
            "{\"id\":3,\"i8\":\"127\",\"i16\":\"32767\",\"i32\":\"2147483647\",\"i64\":9223372036854775807,"
                    + "\"u8\":\"0\",\"u16\":0,\"u32\":0,\"u64\":\"0\",\"f32\":\"3.25\",\"f64\":\"-1e-300\",\"b\":false,"
                    + "\"s\":12345,\"fs\":\"\",\"d\":\"2149-06-06\",\"dt\":\"2024-05-01T12:30:45Z\","
                    + "\"dt64\":\"2024-05-01T14:30:45.5+02:00\",\"dt64us\":\"2024-05-01T12:30:45.123456Z\","
                    + "\"u\":\"FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF\",\"ns\":\"\",\"ni\":-1,\"nd\":\"2024-05-01T00:00:00Z\","
                    + "\"lc\":\"click\",\"lcn\":\"\",\"arr\":[18446744073709551615],\"arrs\":[null],"
                    + "\"arr2\":[[32767,-32768]],\"arrlc\":[\"\"],\"adt\":[\"2106-02-07 06:28:15\"]}",
            // missing fields take zero values; unknown fields are ignored
            "{\"id\":4,\"unknown\":{\"nested\":[1,2,{\"x\":null}]},\"another\":\"ignored\"}");

    private static EmbeddedClickHouse clickhouse;
    private static TestDatabase db;

    @BeforeAll
    static void start() throws Exception {
        clickhouse = EmbeddedClickHouse.shared();
        db = clickhouse.newDatabase();
        for (String table : List.of("piped", "oracle")) {
            clickhouse.query("CREATE TABLE " + db.name() + "." + table + " (" + COLUMNS
                    + ") ENGINE = MergeTree ORDER BY id");
        }
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @Test
    void everyTypeReadsBackAsClickHouseReadsTheSameJson() throws Exception {
        Pipe pipe = Pipe.builder()
                .name("types")
                .source(MemorySource.of(RECORDS))
                .decoder(Decoders.json())
                .sink(ClickHouseSink.builder().transport(clickhouse).table(db.name() + ".piped").build())
                .build();
        pipe.run();
        PipeMetrics metrics = pipe.completion().get();
        assertThat(metrics.errorRows()).as(metrics.lastError()).isZero();
        assertThat(metrics.rowsWritten()).isEqualTo(RECORDS.size());

        byte[] body = String.join("\n", RECORDS).getBytes(StandardCharsets.UTF_8);
        clickhouse.insert("INSERT INTO " + db.name() + ".oracle SETTINGS input_format_skip_unknown_fields = 1 FORMAT JSONEachRow",
                body, body.length);

        String piped = clickhouse.query("SELECT * FROM " + db.name() + ".piped ORDER BY id");
        String oracle = clickhouse.query("SELECT * FROM " + db.name() + ".oracle ORDER BY id");
        assertThat(piped).isEqualTo(oracle);
        assertThat(piped.split("\n")).hasSize(RECORDS.size());
    }

    @Test
    void lowCardinalityStringsGoDictionaryEncodedWithWideIndexesAndEmptyArrays() throws Exception {
        String table = db.name() + ".lc";
        clickhouse.query("CREATE TABLE " + table + " (id UInt32, lc LowCardinality(String), few LowCardinality(String),"
                + " arr Array(LowCardinality(String)), t Tuple(a LowCardinality(String), b UInt8))"
                + " ENGINE = MergeTree ORDER BY id");
        java.util.List<String> records = new java.util.ArrayList<>();
        for (int i = 0; i < 70_000; i++) { // 70 000 distinct keys need 32-bit indexes (more than 65 535)
            records.add("{\"id\":" + i + ",\"lc\":\"v" + i + "\",\"few\":\"" + (i % 3 == 0 ? "a" : "b")
                    + "\",\"arr\":[],\"t\":{\"a\":\"k" + (i % 300) + "\",\"b\":1}}");
        }
        Pipe pipe = Pipe.builder().name("lc").source(MemorySource.of(records)).decoder(Decoders.json())
                .sink(ClickHouseSink.builder().transport(clickhouse).table(table).build()).build();
        pipe.run();
        assertThat(pipe.metrics().errorRows()).as(pipe.metrics().lastError()).isZero();
        assertThat(clickhouse.queryRows("SELECT count(), uniqExact(lc), countIf(lc = concat('v', toString(id))),"
                + " countIf(few = 'a'), sum(length(arr)), uniqExact(t.a) FROM " + table))
                .containsExactly(List.of("70000", "70000", "70000", "23334", "0", "300"));
    }

    @Test
    void valuesAreTheOnesAPersonWouldExpect() throws Exception {
        Pipe pipe = Pipe.builder()
                .name("types-values")
                .source(MemorySource.of(RECORDS))
                .decoder(Decoders.json())
                .sink(ClickHouseSink.builder().transport(clickhouse).table(db.name() + ".piped").build())
                .build();
        clickhouse.query("TRUNCATE TABLE " + db.name() + ".piped");
        pipe.run();
        List<List<String>> rows = clickhouse.queryRows("SELECT u64, dt64, toString(u), arr2, ns, lcn, b, fs = 'ab\\0\\0' "
                + "FROM " + db.name() + ".piped ORDER BY id");
        assertThat(rows.get(0)).containsExactly("18000000000000000000", "2024-05-01 12:30:45.123",
                "61f0c404-5cb3-11e7-907b-a6006ad3dba0", "[[1,2],[],[-3]]", "x", "a", "true", "1");
        assertThat(rows.get(1).get(0)).isEqualTo("18446744073709551615");
        assertThat(rows.get(1).get(4)).as("NULL").isNull();
        assertThat(rows.get(2).get(1)).as("+02:00 offset applied").isEqualTo("2024-05-01 12:30:45.500");
        assertThat(rows.get(3)).containsExactly("0", "1970-01-01 00:00:00.000", "00000000-0000-0000-0000-000000000000",
                "[]", null, null, "false", "0");
    }
}
