package dev.clickpipes.format.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.DurationProto;
import com.google.protobuf.Int64Value;
import com.google.protobuf.ListValue;
import com.google.protobuf.StringValue;
import com.google.protobuf.Struct;
import com.google.protobuf.StructProto;
import com.google.protobuf.Timestamp;
import com.google.protobuf.TimestampProto;
import com.google.protobuf.Value;
import com.google.protobuf.WrappersProto;
import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.core.spi.Decoder;
import dev.clickpipes.format.avro.TestSchemaRegistry;
import dev.clickpipes.format.registry.SchemaRegistry;
import dev.clickpipes.source.memory.MemorySource;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import dev.clickpipes.testkit.ClickHouseExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * ProtobufConfluent (and bare Protobuf with a descriptor set) into the embedded engine: messages
 * written by protobuf-java from descriptors built in the test, registered (with a reference and
 * well-known imports) in the test registry.
 */
class ProtobufConfluentDecoderTest {

    static final int PORT = 21200;

    static final String COMMON_PROTO = """
        syntax = "proto3";
        package common;
        message Address { string street = 1; int32 zip = 2; }""";
    static final FileDescriptorProto COMMON = ConfluentProtobuf.file("""
        name: "common.proto" package: "common" syntax: "proto3"
        message_type { name: "Address"
          field { name: "street" number: 1 label: LABEL_OPTIONAL type: TYPE_STRING }
          field { name: "zip" number: 2 label: LABEL_OPTIONAL type: TYPE_INT32 } }""");

    /** shop.proto: Order (every kind of field) and Refund; compiled below as protoc would. */
    static final String SHOP_PROTO = """
        syntax = "proto3";
        package shop;
        import "common.proto";
        import "google/protobuf/timestamp.proto";
        import "google/protobuf/wrappers.proto";
        message Order {
          enum Status { UNKNOWN = 0; OPEN = 1; SHIPPED = 2; }
          message Line { string sku = 1; int32 qty = 2; }
          int64 id = 1; int32 i32 = 2; uint32 u32 = 3; uint64 u64 = 4; sint32 s32 = 5; sint64 s64 = 6;
          fixed32 f32 = 7; fixed64 f64 = 8; sfixed32 sf32 = 9; sfixed64 sf64 = 10; float ratio = 11;
          double score = 12; bool active = 13; string name = 14; bytes payload = 15;
          Status status = 16; Status status_name = 17; Status status_code = 18;
          common.Address address = 19; repeated string tags = 20; repeated int64 counts = 21;
          map<string, int64> attrs = 22; oneof contact { string email = 23; int64 phone = 24; }
          google.protobuf.Timestamp created = 25; google.protobuf.Int64Value maybe_count = 26;
          google.protobuf.StringValue maybe_note = 27; repeated common.Address history = 28;
          optional int32 opt = 29; repeated Line lines = 30;
        }
        message Refund { int64 id = 1; double amount = 2; string name = 3; }""";
    static final FileDescriptorProto SHOP = ConfluentProtobuf.file("""
        name: "shop.proto" package: "shop" syntax: "proto3"
        dependency: "common.proto" dependency: "google/protobuf/timestamp.proto" dependency: "google/protobuf/wrappers.proto"
        message_type { name: "Order"
          field { name: "id" number: 1 label: LABEL_OPTIONAL type: TYPE_INT64 }
          field { name: "i32" number: 2 label: LABEL_OPTIONAL type: TYPE_INT32 }
          field { name: "u32" number: 3 label: LABEL_OPTIONAL type: TYPE_UINT32 }
          field { name: "u64" number: 4 label: LABEL_OPTIONAL type: TYPE_UINT64 }
          field { name: "s32" number: 5 label: LABEL_OPTIONAL type: TYPE_SINT32 }
          field { name: "s64" number: 6 label: LABEL_OPTIONAL type: TYPE_SINT64 }
          field { name: "f32" number: 7 label: LABEL_OPTIONAL type: TYPE_FIXED32 }
          field { name: "f64" number: 8 label: LABEL_OPTIONAL type: TYPE_FIXED64 }
          field { name: "sf32" number: 9 label: LABEL_OPTIONAL type: TYPE_SFIXED32 }
          field { name: "sf64" number: 10 label: LABEL_OPTIONAL type: TYPE_SFIXED64 }
          field { name: "ratio" number: 11 label: LABEL_OPTIONAL type: TYPE_FLOAT }
          field { name: "score" number: 12 label: LABEL_OPTIONAL type: TYPE_DOUBLE }
          field { name: "active" number: 13 label: LABEL_OPTIONAL type: TYPE_BOOL }
          field { name: "name" number: 14 label: LABEL_OPTIONAL type: TYPE_STRING }
          field { name: "payload" number: 15 label: LABEL_OPTIONAL type: TYPE_BYTES }
          field { name: "status" number: 16 label: LABEL_OPTIONAL type: TYPE_ENUM type_name: ".shop.Order.Status" }
          field { name: "status_name" number: 17 label: LABEL_OPTIONAL type: TYPE_ENUM type_name: ".shop.Order.Status" }
          field { name: "status_code" number: 18 label: LABEL_OPTIONAL type: TYPE_ENUM type_name: ".shop.Order.Status" }
          field { name: "address" number: 19 label: LABEL_OPTIONAL type: TYPE_MESSAGE type_name: ".common.Address" }
          field { name: "tags" number: 20 label: LABEL_REPEATED type: TYPE_STRING }
          field { name: "counts" number: 21 label: LABEL_REPEATED type: TYPE_INT64 }
          field { name: "attrs" number: 22 label: LABEL_REPEATED type: TYPE_MESSAGE type_name: ".shop.Order.AttrsEntry" }
          field { name: "email" number: 23 label: LABEL_OPTIONAL type: TYPE_STRING oneof_index: 0 }
          field { name: "phone" number: 24 label: LABEL_OPTIONAL type: TYPE_INT64 oneof_index: 0 }
          field { name: "created" number: 25 label: LABEL_OPTIONAL type: TYPE_MESSAGE type_name: ".google.protobuf.Timestamp" }
          field { name: "maybe_count" number: 26 label: LABEL_OPTIONAL type: TYPE_MESSAGE type_name: ".google.protobuf.Int64Value" }
          field { name: "maybe_note" number: 27 label: LABEL_OPTIONAL type: TYPE_MESSAGE type_name: ".google.protobuf.StringValue" }
          field { name: "history" number: 28 label: LABEL_REPEATED type: TYPE_MESSAGE type_name: ".common.Address" }
          field { name: "opt" number: 29 label: LABEL_OPTIONAL type: TYPE_INT32 oneof_index: 1 proto3_optional: true }
          field { name: "lines" number: 30 label: LABEL_REPEATED type: TYPE_MESSAGE type_name: ".shop.Order.Line" }
          nested_type { name: "Line"
            field { name: "sku" number: 1 label: LABEL_OPTIONAL type: TYPE_STRING }
            field { name: "qty" number: 2 label: LABEL_OPTIONAL type: TYPE_INT32 } }
          nested_type { name: "AttrsEntry" options { map_entry: true }
            field { name: "key" number: 1 label: LABEL_OPTIONAL type: TYPE_STRING }
            field { name: "value" number: 2 label: LABEL_OPTIONAL type: TYPE_INT64 } }
          enum_type { name: "Status" value { name: "UNKNOWN" number: 0 } value { name: "OPEN" number: 1 }
            value { name: "SHIPPED" number: 2 } }
          oneof_decl { name: "contact" } oneof_decl { name: "_opt" } }
        message_type { name: "Refund"
          field { name: "id" number: 1 label: LABEL_OPTIONAL type: TYPE_INT64 }
          field { name: "amount" number: 2 label: LABEL_OPTIONAL type: TYPE_DOUBLE }
          field { name: "name" number: 3 label: LABEL_OPTIONAL type: TYPE_STRING } }""");

    private static TestSchemaRegistry registry;
    private static int shopId;
    private static Descriptor order;
    private static Descriptor refund;
    @RegisterExtension
    static final ClickHouseExtension engine = new ClickHouseExtension();
    private final EmbeddedClickHouse clickhouse = engine.engine();

    @BeforeAll
    static void startRegistry() throws Exception {
        registry = TestSchemaRegistry.start(PORT);
        registry.registerProtobuf("common.proto", COMMON_PROTO, ConfluentProtobuf.serialized(COMMON), Map.of());
        shopId = registry.registerProtobuf("shop-value", SHOP_PROTO, ConfluentProtobuf.serialized(SHOP),
                Map.of("common.proto", "common.proto"));
        FileDescriptor common = FileDescriptor.buildFrom(COMMON, new FileDescriptor[0]);
        FileDescriptor shop = FileDescriptor.buildFrom(SHOP, new FileDescriptor[] {common,
                TimestampProto.getDescriptor(), WrappersProto.getDescriptor()});
        order = shop.findMessageTypeByName("Order");
        refund = shop.findMessageTypeByName("Refund");
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    @Test
    void everyKindOfFieldReachesItsColumn() throws Exception {
        String table = engine.database().table("orders");
        clickhouse.query("CREATE TABLE " + table + " (id Int64, i32 Int32, u32 UInt32, u64 UInt64, s32 Int32, s64 Int64,"
                + " f32 UInt32, f64 UInt64, sf32 Int32, sf64 Int64, ratio Float32, score Float64, active Bool,"
                + " name String, payload String, status Enum8('UNKNOWN' = 0, 'OPEN' = 1, 'SHIPPED' = 2),"
                + " status_name LowCardinality(String), status_code Int32, address Tuple(street String, zip Int32),"
                + " tags Array(String), counts Array(Int64), attrs Map(String, Int64), email Nullable(String),"
                + " phone Nullable(Int64), contact Nullable(String), created DateTime64(9, 'UTC'),"
                + " maybe_count Nullable(Int64), maybe_note Nullable(String), history Array(Tuple(street String, zip Int32)),"
                + " opt Nullable(Int32)) ENGINE = MergeTree ORDER BY id");
        DynamicMessage full = fullOrder();
        DynamicMessage sparse = DynamicMessage.newBuilder(order).setField(field("id"), 2L)
                .setField(field("phone"), 5551234L).build();

        run(ProtobufDecoders.confluent(SchemaRegistry.of(registry.url())), table,
                ConfluentProtobuf.encode(shopId, full), ConfluentProtobuf.encode(shopId, sparse));

        List<List<String>> rows = clickhouse.queryRows("SELECT id, i32, u32, u64, s32, s64, f32, f64, sf32, sf64, ratio,"
                + " score, active, name, hex(payload), status, status_name, status_code, address, tags, counts, attrs,"
                + " email, phone, contact, created, maybe_count, maybe_note, history, opt FROM " + table + " ORDER BY id");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).containsExactly("1", "-7", "4294967295", "18446744073709551615", "-123",
                "-1234567890123", "3000000000", "18446744073709551614", "-5", "-6", "0.1", "2.5", "true", "ünï ✓",
                "68690078", "SHIPPED", "OPEN", "2", "('Main St',12345)", "['a','b']", "[1,-2,300]", "{'x':1,'y':-2}",
                "a@b.c", null, "email", "2024-05-01 00:00:00.123456789", "0", "note", "[('s1',1),('s2',2)]", "0");
        assertThat(rows.get(1)).containsExactly("2", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "false", "",
                "", "UNKNOWN", "UNKNOWN", "0", "('',0)", "[]", "[]", "{}", null, "5551234", "phone",
                "1970-01-01 00:00:00.000000000", null, null, "[]", null);
        assertThat(clickhouse.queryLong("SELECT count() FROM " + table + "_clickpipes_error")).isZero();
    }

    @Test
    void messagesRepeatedAndMapFieldsBecomeJsonTextInStringAndJsonColumns() throws Exception {
        String table = engine.database().table("as_json");
        clickhouse.query("CREATE TABLE " + table + " (id Int64, address JSON, history String, attrs String, tags String,"
                + " counts String, created String, payload String) ENGINE = MergeTree ORDER BY id");
        FileDescriptorProto doc = ConfluentProtobuf.file("""
            name: "doc.proto" syntax: "proto3" dependency: "google/protobuf/struct.proto"
            message_type { name: "Doc"
              field { name: "id" number: 1 label: LABEL_OPTIONAL type: TYPE_INT64 }
              field { name: "meta" number: 2 label: LABEL_OPTIONAL type: TYPE_MESSAGE type_name: ".google.protobuf.Struct" } }""");
        int docId = registry.registerProtobuf("doc-value", "syntax = \"proto3\"; import \"google/protobuf/struct.proto\";"
                + " message Doc { int64 id = 1; google.protobuf.Struct meta = 2; }", ConfluentProtobuf.serialized(doc), Map.of());
        Descriptor docType = FileDescriptor.buildFrom(doc, new FileDescriptor[] {StructProto.getDescriptor()})
                .findMessageTypeByName("Doc");
        Struct meta = Struct.newBuilder().putFields("name", Value.newBuilder().setStringValue("x \"q\"").build())
                .putFields("n", Value.newBuilder().setNumberValue(2.5).build())
                .putFields("list", Value.newBuilder().setListValue(ListValue.newBuilder()
                        .addValues(Value.newBuilder().setBoolValue(true)).addValues(Value.newBuilder().setNullValueValue(0))).build())
                .build();
        String docs = engine.database().table("docs");
        clickhouse.query("CREATE TABLE " + docs + " (id Int64, meta String) ENGINE = MergeTree ORDER BY id");

        run(ProtobufDecoders.confluent(SchemaRegistry.of(registry.url())), table, ConfluentProtobuf.encode(shopId, fullOrder()));
        run(ProtobufDecoders.confluent(SchemaRegistry.of(registry.url())), docs, ConfluentProtobuf.encode(docId,
                DynamicMessage.newBuilder(docType).setField(docType.findFieldByName("id"), 1L)
                        .setField(docType.findFieldByName("meta"), meta).build()));

        assertThat(clickhouse.queryRows("SELECT address.street, address.zip, history, attrs, tags, counts, created, payload"
                + " FROM " + table)).containsExactly(List.of("Main St", "12345",
                "[{\"street\":\"s1\",\"zip\":1},{\"street\":\"s2\",\"zip\":2}]", "{\"x\":1,\"y\":-2}",
                "[\"a\",\"b\"]", "[1,-2,300]", "2024-05-01T00:00:00.123456789Z", "hi\0x"));
        assertThat(clickhouse.queryRows("SELECT meta FROM " + docs)).containsExactly(
                List.of("{\"name\":\"x \\\"q\\\"\",\"n\":2.5,\"list\":[true,null]}"));
        assertThat(clickhouse.queryLong("SELECT count() FROM " + table + "_clickpipes_error")
                + clickhouse.queryLong("SELECT count() FROM " + docs + "_clickpipes_error")).isZero();
    }

    @Test
    void aMessageGivenInPartsIsMergedAsProtobufMergesAndUnknownFieldsAreSkipped() throws Exception {
        String table = engine.database().table("merged");
        clickhouse.query("CREATE TABLE " + table + " (id Int64, name String, tags Array(String),"
                + " address Tuple(street String, zip Int32)) ENGINE = MergeTree ORDER BY id");
        Descriptor address = order.findFieldByName("address").getMessageType();
        DynamicMessage first = DynamicMessage.newBuilder(order).setField(field("id"), 7L).setField(field("name"), "first")
                .addRepeatedField(field("tags"), "a")
                .setField(field("address"), DynamicMessage.newBuilder(address)
                        .setField(address.findFieldByName("street"), "Main").build()).build();
        DynamicMessage second = DynamicMessage.newBuilder(order).setField(field("name"), "second")
                .addRepeatedField(field("tags"), "b")
                .setField(field("address"), DynamicMessage.newBuilder(address)
                        .setField(address.findFieldByName("zip"), 5).build()).build();
        byte[] unknownField = {(byte) 0x98, 0x06, 0x01}; // field 99 (a newer schema's), varint 1
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        bytes.writeBytes(ConfluentProtobuf.encode(shopId, first));
        bytes.writeBytes(unknownField);
        bytes.writeBytes(second.toByteArray()); // concatenated messages are one merged message

        run(ProtobufDecoders.confluent(SchemaRegistry.of(registry.url())), table, bytes.toByteArray());

        assertThat(clickhouse.queryRows("SELECT id, name, tags, address FROM " + table))
                .containsExactly(List.of("7", "second", "['a','b']", "('Main',5)"));
        assertThat(clickhouse.queryLong("SELECT count() FROM " + table + "_clickpipes_error")).isZero();
    }

    @Test
    void messageIndexesPickTheMessageAndTheSchemaIsFetchedOnce() throws Exception {
        String table = engine.database().table("mixed");
        clickhouse.query("CREATE TABLE " + table + " (id Int64, amount Float64, name String, sku String, qty Int32)"
                + " ENGINE = MergeTree ORDER BY id");
        Descriptor line = order.findNestedTypeByName("Line");
        List<byte[]> messages = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            messages.add(ConfluentProtobuf.encode(shopId, DynamicMessage.newBuilder(refund)
                    .setField(refund.findFieldByName("id"), (long) i).setField(refund.findFieldByName("amount"), i / 4.0)
                    .setField(refund.findFieldByName("name"), "r" + i).build(), 1));
            messages.add(ConfluentProtobuf.encode(shopId, DynamicMessage.newBuilder(line)
                    .setField(line.findFieldByName("sku"), "sku" + i).setField(line.findFieldByName("qty"), i).build(), 0, 0));
        }
        int before = registry.requests("/schemas/ids/" + shopId);

        run(ProtobufDecoders.confluent(SchemaRegistry.of(registry.url())), table, messages.toArray(byte[][]::new));

        assertThat(clickhouse.queryLong("SELECT count() FROM " + table)).isEqualTo(200);
        assertThat(clickhouse.queryRows("SELECT count(), sum(id), sum(amount) FROM " + table + " WHERE name != ''"))
                .containsExactly(List.of("100", "5050", "1262.5"));
        assertThat(clickhouse.queryRows("SELECT count(), sum(qty), uniqExact(sku) FROM " + table + " WHERE sku != ''"))
                .containsExactly(List.of("100", "5050", "100"));
        assertThat(registry.requests("/schemas/ids/" + shopId) - before).as("one fetch per id").isEqualTo(1);
        assertThat(clickhouse.queryLong("SELECT count() FROM " + table + "_clickpipes_error")).isZero();
    }

    @Test
    void badMessagesGoToTheErrorTableWithTheReason() throws Exception {
        String table = engine.database().table("bad");
        clickhouse.query("CREATE TABLE " + table + " (id Int64, name String) ENGINE = MergeTree ORDER BY id");
        int avroId = registry.register("avro-value", "{\"type\": \"record\", \"name\": \"A\", \"fields\": []}");
        byte[] good = refundMessage(1);
        byte[] truncated = Arrays.copyOf(good, good.length - 1);
        byte[] unknownId = ConfluentProtobuf.encode(9999, refundOf(2), 1);
        byte[] noSuchMessage = ConfluentProtobuf.encode(shopId, refundOf(3), 7);
        byte[] avro = ConfluentProtobuf.encode(avroId, refundOf(4), 1);
        byte[] wrongWireType = Arrays.copyOf(good, 9); // header, [1] as 2 bytes, then field 1 as LEN
        wrongWireType[7] = 0x0a;
        wrongWireType[8] = 0;
        byte[] noHeader = {0x08, 0x05};
        int textOnlyId = registry.registerProtobuf("text-only-value", "syntax = \"proto3\"; message T { int64 id = 1; }",
                null, Map.of());
        byte[] textOnly = ConfluentProtobuf.encode(textOnlyId, refundOf(6));

        run(ProtobufDecoders.confluent(SchemaRegistry.of(registry.url())), table, good, truncated, unknownId,
                noSuchMessage, avro, wrongWireType, noHeader, textOnly, refundMessage(5));

        assertThat(clickhouse.queryRows("SELECT id, name FROM " + table + " ORDER BY id"))
                .containsExactly(List.of("1", "r1"), List.of("5", "r5"));
        List<List<String>> errors = clickhouse.queryRows("SELECT position, error_kind, message FROM " + table
                + "_clickpipes_error ORDER BY position");
        assertThat(errors).hasSize(7);
        assertThat(errors.get(0)).contains("memory@1", "DATA_PARSING_ERROR");
        assertThat(errors.get(0).get(2)).contains("shop.Refund", "past the end");
        assertThat(errors.get(1)).contains("memory@2", "SOURCE_SCHEMA_ERROR");
        assertThat(errors.get(1).get(2)).contains("9999", "HTTP 404");
        assertThat(errors.get(2)).contains("memory@3", "SOURCE_SCHEMA_ERROR");
        assertThat(errors.get(2).get(2)).contains("no message at index path [7]");
        assertThat(errors.get(3)).contains("memory@4", "SOURCE_SCHEMA_ERROR");
        assertThat(errors.get(3).get(2)).contains("AVRO schema");
        assertThat(errors.get(4)).contains("memory@5", "DATA_PARSING_ERROR");
        assertThat(errors.get(4).get(2)).contains("field `id`", "wire type 2");
        assertThat(errors.get(5)).contains("memory@6", "DATA_PARSING_ERROR");
        assertThat(errors.get(5).get(2)).contains("no Confluent header");
        assertThat(errors.get(6)).contains("memory@7", "SOURCE_SCHEMA_ERROR");
        assertThat(errors.get(6).get(2)).contains("not base64", "gives no compiled descriptors");
    }

    @Test
    void mangledMessagesEitherLandOrGoToTheErrorTableAndThePipeGoesOn() throws Exception {
        String table = engine.database().table("mangled");
        clickhouse.query("CREATE TABLE " + table + " (id Int64, u64 UInt64, name String, status Enum8('UNKNOWN' = 0,"
                + " 'OPEN' = 1, 'SHIPPED' = 2), address Tuple(street String, zip Int32), tags Array(String),"
                + " counts Array(Int64), attrs Map(String, Int64), created DateTime64(9, 'UTC'),"
                + " maybe_count Nullable(Int64), history Array(Tuple(street String, zip Int32)))"
                + " ENGINE = MergeTree ORDER BY id");
        byte[] valid = ConfluentProtobuf.encode(shopId, fullOrder());
        java.util.Random random = new java.util.Random(14);
        int n = 2000;
        List<byte[]> messages = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] m = valid.clone();
            switch (i % 3) {
                case 0 -> m[6 + random.nextInt(m.length - 6)] = (byte) random.nextInt(256); // one byte of the message
                case 1 -> m = Arrays.copyOf(m, 6 + random.nextInt(m.length - 6)); // cut short
                default -> { // a run of random bytes in the middle
                    int at = 6 + random.nextInt(m.length - 6);
                    for (int k = at; k < Math.min(m.length, at + 1 + random.nextInt(8)); k++) {
                        m[k] = (byte) random.nextInt(256);
                    }
                }
            }
            messages.add(m);
        }

        run(ProtobufDecoders.confluent(SchemaRegistry.of(registry.url())), table, messages.toArray(byte[][]::new));

        long landed = clickhouse.queryLong("SELECT count() FROM " + table);
        long failed = clickhouse.queryLong("SELECT count() FROM " + table + "_clickpipes_error");
        assertThat(landed + failed).isEqualTo(n);
        assertThat(landed).as("many mutations still parse").isPositive();
        assertThat(failed).as("many do not").isPositive();
        assertThat(clickhouse.queryLong("SELECT countIf(error_kind NOT IN ('DATA_PARSING_ERROR', 'TYPE_CONVERSION_ERROR'))"
                + " FROM " + table + "_clickpipes_error")).isZero();
    }

    @Test
    void aDurationGoesToIntervalDecimalFloatStringAndTupleColumnsExactlyOrToTheErrorTable() throws Exception {
        String table = engine.database().table("durations");
        clickhouse.query("CREATE TABLE " + table + " (id Int64, ms IntervalMillisecond, secs Decimal(18, 9), f Float64,"
                + " s String, t Tuple(seconds Int64, nanos Int32), n Nullable(IntervalSecond)) ENGINE = MergeTree ORDER BY id");
        StringBuilder fields = new StringBuilder("field { name: \"id\" number: 1 label: LABEL_OPTIONAL type: TYPE_INT64 }");
        List<String> names = List.of("ms", "secs", "f", "s", "t", "n");
        for (int i = 0; i < names.size(); i++) {
            fields.append(" field { name: \"").append(names.get(i)).append("\" number: ").append(i + 2)
                    .append(" label: LABEL_OPTIONAL type: TYPE_MESSAGE type_name: \".google.protobuf.Duration\" }");
        }
        FileDescriptorProto proto = ConfluentProtobuf.file("name: \"d.proto\" syntax: \"proto3\" dependency:"
                + " \"google/protobuf/duration.proto\" message_type { name: \"D\" " + fields + " }");
        Descriptor d = FileDescriptor.buildFrom(proto, new FileDescriptor[] {DurationProto.getDescriptor()})
                .findMessageTypeByName("D");
        // id, then the duration of ms, secs, f, s, t as seconds and nanos, and n's (null: unset)
        long[][] values = {{1, 1, 500_000_000, 2, 0}, {2, -2, -250_000_000, -3, 0}, {3, 3600, 0, 3600, 0},
                {5, 1, 500_000, 1, 0}};
        List<byte[]> messages = new ArrayList<>();
        for (long[] v : values) {
            DynamicMessage.Builder m = DynamicMessage.newBuilder(d).setField(d.findFieldByName("id"), v[0]);
            for (String n : names.subList(0, 5)) {
                m.setField(d.findFieldByName(n), com.google.protobuf.Duration.newBuilder().setSeconds(v[1]).setNanos((int) v[2]).build());
            }
            m.setField(d.findFieldByName("n"), com.google.protobuf.Duration.newBuilder().setSeconds(v[3]).build());
            messages.add(m.build().toByteArray());
        }
        messages.add(DynamicMessage.newBuilder(d).setField(d.findFieldByName("id"), 4L).build().toByteArray());

        run(ProtobufDecoders.messages(FileDescriptorSet.newBuilder().addFile(proto).build(), "D"), table,
                messages.toArray(byte[][]::new));

        assertThat(clickhouse.queryRows("SELECT id, toInt64(ms), secs, f, s, t, toInt64(n) FROM " + table + " ORDER BY id"))
                .containsExactly(List.of("1", "1500", "1.5", "1.5", "1.500s", "(1,500000000)", "2"),
                        List.of("2", "-2250", "-2.25", "-2.25", "-2.250s", "(-2,-250000000)", "-3"),
                        List.of("3", "3600000", "3600", "3600", "3600s", "(3600,0)", "3600"),
                        Arrays.asList("4", "0", "0", "0", "", "(0,0)", null));
        // 1.0005 s is no whole number of milliseconds: that message alone goes to the error table
        assertThat(clickhouse.queryRows("SELECT error_kind, message FROM " + table + "_clickpipes_error")).singleElement()
                .satisfies(row -> assertThat(row.get(0) + ": " + row.get(1)).startsWith("TYPE_CONVERSION_ERROR").contains(
                        "the duration 1.000500s is no whole number that column `ms` of type IntervalMillisecond holds"));
    }

    @Test
    void bareMessagesDecodeWithADescriptorSetFile(@TempDir Path dir) throws Exception {
        String table = engine.database().table("bare_set");
        clickhouse.query("CREATE TABLE " + table + " (id Int64, name String, address Tuple(street String, zip Int32),"
                + " created DateTime64(9, 'UTC')) ENGINE = MergeTree ORDER BY id");
        // As protoc --include_imports writes it, less the well-known files (protobuf-java has them).
        FileDescriptorSet set = FileDescriptorSet.newBuilder().addFile(SHOP).addFile(COMMON).build();
        Path file = dir.resolve("shop.desc");
        Files.write(file, set.toByteArray());
        byte[] lengthPastTheEnd = {0x72, 0x7f, 'x'}; // name (field 14), 127 bytes long, 1 there

        run(ProtobufDecoders.messages(file, "shop.Order"), table, fullOrder().toByteArray(), lengthPastTheEnd,
                DynamicMessage.newBuilder(order).setField(field("id"), 3L).build().toByteArray());

        assertThat(clickhouse.queryRows("SELECT id, name, address, created FROM " + table + " ORDER BY id")).containsExactly(
                List.of("1", "ünï ✓", "('Main St',12345)", "2024-05-01 00:00:00.123456789"),
                List.of("3", "", "('',0)", "1970-01-01 00:00:00.000000000"));
        assertThat(clickhouse.queryRows("SELECT error_kind, message FROM " + table + "_clickpipes_error"))
                .singleElement().satisfies(e -> assertThat(e).contains("DATA_PARSING_ERROR")
                        .anySatisfy(m -> assertThat(m).contains("shop.Order", "past the end")));
        assertThat(ProtobufDecoders.messages(set, "shop.Order.Line").toString()).isEqualTo("Protobuf[shop.Order.Line]");
        assertThatThrownBy(() -> ProtobufDecoders.messages(set, "Order")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no message type 'Order'").hasMessageContaining("[common.Address, shop.Order, shop.Refund]");
        assertThatThrownBy(() -> ProtobufDecoders.messages(FileDescriptorSet.newBuilder().addFile(SHOP).build(), "shop.Order"))
                .hasMessageContaining("imports \"common.proto\", which the descriptor set lacks");
    }

    @Test
    void messagesWithoutHeaderAreTheFirstMessageOfTheSchemaTheUrlNames() throws Exception {
        String table = engine.database().table("bare");
        clickhouse.query("CREATE TABLE " + table + " (id Int64, name String) ENGINE = MergeTree ORDER BY id");
        List<byte[]> messages = new ArrayList<>();
        for (long i = 1; i <= 3; i++) {
            messages.add(DynamicMessage.newBuilder(order).setField(field("id"), i).setField(field("name"), "b" + i)
                    .build().toByteArray());
        }
        messages.add(ConfluentProtobuf.encode(shopId, refundOf(4), 1));

        run(ProtobufDecoders.confluent(SchemaRegistry.of(registry.url() + "/subjects/shop-value")), table,
                messages.toArray(byte[][]::new));

        assertThat(clickhouse.queryRows("SELECT id, name FROM " + table + " ORDER BY id")).containsExactly(
                List.of("1", "b1"), List.of("2", "b2"), List.of("3", "b3"), List.of("4", "r4"));
    }

    /** An Order with every field set. */
    private static DynamicMessage fullOrder() {
        Descriptor address = order.findFieldByName("address").getMessageType();
        Descriptor entry = order.findFieldByName("attrs").getMessageType();
        Descriptor line = order.findFieldByName("lines").getMessageType();
        var status = order.findEnumTypeByName("Status");
        return DynamicMessage.newBuilder(order)
                .setField(field("id"), 1L).setField(field("i32"), -7).setField(field("u32"), -1)
                .setField(field("u64"), -1L).setField(field("s32"), -123).setField(field("s64"), -1234567890123L)
                .setField(field("f32"), (int) 3_000_000_000L).setField(field("f64"), -2L).setField(field("sf32"), -5)
                .setField(field("sf64"), -6L).setField(field("ratio"), 0.1f).setField(field("score"), 2.5)
                .setField(field("active"), true).setField(field("name"), "ünï ✓")
                .setField(field("payload"), ByteString.copyFrom(new byte[] {'h', 'i', 0, 'x'}))
                .setField(field("status"), status.findValueByName("SHIPPED"))
                .setField(field("status_name"), status.findValueByName("OPEN"))
                .setField(field("status_code"), status.findValueByName("SHIPPED"))
                .setField(field("address"), address(address, "Main St", 12345))
                .addRepeatedField(field("tags"), "a").addRepeatedField(field("tags"), "b")
                .addRepeatedField(field("counts"), 1L).addRepeatedField(field("counts"), -2L)
                .addRepeatedField(field("counts"), 300L)
                .addRepeatedField(field("attrs"), DynamicMessage.newBuilder(entry)
                        .setField(entry.findFieldByName("key"), "x").setField(entry.findFieldByName("value"), 1L).build())
                .addRepeatedField(field("attrs"), DynamicMessage.newBuilder(entry)
                        .setField(entry.findFieldByName("key"), "y").setField(entry.findFieldByName("value"), -2L).build())
                .setField(field("email"), "a@b.c")
                .setField(field("created"), Timestamp.newBuilder().setSeconds(1714521600).setNanos(123456789).build())
                .setField(field("maybe_count"), Int64Value.of(0)) // present, 0: not NULL
                .setField(field("maybe_note"), StringValue.of("note"))
                .addRepeatedField(field("history"), address(address, "s1", 1))
                .addRepeatedField(field("history"), address(address, "s2", 2))
                .setField(field("opt"), 0)
                .addRepeatedField(field("lines"), DynamicMessage.newBuilder(line)
                        .setField(line.findFieldByName("sku"), "no column").build())
                .build();
    }

    private static com.google.protobuf.Descriptors.FieldDescriptor field(String name) {
        return order.findFieldByName(name);
    }

    private static DynamicMessage address(Descriptor type, String street, int zip) {
        return DynamicMessage.newBuilder(type).setField(type.findFieldByName("street"), street)
                .setField(type.findFieldByName("zip"), zip).build();
    }

    private static DynamicMessage refundOf(long id) {
        return DynamicMessage.newBuilder(refund).setField(refund.findFieldByName("id"), id)
                .setField(refund.findFieldByName("name"), "r" + id).build();
    }

    private static byte[] refundMessage(long id) {
        return ConfluentProtobuf.encode(shopId, refundOf(id), 1);
    }

    private void run(Decoder decoder, String table, byte[]... messages) {
        MemorySource source = MemorySource.open();
        for (byte[] m : messages) {
            source.offer(m);
        }
        source.end();
        Pipe.builder().name("protobuf").source(source).decoder(decoder)
                .sink(ClickHouseSink.builder().transport(clickhouse).table(table).build())
                .build().run();
    }
}
