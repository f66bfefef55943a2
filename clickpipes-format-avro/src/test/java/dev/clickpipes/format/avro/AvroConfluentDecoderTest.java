package dev.clickpipes.format.avro;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.core.RetryPolicy;
import dev.clickpipes.core.spi.Decoder;
import dev.clickpipes.format.registry.SchemaRegistry;
import dev.clickpipes.source.memory.MemorySource;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import dev.clickpipes.testkit.TestDatabase;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** AvroConfluent into the embedded engine: every type, schema evolution, bad ids and bad bytes. */
class AvroConfluentDecoderTest {

    static final int PORT = 19080;

    private static TestSchemaRegistry registry;
    private final EmbeddedClickHouse clickhouse = EmbeddedClickHouse.shared();
    private TestDatabase db;

    @BeforeAll
    static void startRegistry() throws Exception {
        registry = TestSchemaRegistry.start(PORT);
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    @BeforeEach
    void createDatabase() throws Exception {
        db = clickhouse.newDatabase();
    }

    @AfterEach
    void dropDatabase() throws Exception {
        // Not db.close(): its DROP ... SYNC hangs in the embedded engine here; a plain DROP does not.
        clickhouse.query("DROP DATABASE IF EXISTS " + db.name());
    }

    static final String ALL_TYPES = """
        {"type": "record", "name": "Everything", "namespace": "test", "fields": [
          {"name": "id", "type": "long"},
          {"name": "small", "type": "int"},
          {"name": "name", "type": "string"},
          {"name": "score", "type": "double"},
          {"name": "ratio", "type": "float"},
          {"name": "active", "type": "boolean"},
          {"name": "maybe", "type": ["null", "string"], "default": null},
          {"name": "tags", "type": {"type": "array", "items": "string"}},
          {"name": "attrs", "type": {"type": "map", "values": "long"}},
          {"name": "address", "type": {"type": "record", "name": "Address", "fields": [
             {"name": "street", "type": "string"}, {"name": "zip", "type": "int"},
             {"name": "geo", "type": {"type": "array", "items": "double"}}]}},
          {"name": "color", "type": {"type": "enum", "name": "Color", "symbols": ["RED", "GREEN", "BLUE"]}},
          {"name": "color_text", "type": "Color"},
          {"name": "code", "type": {"type": "fixed", "name": "Code", "size": 4}},
          {"name": "payload", "type": "bytes"},
          {"name": "price", "type": {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}},
          {"name": "big", "type": {"type": "fixed", "name": "Big", "size": 16, "logicalType": "decimal", "precision": 38, "scale": 6}},
          {"name": "uid", "type": {"type": "string", "logicalType": "uuid"}},
          {"name": "day", "type": {"type": "int", "logicalType": "date"}},
          {"name": "ts_ms", "type": {"type": "long", "logicalType": "timestamp-millis"}},
          {"name": "ts_us", "type": {"type": "long", "logicalType": "timestamp-micros"}},
          {"name": "local_ts", "type": {"type": "long", "logicalType": "local-timestamp-millis"}},
          {"name": "ts_ms_raw", "type": {"type": "long", "logicalType": "timestamp-millis"}},
          {"name": "t_ms", "type": {"type": "int", "logicalType": "time-millis"}},
          {"name": "either", "type": ["int", "string"]},
          {"name": "nested_json", "type": "Address"},
          {"name": "maybe_list", "type": ["null", {"type": "array", "items": "int"}], "default": null},
          {"name": "ignored", "type": {"type": "map", "values": {"type": "array", "items": "Address"}}}
        ]}""";

    @Test
    void everyTypeReachesItsColumn() throws Exception {
        Schema schema = new Schema.Parser().parse(ALL_TYPES);
        int id = registry.register("everything-value", schema);
        String table = db.table("everything");
        clickhouse.query("CREATE TABLE " + table + " (id Int64, small Int32, name String, score Float64, ratio Float32,"
                + " active Bool, maybe Nullable(String), tags Array(String), attrs Map(String, Int64),"
                + " address Tuple(street String, zip Int32, geo Array(Float64)),"
                + " color Enum8('RED' = 1, 'GREEN' = 2, 'BLUE' = 3), color_text LowCardinality(String),"
                + " code FixedString(4), payload String, price Decimal(10, 2), big Decimal(38, 6), uid UUID, day Date,"
                + " ts_ms DateTime64(3, 'UTC'), ts_us DateTime64(6, 'UTC'), local_ts DateTime64(3, 'UTC'),"
                + " ts_ms_raw Int64, t_ms Int32, either String, nested_json String, maybe_list Array(Int32))"
                + " ENGINE = MergeTree ORDER BY id");

        Schema address = schema.getField("address").schema();
        Schema color = schema.getField("color").schema();
        GenericRecord a = new GenericRecordBuilder(address).set("street", "Main St").set("zip", 12345)
                .set("geo", List.of(1.5, -2.25)).build();
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("x", 1L);
        attrs.put("y", -2L);
        Conversions.DecimalConversion decimals = new Conversions.DecimalConversion();
        Schema bigSchema = schema.getField("big").schema();
        GenericData.Record r1 = new GenericRecordBuilder(schema)
                .set("id", 1L).set("small", -7).set("name", "ünï ✓").set("score", 2.5).set("ratio", 0.1f)
                .set("active", true).set("maybe", "here").set("tags", List.of("a", "b"))
                .set("attrs", attrs).set("address", a)
                .set("color", new GenericData.EnumSymbol(color, "GREEN"))
                .set("color_text", new GenericData.EnumSymbol(color, "BLUE"))
                .set("code", new GenericData.Fixed(schema.getField("code").schema(), "AB\0D".getBytes(StandardCharsets.ISO_8859_1)))
                .set("payload", ByteBuffer.wrap(new byte[] {'h', 'i', 0, 'x'}))
                .set("price", decimals.toBytes(new BigDecimal("-12345678.90"), null, LogicalTypes.decimal(10, 2)))
                .set("big", decimals.toFixed(new BigDecimal("12345678901234567890.123456"), bigSchema, LogicalTypes.decimal(38, 6)))
                .set("uid", "123e4567-e89b-12d3-a456-426614174000")
                .set("day", 19844) // 2024-05-01
                .set("ts_ms", 1714521600123L) // 2024-05-01 00:00:00.123 UTC
                .set("ts_us", 1714521600123456L)
                .set("local_ts", 1714521600999L)
                .set("ts_ms_raw", 1714521600123L)
                .set("t_ms", 3_723_004) // 01:02:03.004
                .set("either", 42)
                .set("nested_json", a)
                .set("maybe_list", List.of(3, 4))
                .set("ignored", Map.of("k", List.of(a, a)))
                .build();
        GenericRecord r2 = new GenericRecordBuilder(r1)
                .set("id", 2L).set("maybe", null).set("either", "text").set("tags", List.of())
                .set("attrs", Map.of()).set("maybe_list", null).set("ignored", Map.of())
                .build();

        run(AvroDecoders.confluent(SchemaRegistry.of(registry.url())), table,
                ConfluentAvro.encode(id, schema, r1), ConfluentAvro.encode(id, schema, r2));

        List<List<String>> rows = clickhouse.queryRows("SELECT id, small, name, score, ratio, active, maybe, tags, attrs,"
                + " address, color, color_text, hex(code), hex(payload), price, big, uid, day, ts_ms, ts_us, local_ts,"
                + " ts_ms_raw, t_ms, either, nested_json, maybe_list FROM " + table + " ORDER BY id");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).containsExactly("1", "-7", "ünï ✓", "2.5", "0.1", "true", "here", "['a','b']",
                "{'x':1,'y':-2}", "('Main St',12345,[1.5,-2.25])", "GREEN", "BLUE", "41420044", "68690078",
                "-12345678.9", "12345678901234567890.123456", "123e4567-e89b-12d3-a456-426614174000", "2024-05-01",
                "2024-05-01 00:00:00.123", "2024-05-01 00:00:00.123456", "2024-05-01 00:00:00.999", "1714521600123",
                "3723004", "42", "{\"street\": \"Main St\", \"zip\": 12345, \"geo\": [1.5, -2.25]}", "[3,4]");
        assertThat(rows.get(1)).containsExactly("2", "-7", "ünï ✓", "2.5", "0.1", "true", null, "[]",
                "{}", "('Main St',12345,[1.5,-2.25])", "GREEN", "BLUE", "41420044", "68690078",
                "-12345678.9", "12345678901234567890.123456", "123e4567-e89b-12d3-a456-426614174000", "2024-05-01",
                "2024-05-01 00:00:00.123", "2024-05-01 00:00:00.123456", "2024-05-01 00:00:00.999", "1714521600123",
                "3723004", "text", "{\"street\": \"Main St\", \"zip\": 12345, \"geo\": [1.5, -2.25]}", "[]");
        assertThat(clickhouse.queryLong("SELECT count() FROM " + table + "_clickpipes_error")).isZero();
    }

    @Test
    void aNewSchemaIdMidStreamIsFetchedAndFieldsMapByName() throws Exception {
        Schema v1 = new Schema.Parser().parse("""
            {"type": "record", "name": "User", "fields": [
              {"name": "id", "type": "long"}, {"name": "name", "type": "string"}, {"name": "old", "type": "int"}]}""");
        Schema v2 = new Schema.Parser().parse("""
            {"type": "record", "name": "User", "fields": [
              {"name": "id", "type": "long"}, {"name": "email", "type": "string", "default": ""},
              {"name": "name", "type": "string"}, {"name": "score", "type": ["null", "double"], "default": null}]}""");
        int id1 = registry.register("users-value", v1);
        int id2 = registry.register("users-value", v2);
        assertThat(id2).isNotEqualTo(id1);
        String table = db.table("users");
        clickhouse.query("CREATE TABLE " + table + " (id Int64, name String, old Int32, email String,"
                + " score Nullable(Float64)) ENGINE = MergeTree ORDER BY id");
        List<byte[]> messages = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            messages.add(ConfluentAvro.encode(id1, v1, new GenericRecordBuilder(v1).set("id", (long) i)
                    .set("name", "u" + i).set("old", i).build()));
        }
        for (int i = 100; i < 200; i++) {
            messages.add(ConfluentAvro.encode(id2, v2, new GenericRecordBuilder(v2).set("id", (long) i)
                    .set("name", "u" + i).set("email", i + "@x").set("score", i % 2 == 0 ? null : i / 2.0).build()));
        }
        SchemaRegistry client = SchemaRegistry.of(registry.url() + "/subjects/users-value");
        run(AvroDecoders.confluent(client), table, messages.toArray(byte[][]::new));

        assertThat(clickhouse.queryLong("SELECT count() FROM " + table)).isEqualTo(200);
        assertThat(clickhouse.queryLong("SELECT sum(id) FROM " + table)).isEqualTo(199L * 200 / 2);
        assertThat(clickhouse.queryRows("SELECT id, name, old, email, score FROM " + table
                + " WHERE id IN (5, 150, 151) ORDER BY id")).containsExactly(
                Arrays.asList("5", "u5", "5", "", null), Arrays.asList("150", "u150", "0", "150@x", null),
                List.of("151", "u151", "0", "151@x", "75.5"));
        assertThat(registry.requests("/schemas/ids/" + id1)).isEqualTo(1);
        assertThat(registry.requests("/schemas/ids/" + id2)).isEqualTo(1);
    }

    @Test
    void unknownIdsAreSchemaErrorsAndBadBytesAreParsingErrors() throws Exception {
        Schema s = new Schema.Parser().parse("""
            {"type": "record", "name": "Ev", "fields": [{"name": "id", "type": "long"}, {"name": "s", "type": "string"}]}""");
        int id = registry.register("ev-value", s);
        String table = db.table("ev");
        clickhouse.query("CREATE TABLE " + table + " (id Int64, s String) ENGINE = MergeTree ORDER BY id");
        byte[] good = ConfluentAvro.encode(id, s, new GenericRecordBuilder(s).set("id", 1L).set("s", "ok").build());
        byte[] unknownId = ConfluentAvro.encode(9999, s, new GenericRecordBuilder(s).set("id", 2L).set("s", "x").build());
        byte[] truncated = Arrays.copyOf(good, good.length - 1);
        byte[] trailing = Arrays.copyOf(good, good.length + 3);
        byte[] noHeader = "{\"id\": 5}".getBytes(StandardCharsets.UTF_8);
        byte[] good2 = ConfluentAvro.encode(id, s, new GenericRecordBuilder(s).set("id", 3L).set("s", "ok").build());

        run(AvroDecoders.confluent(SchemaRegistry.of(registry.url())), table, good, unknownId, truncated, trailing,
                noHeader, good2);

        assertThat(clickhouse.queryRows("SELECT id FROM " + table + " ORDER BY id")).containsExactly(List.of("1"), List.of("3"));
        List<List<String>> errors = clickhouse.queryRows("SELECT position, error_kind, message FROM " + table
                + "_clickpipes_error ORDER BY position");
        assertThat(errors).hasSize(4);
        assertThat(errors.get(0)).contains("memory@1", "SOURCE_SCHEMA_ERROR");
        assertThat(errors.get(0).get(2)).contains("9999", "HTTP 404");
        assertThat(errors.get(1)).contains("memory@2", "DATA_PARSING_ERROR");
        assertThat(errors.get(2)).contains("memory@3", "DATA_PARSING_ERROR");
        assertThat(errors.get(2).get(2)).contains("bytes left");
        assertThat(errors.get(3)).contains("memory@4", "DATA_PARSING_ERROR");
        assertThat(errors.get(3).get(2)).contains("no Confluent header");
    }

    @Test
    void messagesWithoutHeaderUseTheSchemaTheUrlNames() throws Exception {
        Schema s = new Schema.Parser().parse("""
            {"type": "record", "name": "Bare", "fields": [{"name": "id", "type": "long"}, {"name": "s", "type": "string"}]}""");
        int id = registry.register("bare-value", s);
        String table = db.table("bare");
        clickhouse.query("CREATE TABLE " + table + " (id Int64, s String) ENGINE = MergeTree ORDER BY id");
        List<byte[]> messages = new ArrayList<>();
        for (long i = 1; i <= 3; i++) {
            // ids 1..3 encode as zig-zag 2, 4, 6: never the magic byte 0
            messages.add(ConfluentAvro.encodeBare(s, new GenericRecordBuilder(s).set("id", i).set("s", "b" + i).build()));
        }
        messages.add(ConfluentAvro.encode(id, s, new GenericRecordBuilder(s).set("id", 4L).set("s", "framed").build()));
        for (String url : List.of("/schemas/ids/" + id, "/subjects/bare-value/versions/1", "/subjects/bare-value/versions/latest")) {
            clickhouse.query("TRUNCATE TABLE " + table);
            run(AvroDecoders.confluent(SchemaRegistry.of(registry.url() + url)), table, messages.toArray(byte[][]::new));
            assertThat(clickhouse.queryRows("SELECT id, s FROM " + table + " ORDER BY id")).as(url).containsExactly(
                    List.of("1", "b1"), List.of("2", "b2"), List.of("3", "b3"), List.of("4", "framed"));
        }
    }

    @Test
    void aRegistryOutagePausesThePipeInsteadOfFilingGoodRecordsAsErrors() throws Exception {
        String table = db.name() + ".outage";
        clickhouse.query("CREATE TABLE " + table + " (id Int64, s String) ENGINE = MergeTree ORDER BY id");
        Schema s = new Schema.Parser().parse("{\"type\": \"record\", \"name\": \"R\", \"fields\": ["
                + "{\"name\": \"id\", \"type\": \"long\"}, {\"name\": \"s\", \"type\": \"string\"}]}");
        int outagePort = 19083;
        int id;
        try (TestSchemaRegistry first = TestSchemaRegistry.start(outagePort)) {
            id = first.register("outage-value", s);
        } // the registry is now down
        MemorySource source = MemorySource.open();
        for (long i = 0; i < 100; i++) {
            source.offer(ConfluentAvro.encode(id, s, new GenericRecordBuilder(s).set("id", i).set("s", "v" + i).build()));
        }
        source.end();
        Pipe pipe = Pipe.builder().name("avro-outage").source(source)
                .decoder(AvroDecoders.confluent(SchemaRegistry.of("http://127.0.0.1:" + outagePort)))
                .retry(RetryPolicy.of(Duration.ofMillis(50), Duration.ofMillis(300), 0))
                .sink(ClickHouseSink.builder().transport(clickhouse).table(table).build())
                .build();
        ExecutorService thread = Executors.newSingleThreadExecutor();
        thread.execute(pipe);
        Thread.sleep(1500);
        assertThat(pipe.completion()).as("the pipe waits for the registry").isNotDone();
        assertThat(pipe.metrics().errorRows()).isZero();
        try (TestSchemaRegistry back = TestSchemaRegistry.start(outagePort)) {
            assertThat(back.register("outage-value", s)).isEqualTo(id);
            pipe.completion().get(60, TimeUnit.SECONDS);
        }
        thread.shutdown();
        assertThat(clickhouse.queryLong("SELECT count() FROM " + table)).isEqualTo(100);
        assertThat(clickhouse.queryLong("SELECT sum(id) FROM " + table)).isEqualTo(4950);
        assertThat(pipe.metrics().errorRows()).isZero();
    }

    private void run(Decoder decoder, String table, byte[]... messages) {
        MemorySource source = MemorySource.open();
        for (byte[] m : messages) {
            source.offer(m);
        }
        source.end();
        Pipe.builder().name("avro").source(source).decoder(decoder)
                .sink(ClickHouseSink.builder().transport(clickhouse).table(table).build())
                .build().run();
    }
}
