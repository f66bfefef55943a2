package dev.clickpipes.format.avro;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.source.memory.MemorySource;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * AvroConfluent messages into a table whose every column is Dynamic, against the engine's own read of the same
 * records as an Avro file with the file's own types ({@code INSERT ... SELECT * FROM file(..., Avro)}; the engine's
 * {@code FORMAT Avro} refuses a Dynamic column outright): each value keeps the type the engine infers for its
 * schema, which {@link AvroInferredType} must name as {@code DESCRIBE} does.
 */
class AvroDynamicTest {

    /** In the h14v range of this module's tests (21300-21399). */
    static final int PORT = 21371;
    static final int ROWS = 6;
    static final String SCHEMA = "{\"type\": \"record\", \"name\": \"R\", \"fields\": ["
            + "{\"name\": \"id\", \"type\": \"int\"}, {\"name\": \"i\", \"type\": \"int\"}, {\"name\": \"l\", \"type\": \"long\"},"
            + "{\"name\": \"f\", \"type\": \"float\"}, {\"name\": \"d\", \"type\": \"double\"}, {\"name\": \"b\", \"type\": \"boolean\"},"
            + "{\"name\": \"s\", \"type\": \"string\"}, {\"name\": \"datelike\", \"type\": \"string\"}, {\"name\": \"by\", \"type\": \"bytes\"},"
            + "{\"name\": \"day\", \"type\": {\"type\": \"int\", \"logicalType\": \"date\"}},"
            + "{\"name\": \"tms\", \"type\": {\"type\": \"int\", \"logicalType\": \"time-millis\"}},"
            + "{\"name\": \"tus\", \"type\": {\"type\": \"long\", \"logicalType\": \"time-micros\"}},"
            + "{\"name\": \"tsm\", \"type\": {\"type\": \"long\", \"logicalType\": \"timestamp-millis\"}},"
            + "{\"name\": \"tsu\", \"type\": {\"type\": \"long\", \"logicalType\": \"timestamp-micros\"}},"
            + "{\"name\": \"ltsm\", \"type\": {\"type\": \"long\", \"logicalType\": \"local-timestamp-millis\"}},"
            + "{\"name\": \"dec\", \"type\": {\"type\": \"bytes\", \"logicalType\": \"decimal\", \"precision\": 9, \"scale\": 2}},"
            + "{\"name\": \"fdec\", \"type\": {\"type\": \"fixed\", \"name\": \"FD\", \"size\": 9, \"logicalType\": \"decimal\", \"precision\": 20, \"scale\": 4}},"
            + "{\"name\": \"uuid\", \"type\": {\"type\": \"string\", \"logicalType\": \"uuid\"}},"
            + "{\"name\": \"color\", \"type\": {\"type\": \"enum\", \"name\": \"C\", \"symbols\": [\"RED\", \"GREEN\"]}},"
            + "{\"name\": \"fx\", \"type\": {\"type\": \"fixed\", \"name\": \"F\", \"size\": 3}},"
            + "{\"name\": \"ints\", \"type\": {\"type\": \"array\", \"items\": \"int\"}},"
            + "{\"name\": \"maybes\", \"type\": {\"type\": \"array\", \"items\": [\"null\", {\"type\": \"int\", \"logicalType\": \"date\"}]}},"
            + "{\"name\": \"m\", \"type\": {\"type\": \"map\", \"values\": \"long\"}},"
            + "{\"name\": \"rec\", \"type\": {\"type\": \"record\", \"name\": \"P\", \"fields\": [{\"name\": \"x\", \"type\": \"int\"},"
            + " {\"name\": \"y\", \"type\": [\"null\", \"string\"]}]}},"
            + "{\"name\": \"maybe\", \"type\": [\"null\", \"int\"]}, {\"name\": \"either\", \"type\": [\"int\", \"string\"]}]}";

    @RegisterExtension
    static final RegistryAndDatabase FIXTURE = new RegistryAndDatabase(PORT);
    private final EmbeddedClickHouse clickhouse = EmbeddedClickHouse.shared();


    @Test
    void everyValueKeepsTheTypeTheEngineGivesItsSchema() throws Exception {
        Schema schema = new Schema.Parser().parse(SCHEMA);
        int id = FIXTURE.registry().register("dynamic", schema);
        List<GenericRecord> records = records(schema);
        Path file = Files.createTempFile("avro-dynamic", ".avro");
        try {
            Files.write(file, avroFile(schema, records));
            List<List<String>> described = clickhouse.queryRows("DESCRIBE file('" + file + "', Avro) SETTINGS print_pretty_type_names = 0");
            List<String> fields = schema.getFields().stream().map(Schema.Field::name).toList();
            List<String> types = new ArrayList<>();
            for (Schema.Field f : schema.getFields()) {
                types.add(AvroInferredType.member(f.schema()));
            }
            assertThat(types).isEqualTo(described.stream().map(c -> c.get(1)).toList());
            StringBuilder columns = new StringBuilder("id Int32");
            fields.stream().skip(1).forEach(f -> columns.append(", ").append(f).append(" Dynamic"));
            String ours = FIXTURE.database() + ".ours";
            String theirs = FIXTURE.database() + ".theirs";
            for (String t : List.of(ours, theirs)) {
                clickhouse.query("CREATE TABLE " + t + " (" + columns + ") ENGINE = MergeTree ORDER BY id");
            }
            clickhouse.query("INSERT INTO " + theirs + " SELECT * FROM file('" + file + "', Avro)"
                    + " SETTINGS use_structure_from_insertion_table_in_table_functions = 0");
            MemorySource source = MemorySource.open();
            for (GenericRecord r : records) {
                source.offer(ConfluentAvro.encode(id, schema, r));
            }
            source.end();
            Pipe.builder().name("avro-dynamic").source(source).decoder(AvroDecoders.confluent(FIXTURE.registry().url()))
                    .sink(ClickHouseSink.builder().transport(clickhouse).table(ours).build()).build().run();

            assertThat(clickhouse.query("SELECT message FROM " + ours + "_clickpipes_error")).isEmpty();
            assertThat(clickhouse.queryLong("SELECT count() FROM " + ours)).isEqualTo(ROWS);
            for (String f : fields.subList(1, fields.size())) {
                String q = "SELECT id, toString(" + f + "), dynamicType(" + f + ") FROM %s ORDER BY id";
                assertThat(clickhouse.query(String.format(q, ours))).as(f).isEqualTo(clickhouse.query(String.format(q, theirs)));
            }
        } finally {
            Files.delete(file);
        }
    }

    private static List<GenericRecord> records(Schema schema) {
        List<GenericRecord> out = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            GenericRecord r = new GenericData.Record(schema);
            r.put("id", i);
            r.put("i", -i);
            r.put("l", 5_000_000_000L * i);
            r.put("f", i / 3f);
            r.put("d", i / 7.0);
            r.put("b", i % 2 == 0);
            r.put("s", "s" + i);
            r.put("datelike", "2024-01-0" + (i + 1)); // a String, not the Date JSON text would be
            r.put("by", ByteBuffer.wrap(new byte[]{65, (byte) (66 + i)}));
            r.put("day", 19_000 + i * 40);
            r.put("tms", 3_723_004 + i);
            r.put("tus", 3_723_000_005L + i);
            r.put("tsm", 1_700_000_000_123L + i * 86_400_000L);
            r.put("tsu", 1_700_000_000_123_456L + i);
            r.put("ltsm", 1_600_000_000_000L + i);
            r.put("dec", ByteBuffer.wrap(BigInteger.valueOf(12_345L * (i - 2)).toByteArray()));
            byte[] fixed = new byte[9];
            byte[] unscaled = BigInteger.valueOf(-987_654_321_012L * i).toByteArray();
            Arrays.fill(fixed, 0, 9 - unscaled.length, (byte) (unscaled[0] < 0 ? -1 : 0));
            System.arraycopy(unscaled, 0, fixed, 9 - unscaled.length, unscaled.length);
            r.put("fdec", new GenericData.Fixed(schema.getField("fdec").schema(), fixed));
            r.put("uuid", "6d7e2c1a-0b2f-4c3e-9a41-00000000000" + i);
            r.put("color", new GenericData.EnumSymbol(schema.getField("color").schema(), i % 2 == 0 ? "RED" : "GREEN"));
            r.put("fx", new GenericData.Fixed(schema.getField("fx").schema(), new byte[]{67, 68, (byte) (69 + i)}));
            r.put("ints", List.of(i, i + 1).subList(0, i % 3));
            r.put("maybes", Arrays.asList(18_000 + i, null));
            r.put("m", i % 2 == 0 ? Map.of("k", (long) i) : Map.of());
            GenericRecord p = new GenericData.Record(schema.getField("rec").schema());
            p.put("x", i);
            p.put("y", i == 2 ? null : "y" + i);
            r.put("rec", p);
            r.put("maybe", i % 3 == 1 ? null : i);
            r.put("either", i % 2 == 0 ? (Object) i : "e" + i);
            out.add(r);
        }
        return out;
    }

    private static byte[] avroFile(Schema schema, List<GenericRecord> records) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DataFileWriter<GenericRecord> w = new DataFileWriter<>(new GenericDatumWriter<>(schema))) {
            w.create(schema, out);
            for (GenericRecord r : records) {
                w.append(r);
            }
        }
        return out.toByteArray();
    }
}
