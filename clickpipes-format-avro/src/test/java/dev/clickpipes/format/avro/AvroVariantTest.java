package dev.clickpipes.format.avro;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clickpipes.clickhouse.ClickHouseException;
import dev.clickpipes.clickhouse.TabSeparated;
import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.source.memory.MemorySource;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Avro unions of several types into Variant columns, with the engine as the oracle: the same records go
 * (a) as AvroConfluent messages through our pipe and (b) as an Avro file through the engine's own
 * {@code INSERT ... FORMAT Avro}; each value must read back with the same variant, or be refused by both.
 */
class AvroVariantTest {

    /** In this class's own range (h14v: 21300-21399). */
    static final int PORT = 21310;

    @RegisterExtension
    static final RegistryAndDatabase FIXTURE = new RegistryAndDatabase(PORT);
    private static int tableNumber;
    private final EmbeddedClickHouse clickhouse = EmbeddedClickHouse.shared();


    static Stream<Arguments> unions() {
        return Stream.of(
                Arguments.of("[\"int\", \"string\"]", "Variant(Int32, String)", List.of(5, "7", -1)),
                Arguments.of("[\"long\", \"double\"]", "Variant(Int64, Float64)", List.of(2L, 1.5, -0.0)),
                Arguments.of("[\"null\", \"long\", \"string\"]", "Variant(Int64, String)", Arrays.asList(null, 3L, "x")),
                Arguments.of("[\"boolean\", \"string\"]", "Variant(Bool, String)", List.of(true, "s")),
                Arguments.of("[\"float\", \"string\"]", "Variant(Float32, String)", List.of(1.5f, "f")),
                Arguments.of("[{\"type\": \"int\", \"logicalType\": \"date\"}, \"string\"]", "Variant(Date32, String)",
                        List.of(19000, "d")),
                // Unions with a branch the Variant lacks: the engine refuses them whole, so do we.
                Arguments.of("[\"int\", \"string\"]", "Variant(Int64, String)", List.of(5, "7")),
                Arguments.of("[\"long\", \"double\"]", "Variant(String, Float64)", List.of(2L, 1.5)),
                Arguments.of("[\"float\", \"string\"]", "Variant(Float64, String)", List.of(1.5f)),
                Arguments.of("[\"boolean\", \"string\", \"bytes\"]", "Variant(Bool, String)", List.of(true, "s")));
    }

    @ParameterizedTest(name = "{0} into {1}")
    @MethodSource("unions")
    void unionBranchesLandInTheVariantsTheEngineChooses(String union, String type, List<Object> values) throws Exception {
        Schema schema = new Schema.Parser().parse("{\"type\": \"record\", \"name\": \"R\", \"fields\": ["
                + "{\"name\": \"id\", \"type\": \"int\"}, {\"name\": \"v\", \"type\": " + union + "}]}");
        int id = FIXTURE.registry().register("variant-" + (++tableNumber), schema);
        String ours = FIXTURE.database() + ".ours_" + tableNumber;
        String theirs = FIXTURE.database() + ".theirs_" + tableNumber;
        for (String t : List.of(ours, theirs)) {
            clickhouse.query("CREATE TABLE " + t + " (id Int32, v " + type + ") ENGINE = MergeTree ORDER BY id");
        }
        MemorySource source = MemorySource.open();
        List<String> refusedByEngine = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            GenericRecord r = new GenericData.Record(schema);
            r.put("id", i);
            r.put("v", values.get(i));
            source.offer(ConfluentAvro.encode(id, schema, r));
            byte[] file = avroFile(schema, r);
            try {
                clickhouse.insert("INSERT INTO " + theirs + " FORMAT Avro", file, file.length);
            } catch (ClickHouseException e) {
                refusedByEngine.add(i + " " + values.get(i));
            }
        }
        source.end();
        Pipe.builder().name("avro-variant").source(source).decoder(AvroDecoders.confluent(FIXTURE.registry().url()))
                .sink(ClickHouseSink.builder().transport(clickhouse).table(ours).build()).build().run();

        assertThat(rows(ours)).isEqualTo(rows(theirs));
        List<List<String>> errors = TabSeparated.rows(clickhouse.query("SELECT position FROM " + ours + "_clickpipes_error"));
        assertThat(errors).hasSize(refusedByEngine.size());
    }

    private List<List<String>> rows(String table) throws Exception {
        return TabSeparated.rows(clickhouse.query("SELECT id, v, variantType(v) FROM " + table + " ORDER BY id"));
    }

    private static byte[] avroFile(Schema schema, GenericRecord r) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DataFileWriter<GenericRecord> w = new DataFileWriter<>(new GenericDatumWriter<>(schema))) {
            w.create(schema, out);
            w.append(r);
        }
        return out.toByteArray();
    }
}
