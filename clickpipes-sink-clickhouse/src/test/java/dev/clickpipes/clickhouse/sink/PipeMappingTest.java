package dev.clickpipes.clickhouse.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clickpipes.core.Batching;
import dev.clickpipes.core.ErrorRecord;
import dev.clickpipes.core.FieldMapping;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.core.spi.Decoder;
import dev.clickpipes.format.Decoders;
import dev.clickpipes.source.memory.MemorySource;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import dev.clickpipes.testkit.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Field-to-column mapping, DEFAULT/MATERIALIZED/ALIAS columns, schema changes, the error table's options, CSV and TSV. */
class PipeMappingTest {

    private final EmbeddedClickHouse clickhouse = EmbeddedClickHouse.shared();
    private TestDatabase db;

    @BeforeEach
    void createDatabase() throws Exception {
        db = clickhouse.newDatabase();
    }

    @AfterEach
    void dropDatabase() {
        db.close();
    }

    private void run(String table, List<String> records, Decoder decoder, FieldMapping mapping) {
        Pipe.builder().name("mapping").source(MemorySource.of(records)).decoder(decoder).mapping(mapping)
                .sink(ClickHouseSink.builder().transport(clickhouse).table(db.name() + "." + table).build())
                .build().run();
    }

    private List<List<String>> rows(String sql) throws Exception {
        return clickhouse.queryRows(sql.replace("$db", db.name()));
    }

    @Test
    void missingFieldsTakeTheColumnsDefaultExpressionAndComputedColumnsAreNeverWritten() throws Exception {
        clickhouse.query("CREATE TABLE " + db.name() + ".t (id UInt32, qty UInt32 DEFAULT 1, "
                + "label String DEFAULT concat('item-', toString(id)), "
                + "kind LowCardinality(String) DEFAULT 'standard', "
                + "seen DateTime('UTC') DEFAULT toDateTime('2024-01-01 00:00:00', 'UTC'), "
                + "tags Array(String) DEFAULT ['x'], "
                + "total UInt64 MATERIALIZED qty * 100, twice UInt32 ALIAS id * 2, "
                + "note Nullable(String) DEFAULT 'n/a') ENGINE = MergeTree ORDER BY id");
        run("t", List.of("{\"id\": 1}",
                "{\"id\": 2, \"qty\": 5, \"label\": \"given\", \"kind\": \"express\", \"total\": 999, \"twice\": 7}",
                "{\"id\": 3, \"qty\": null, \"note\": null}"), Decoders.json(), FieldMapping.byName());
        // Documented limits: a Native block cannot tell a missing value from NULL in a Nullable column,
        // and Array/Map/Tuple columns cannot be sent as Nullable, so these two take NULL and [] instead.
        assertThat(rows("SELECT id, qty, label, kind, seen, tags, total, twice, note FROM $db.t ORDER BY id")).containsExactly(
                Arrays.asList("1", "1", "item-1", "standard", "2024-01-01 00:00:00", "[]", "100", "2", null),
                Arrays.asList("2", "5", "given", "express", "2024-01-01 00:00:00", "[]", "500", "4", null),
                Arrays.asList("3", "1", "item-3", "standard", "2024-01-01 00:00:00", "[]", "100", "6", null));
    }

    @Test
    void fieldsMapByNameExplicitlyIgnoringCaseAndByNestedPath() throws Exception {
        clickhouse.query("CREATE TABLE " + db.name() + ".t (user_id UInt64, City String, `geo.lat` Float64,"
                + " country String, device_os String) ENGINE = MergeTree ORDER BY user_id");
        FieldMapping mapping = FieldMapping.builder().caseInsensitive(true)
                .map("userId", "user_id").map("address.country.code", "country").map("device.os.name", "device_os")
                .build();
        run("t", List.of("{\"userId\": 7, \"city\": \"Lyon\", \"geo\": {\"lat\": 45.76, \"lon\": 4.83},"
                        + " \"address\": {\"country\": {\"code\": \"FR\", \"name\": \"France\"}},"
                        + " \"device\": {\"os\": {\"name\": \"linux\"}}, \"extra\": [1]}"),
                Decoders.json(), mapping);
        assertThat(rows("SELECT user_id, City, `geo.lat`, country, device_os FROM $db.t"))
                .containsExactly(List.of("7", "Lyon", "45.76", "FR", "linux"));
    }

    @Test
    void nestedColumnsTakeTheirArraysByPathOrByName() throws Exception {
        clickhouse.query("CREATE TABLE " + db.name() + ".t (id UInt32, n Nested(a Int32, b String))"
                + " ENGINE = MergeTree ORDER BY id");
        run("t", List.of("{\"id\": 1, \"n\": {\"a\": [1, 2], \"b\": [\"x\", \"y\"]}}",
                "{\"id\": 2, \"n.a\": [3], \"n.b\": [\"z\"]}"), Decoders.json(), FieldMapping.byName());
        assertThat(rows("SELECT id, n.a, n.b FROM $db.t ORDER BY id")).containsExactly(
                List.of("1", "[1,2]", "['x','y']"), List.of("2", "[3]", "['z']"));
    }

    @Test
    void aMappingToAColumnTheTableLacksFailsNamingTheColumns() throws Exception {
        clickhouse.query("CREATE TABLE " + db.name() + ".t (id UInt32) ENGINE = MergeTree ORDER BY id");
        Pipe pipe = Pipe.builder().name("m").source(MemorySource.of(List.of("{}"))).decoder(Decoders.json())
                .mapping(FieldMapping.builder().map("userId", "user_id").build())
                .sink(ClickHouseSink.builder().transport(clickhouse).table(db.name() + ".t").build()).build();
        assertThatThrownBy(pipe::run).hasMessageContaining("no column `user_id`").hasMessageContaining("[id]");
    }

    @Test
    void columnsAddedAndDroppedWhileThePipeRunsLoseNoRow() throws Exception {
        clickhouse.query("CREATE TABLE " + db.name() + ".t (id UInt32, a String, b String) ENGINE = MergeTree ORDER BY id");
        MemorySource source = MemorySource.open();
        Pipe pipe = Pipe.builder().name("alter").source(source).decoder(Decoders.json())
                .batching(Batching.builder().maxRows(50).maxAge(Duration.ofMillis(100)).build())
                .sink(ClickHouseSink.builder().transport(clickhouse).table(db.name() + ".t").build()).build();
        ExecutorService thread = Executors.newSingleThreadExecutor();
        thread.execute(pipe);
        int id = 0;
        for (; id < 500; id++) {
            source.offer("{\"id\": " + id + ", \"a\": \"a" + id + "\", \"b\": \"b" + id + "\", \"c\": \"c" + id + "\"}");
        }
        PipeDeliveryTest.waitFor(() -> source.committedOffset() >= 499);
        clickhouse.query("ALTER TABLE " + db.name() + ".t DROP COLUMN b");
        for (; id < 1000; id++) {
            source.offer("{\"id\": " + id + ", \"a\": \"a" + id + "\", \"b\": \"b" + id + "\", \"c\": \"c" + id + "\"}");
        }
        PipeDeliveryTest.waitFor(() -> source.committedOffset() >= 999);
        clickhouse.query("ALTER TABLE " + db.name() + ".t ADD COLUMN c String");
        clickhouse.query("ALTER TABLE " + db.name() + ".t ADD COLUMN b String");
        for (; id < 1500; id++) {
            source.offer("{\"id\": " + id + ", \"a\": \"a" + id + "\", \"b\": \"b" + id + "\", \"c\": \"c" + id + "\"}");
        }
        source.end();
        pipe.completion().get();
        thread.shutdown();
        assertThat(clickhouse.queryLong("SELECT uniqExact(id) FROM " + db.name() + ".t")).isEqualTo(1500);
        assertThat(clickhouse.queryLong("SELECT countIf(a = concat('a', toString(id))) FROM " + db.name() + ".t"))
                .isEqualTo(1500);
        assertThat(pipe.metrics().errorRows()).isZero();
    }

    @Test
    void theErrorTableCanBeRenamedGivenATtlOrReplacedByACallback() throws Exception {
        clickhouse.query("CREATE TABLE " + db.name() + ".t (id UInt32) ENGINE = MergeTree ORDER BY id");
        Pipe.builder().name("renamed").source(MemorySource.of(List.of("{\"id\": 1}", "oops"))).decoder(Decoders.json())
                .sink(ClickHouseSink.builder().transport(clickhouse).table(db.name() + ".t")
                        .errorTableName("rejects").errorTableTtl(Duration.ofDays(30)).build())
                .build().run();
        assertThat(rows("SELECT raw FROM $db.rejects")).containsExactly(List.of("oops"));
        assertThat(clickhouse.query("SHOW CREATE TABLE " + db.name() + ".rejects")).contains("TTL event_time + toIntervalSecond(2592000)");

        List<ErrorRecord> received = new CopyOnWriteArrayList<>();
        Pipe.builder().name("callback").source(MemorySource.of(List.of("{\"id\": 2}", "nope"))).decoder(Decoders.json())
                .sink(ClickHouseSink.builder().transport(clickhouse).table(db.name() + ".t")
                        .errorTable(false).errorHandler(received::addAll).build())
                .build().run();
        assertThat(received).singleElement().satisfies(e -> assertThat(new String(e.raw())).isEqualTo("nope"));
        assertThat(clickhouse.queryLong("SELECT count() FROM system.tables WHERE database = '" + db.name()
                + "' AND name = 't_clickpipes_error'")).isZero();
    }

    @Test
    void csvWithAHeaderQuotedNewlinesABomAndAMalformedLine() throws Exception {
        clickhouse.query("CREATE TABLE " + db.name() + ".t (id UInt32, name String, note Nullable(String), score Float64)"
                + " ENGINE = MergeTree ORDER BY id");
        List<String> lines = new ArrayList<>();
        lines.add("\uFEFFscore,id,name,note"); // header, in another order than the table
        lines.add("1.5,1,\"Smith, John\",\"said \"\"hi\"\"\nand left\"");
        lines.add("2.5,2,plain,\\N");
        lines.add("3.5,3,\"unclosed");
        lines.add("4.5,4,,");
        run("t", lines, Decoders.csvWithNames(), FieldMapping.byName());
        assertThat(rows("SELECT id, name, note, score FROM $db.t ORDER BY id")).containsExactly(
                List.of("1", "Smith, John", "said \"hi\"\nand left", "1.5"),
                Arrays.asList("2", "plain", null, "2.5"),
                Arrays.asList("4", "", null, "4.5"));
        assertThat(rows("SELECT position, error_kind, message, raw FROM $db.t_clickpipes_error")).singleElement()
                .satisfies(r -> assertThat(r).containsExactly("memory@3", "DATA_PARSING_ERROR",
                        "CSVWithNames: CSV: a quoted field opened on line 1 is never closed", "3.5,3,\"unclosed"));
    }

    @Test
    void tsvByPositionWithEscapesAndACustomDelimiter() throws Exception {
        clickhouse.query("CREATE TABLE " + db.name() + ".t (id UInt32, text String, tags Array(String))"
                + " ENGINE = MergeTree ORDER BY id");
        run("t", List.of("1\ttab\\there\\nnewline\t['a','b']", "2\t\\\\backslash\t[]"), Decoders.tsv(), FieldMapping.byName());
        assertThat(rows("SELECT id, text, tags FROM $db.t ORDER BY id")).containsExactly(
                List.of("1", "tab\there\nnewline", "['a','b']"), List.of("2", "\\backslash", "[]"));

        clickhouse.query("TRUNCATE TABLE " + db.name() + ".t");
        run("t", List.of("7|pipe|[]"), dev.clickpipes.format.text.TsvDecoder.builder().delimiter('|').build(),
                FieldMapping.byName());
        assertThat(rows("SELECT id, text FROM $db.t")).containsExactly(List.of("7", "pipe"));
    }
}
