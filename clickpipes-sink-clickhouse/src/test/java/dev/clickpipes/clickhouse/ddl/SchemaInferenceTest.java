package dev.clickpipes.clickhouse.ddl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.format.Decoders;
import dev.clickpipes.source.memory.MemorySource;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import dev.clickpipes.testkit.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchemaInferenceTest {

    private static final List<String> SAMPLES = List.of(
            "{\"id\": 1, \"small\": 200, \"neg\": -5, \"big\": 5000000000, \"price\": 1, \"ok\": true,"
                    + " \"day\": \"2024-05-01\", \"ts\": \"2024-05-01 10:00:00\", \"ts_ms\": \"2024-05-01T10:00:00.123Z\","
                    + " \"uid\": \"61f0c404-5cb3-11e7-907b-a6006ad3dba0\", \"name\": \"a\", \"maybe\": null,"
                    + " \"tags\": [\"x\"], \"geo\": {\"lat\": 1.5, \"lon\": 2}, \"mixed\": 1, \"country\": \"FR\"}",
            "{\"id\": 2, \"small\": 3, \"neg\": 100, \"big\": 1, \"price\": 2.5, \"ok\": false,"
                    + " \"day\": \"2024-05-02\", \"ts\": \"2024-05-02\", \"ts_ms\": \"2024-05-01T10:00:00.5Z\","
                    + " \"uid\": \"00000000-0000-0000-0000-000000000000\", \"name\": \"b\", \"maybe\": \"x\","
                    + " \"tags\": [], \"geo\": {\"lat\": -1}, \"mixed\": \"one\", \"country\": \"FR\"}");

    @Test
    void infersTheNarrowestTypeThatHoldsEverySample() {
        Map<String, String> columns = SchemaInference.fromJson(SAMPLES, SchemaInference.Options.defaults())
                .orderBy("id").build().columns();
        assertThat(columns).containsExactly(
                Map.entry("id", "UInt8"), Map.entry("small", "UInt8"), Map.entry("neg", "Int8"),
                Map.entry("big", "UInt64"), Map.entry("price", "Float64"), Map.entry("ok", "Bool"),
                Map.entry("day", "Date"), Map.entry("ts", "DateTime"), Map.entry("ts_ms", "DateTime64(3)"),
                Map.entry("uid", "UUID"), Map.entry("name", "String"), Map.entry("maybe", "Nullable(String)"),
                Map.entry("tags", "Array(String)"), Map.entry("geo", "Tuple(`lat` Float64, `lon` UInt8)"),
                Map.entry("mixed", "String"), Map.entry("country", "String"));
    }

    @Test
    void repetitiveStringsBecomeLowCardinalityWhenAsked() {
        List<String> samples = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            samples.add("{\"country\": \"" + (i % 3 == 0 ? "FR" : "DE") + "\", \"id\": \"id-" + i + "\"}");
        }
        Map<String, String> columns = SchemaInference.fromJson(samples, SchemaInference.Options.withLowCardinality())
                .orderBy("id").build().columns();
        assertThat(columns).containsEntry("country", "LowCardinality(String)").containsEntry("id", "String");
    }

    @Test
    void csvWithAHeader() {
        Map<String, String> columns = SchemaInference.fromCsv(List.of("id,name,score,when,flag",
                "1,\"a, b\",1.5,2024-05-01 00:00:00,true", "300,c,,2024-05-02 00:00:00,false"), ',',
                SchemaInference.Options.defaults()).orderBy("id").build().columns();
        assertThat(columns).containsExactly(Map.entry("id", "UInt16"), Map.entry("name", "String"),
                Map.entry("score", "Nullable(Float64)"), Map.entry("when", "DateTime"), Map.entry("flag", "Bool"));
    }

    @Test
    void badSamplesAndMissingSettingsAreNamed() {
        assertThatThrownBy(() -> SchemaInference.fromJson(List.of("{}", "[1]"), SchemaInference.Options.defaults()))
                .hasMessageContaining("sample 2 is not a JSON object");
        assertThatThrownBy(() -> SchemaInference.fromJson(SAMPLES, SchemaInference.Options.defaults()).build())
                .hasMessageContaining("orderBy");
        assertThatThrownBy(() -> TableDefinition.builder().column("x", "Array(").orderBy("x").build())
                .hasMessageContaining("Array(");
    }

    @Test
    void thePipeCreatesTheInferredTableAndItsErrorTableButNeverAltersAnExistingOne() throws Exception {
        EmbeddedClickHouse clickhouse = EmbeddedClickHouse.shared();
        try (TestDatabase db = clickhouse.newDatabase()) {
            TableDefinition table = SchemaInference.fromJson(SAMPLES, SchemaInference.Options.defaults())
                    .column("price", "Decimal(10, 2)").removeColumn("mixed")
                    .orderBy("(id, ts)").partitionBy("toYYYYMM(ts)").ttl("ts + INTERVAL 10 YEAR").build();
            Pipe.builder().name("inferred").source(MemorySource.of(SAMPLES)).decoder(Decoders.json())
                    .sink(ClickHouseSink.builder().transport(clickhouse).table(db.name() + ".events").createTable(table).build())
                    .build().run();
            assertThat(clickhouse.queryRows("SELECT id, price, ts_ms, geo, maybe FROM " + db.name() + ".events ORDER BY id"))
                    .containsExactly(java.util.Arrays.asList("1", "1", "2024-05-01 10:00:00.123", "(1.5,2)", null),
                            List.of("2", "2.5", "2024-05-01 10:00:00.500", "(-1,0)", "x"));
            assertThat(clickhouse.query("SHOW CREATE TABLE " + db.name() + ".events"))
                    .contains("PARTITION BY toYYYYMM(ts)").contains("ORDER BY (id, ts)");
            assertThat(clickhouse.queryLong("SELECT count() FROM system.tables WHERE database = '" + db.name()
                    + "' AND name = 'events_clickpipes_error'")).isEqualTo(1);

            TableDefinition other = TableDefinition.builder().column("only", "String").orderBy("only").build();
            Pipe.builder().name("again").source(MemorySource.of(SAMPLES)).decoder(Decoders.json())
                    .sink(ClickHouseSink.builder().transport(clickhouse).table(db.name() + ".events").createTable(other).build())
                    .build().run();
            assertThat(clickhouse.queryLong("SELECT count() FROM system.columns WHERE database = '" + db.name()
                    + "' AND table = 'events'")).isEqualTo(15);
        }
    }
}
