package dev.clickpipes.format.protobuf;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.format.avro.RegistryAndDatabase;
import dev.clickpipes.format.registry.SchemaRegistry;
import dev.clickpipes.source.memory.MemorySource;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * ProtobufConfluent messages into a table whose every column is Dynamic, against the engine's own read of the same
 * messages as a Protobuf file with the schema's own types ({@code INSERT ... SELECT * FROM file(..., Protobuf)}):
 * each value keeps the type the engine infers for its field, which {@link ProtobufInferredType} must name as
 * {@code DESCRIBE} does.
 */
class ProtobufDynamicTest {

    /** Beside ProtobufConfluentDecoderTest's 21200, in this module's range. */
    static final int PORT = 21271;
    static final int ROWS = 6;
    static final String PROTO = """
        syntax = "proto3";
        package dyn;
        message M {
          enum Color { RED = 0; GREEN = 1; BLUE = 7; }
          message P { int32 x = 1; string y = 2; }
          int32 id = 1; int32 a = 2; uint32 b = 3; sint64 c = 4; fixed64 d = 5; float e = 6; double g = 7; bool f = 8;
          string s = 9; bytes h = 10; Color col = 11; P p = 12; repeated int32 r = 13; map<string, int64> m = 14;
          optional int32 o = 15; repeated P ps = 16; string datelike = 17;
        }""";
    static final FileDescriptorProto FILE = ConfluentProtobuf.file("""
        name: "dyn.proto" package: "dyn" syntax: "proto3"
        message_type { name: "M"
          field { name: "id" number: 1 label: LABEL_OPTIONAL type: TYPE_INT32 }
          field { name: "a" number: 2 label: LABEL_OPTIONAL type: TYPE_INT32 }
          field { name: "b" number: 3 label: LABEL_OPTIONAL type: TYPE_UINT32 }
          field { name: "c" number: 4 label: LABEL_OPTIONAL type: TYPE_SINT64 }
          field { name: "d" number: 5 label: LABEL_OPTIONAL type: TYPE_FIXED64 }
          field { name: "e" number: 6 label: LABEL_OPTIONAL type: TYPE_FLOAT }
          field { name: "g" number: 7 label: LABEL_OPTIONAL type: TYPE_DOUBLE }
          field { name: "f" number: 8 label: LABEL_OPTIONAL type: TYPE_BOOL }
          field { name: "s" number: 9 label: LABEL_OPTIONAL type: TYPE_STRING }
          field { name: "h" number: 10 label: LABEL_OPTIONAL type: TYPE_BYTES }
          field { name: "col" number: 11 label: LABEL_OPTIONAL type: TYPE_ENUM type_name: ".dyn.M.Color" }
          field { name: "p" number: 12 label: LABEL_OPTIONAL type: TYPE_MESSAGE type_name: ".dyn.M.P" }
          field { name: "r" number: 13 label: LABEL_REPEATED type: TYPE_INT32 }
          field { name: "m" number: 14 label: LABEL_REPEATED type: TYPE_MESSAGE type_name: ".dyn.M.MEntry" }
          field { name: "o" number: 15 label: LABEL_OPTIONAL type: TYPE_INT32 oneof_index: 0 proto3_optional: true }
          field { name: "ps" number: 16 label: LABEL_REPEATED type: TYPE_MESSAGE type_name: ".dyn.M.P" }
          field { name: "datelike" number: 17 label: LABEL_OPTIONAL type: TYPE_STRING }
          nested_type { name: "P"
            field { name: "x" number: 1 label: LABEL_OPTIONAL type: TYPE_INT32 }
            field { name: "y" number: 2 label: LABEL_OPTIONAL type: TYPE_STRING } }
          nested_type { name: "MEntry" options { map_entry: true }
            field { name: "key" number: 1 label: LABEL_OPTIONAL type: TYPE_STRING }
            field { name: "value" number: 2 label: LABEL_OPTIONAL type: TYPE_INT64 } }
          enum_type { name: "Color" value { name: "RED" number: 0 } value { name: "GREEN" number: 1 }
            value { name: "BLUE" number: 7 } }
          oneof_decl { name: "_o" } }""");

    @RegisterExtension
    static final RegistryAndDatabase FIXTURE = new RegistryAndDatabase(PORT);
    private final EmbeddedClickHouse clickhouse = EmbeddedClickHouse.shared();


    @Test
    void everyValueKeepsTheTypeTheEngineGivesItsField(@TempDir Path dir) throws Exception {
        Descriptor type = type();
        List<String> ours = new ArrayList<>();
        for (FieldDescriptor f : type.getFields()) {
            ours.add(ProtobufInferredType.of(f));
        }
        assertThat(ours).isEqualTo(clickhouse.queryRows("DESCRIBE " + engineRead(dir, type) + ", print_pretty_type_names = 0")
                .stream().map(c -> c.get(1)).toList());

        StringBuilder columns = new StringBuilder("id Int32");
        type.getFields().stream().skip(1).forEach(f -> columns.append(", ").append(f.getName()).append(" Dynamic"));
        List<String> names = type.getFields().subList(1, type.getFields().size()).stream().map(FieldDescriptor::getName).toList();
        assertSameAsTheEngine(dir, type, "dyn-value", columns.toString(), "*", names);
    }

    /** A repeated field into Array(Dynamic): each element keeps the field's element type (Int32, a Tuple), as the engine's. */
    @Test
    void repeatedFieldsIntoArraysOfDynamicKeepTheirElementsTypes(@TempDir Path dir) throws Exception {
        assertSameAsTheEngine(dir, type(), "dyn-repeated", "id Int32, r Array(Dynamic), ps Array(Dynamic)", "id, r, ps",
                List.of("r", "ps"));
    }

    private static Descriptor type() throws Exception {
        return FileDescriptor.buildFrom(FILE, new FileDescriptor[0]).findMessageTypeByName("M");
    }

    /** The messages as a delimited Protobuf file, and the engine's {@code file(...)} read of it with the schema's types. */
    private static String engineRead(Path dir, Descriptor type) throws Exception {
        Path proto = dir.resolve("dyn.proto");
        Files.writeString(proto, PROTO);
        Path file = dir.resolve("messages.bin");
        ByteArrayOutputStream delimited = new ByteArrayOutputStream();
        for (DynamicMessage m : messages(type)) {
            m.writeDelimitedTo(delimited);
        }
        Files.write(file, delimited.toByteArray());
        return "file('" + file + "', Protobuf) SETTINGS format_schema = '" + proto + ":M'";
    }

    /**
     * Loads the messages into two tables of {@code columns}: ours through a ProtobufConfluent pipe, theirs by the
     * engine's own read ({@code SELECT selection}); then each of {@code compared} must read back alike, value and
     * {@code dynamicType()} (of each element, for an array).
     */
    private void assertSameAsTheEngine(Path dir, Descriptor type, String subject, String columns, String selection,
                                       List<String> compared) throws Exception {
        int id = FIXTURE.registry().registerProtobuf(subject, PROTO, ConfluentProtobuf.serialized(FILE), Map.of());
        String table = FIXTURE.database() + "." + subject.replace('-', '_') + "_ours";
        String theirs = FIXTURE.database() + "." + subject.replace('-', '_') + "_theirs";
        for (String t : List.of(table, theirs)) {
            clickhouse.query("CREATE TABLE " + t + " (" + columns + ") ENGINE = MergeTree ORDER BY id");
        }
        clickhouse.query("INSERT INTO " + theirs + " SELECT " + selection + " FROM " + engineRead(dir, type)
                + ", use_structure_from_insertion_table_in_table_functions = 0");
        MemorySource source = MemorySource.open();
        for (DynamicMessage m : messages(type)) {
            source.offer(ConfluentProtobuf.encode(id, m));
        }
        source.end();
        Pipe.builder().name("protobuf-dynamic").source(source)
                .decoder(ProtobufDecoders.confluent(SchemaRegistry.of(FIXTURE.registry().url())))
                .sink(ClickHouseSink.builder().transport(clickhouse).table(table).build()).build().run();

        assertThat(clickhouse.query("SELECT message FROM " + table + "_clickpipes_error")).isEmpty();
        assertThat(clickhouse.queryLong("SELECT count() FROM " + table)).isEqualTo(ROWS);
        for (String name : compared) {
            String typeOf = columns.contains(name + " Array(") ? "arrayMap(x -> dynamicType(x), " + name + ")"
                    : "dynamicType(" + name + ")";
            String q = "SELECT id, toString(" + name + "), " + typeOf + " FROM %s ORDER BY id";
            assertThat(clickhouse.query(String.format(q, table))).as(name).isEqualTo(clickhouse.query(String.format(q, theirs)));
        }
    }

    private static List<DynamicMessage> messages(Descriptor type) {
        Descriptor p = type.findNestedTypeByName("P");
        Descriptor entry = type.findNestedTypeByName("MEntry");
        List<DynamicMessage> out = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            DynamicMessage.Builder m = DynamicMessage.newBuilder(type)
                    .setField(type.findFieldByName("id"), i)
                    .setField(type.findFieldByName("a"), -i)
                    .setField(type.findFieldByName("b"), i * 1_000_000_000)
                    .setField(type.findFieldByName("c"), -5_000_000_000L * i)
                    .setField(type.findFieldByName("d"), -1L - i)
                    .setField(type.findFieldByName("e"), i / 3f)
                    .setField(type.findFieldByName("g"), i / 7.0)
                    .setField(type.findFieldByName("f"), i % 2 == 0)
                    .setField(type.findFieldByName("s"), "s" + i)
                    .setField(type.findFieldByName("h"), ByteString.copyFrom(new byte[]{65, (byte) (66 + i)}))
                    .setField(type.findFieldByName("col"), type.findEnumTypeByName("Color").getValues().get(i % 3))
                    .setField(type.findFieldByName("datelike"), "2024-01-0" + (i + 1));
            if (i % 3 != 2) { // else left out: the defaults
                m.setField(type.findFieldByName("p"), DynamicMessage.newBuilder(p).setField(p.findFieldByName("x"), i)
                        .setField(p.findFieldByName("y"), "y" + i).build());
                m.setField(type.findFieldByName("o"), 100 + i);
            }
            for (int k = 0; k < i % 3; k++) {
                m.addRepeatedField(type.findFieldByName("r"), k * i);
                m.addRepeatedField(type.findFieldByName("m"), DynamicMessage.newBuilder(entry)
                        .setField(entry.findFieldByName("key"), "k" + k).setField(entry.findFieldByName("value"), (long) i).build());
                m.addRepeatedField(type.findFieldByName("ps"), DynamicMessage.newBuilder(p)
                        .setField(p.findFieldByName("x"), k).build());
            }
            out.add(m.build());
        }
        return out;
    }
}
