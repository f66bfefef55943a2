package dev.clickpipes.format.avro;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clickpipes.format.registry.SchemaRegistry;
import dev.clickpipes.testkit.fuzz.DecoderFuzz;
import dev.clickpipes.testkit.fuzz.Mutator;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;

/**
 * Fuzzing AvroConfluent: random bytes and mutations of valid messages of a schema with every
 * type (records, arrays, maps, unions, decimals, a recursive-free nested record read as JSON
 * text) through the decoder into a row buffer. Each input ends as one row or one error record;
 * nothing else escapes, nothing hangs. {@link AvroFuzzPipeTest} sends such inputs through a pipe.
 */
@net.jqwik.api.Tag("fuzz")
class AvroFuzzTest {

    static final int PORT = 20520;
    static TestSchemaRegistry registry;
    static DecoderFuzz fuzz;
    static List<byte[]> seeds;
    static int schemaId;

    static final String[] COLUMNS = {"id", "Int64", "small", "Int32", "name", "String", "score", "Float64", "ratio", "Float32",
            "active", "Bool", "maybe", "Nullable(String)", "tags", "Array(String)", "attrs", "Map(String, Int64)",
            "address", "Tuple(street String, zip Int32, geo Array(Float64))", "color", "Enum8('RED' = 1, 'GREEN' = 2, 'BLUE' = 3)",
            "color_text", "LowCardinality(String)", "code", "FixedString(4)", "payload", "String", "price", "Decimal(10, 2)",
            "big", "Decimal(38, 6)", "uid", "UUID", "day", "Date", "ts_ms", "DateTime64(3, 'UTC')", "ts_us", "DateTime64(6, 'UTC')",
            "local_ts", "DateTime64(3, 'UTC')", "ts_ms_raw", "Int64", "t_ms", "Int32", "either", "String",
            "nested_json", "String", "maybe_list", "Array(Int32)", "ignored", "String"};

    /** Valid messages of {@link AvroConfluentDecoderTest#ALL_TYPES}, registered as {@code id}. */
    static List<byte[]> validMessages(int id) {
        Schema schema = new Schema.Parser().parse(AvroConfluentDecoderTest.ALL_TYPES);
        Schema address = schema.getField("address").schema();
        Schema color = schema.getField("color").schema();
        GenericRecord a = new GenericRecordBuilder(address).set("street", "Main St").set("zip", 12345)
                .set("geo", List.of(1.5, -2.25)).build();
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("x", 1L);
        attrs.put("y", -2L);
        Conversions.DecimalConversion decimals = new Conversions.DecimalConversion();
        GenericData.Record r1 = new GenericRecordBuilder(schema)
                .set("id", 1L).set("small", -7).set("name", "ünï ✓").set("score", 2.5).set("ratio", 0.1f)
                .set("active", true).set("maybe", "here").set("tags", List.of("a", "b"))
                .set("attrs", attrs).set("address", a)
                .set("color", new GenericData.EnumSymbol(color, "GREEN"))
                .set("color_text", new GenericData.EnumSymbol(color, "BLUE"))
                .set("code", new GenericData.Fixed(schema.getField("code").schema(), "AB\0D".getBytes(StandardCharsets.ISO_8859_1)))
                .set("payload", ByteBuffer.wrap(new byte[] {'h', 'i', 0, 'x'}))
                .set("price", decimals.toBytes(new BigDecimal("-12345678.90"), null, LogicalTypes.decimal(10, 2)))
                .set("big", decimals.toFixed(new BigDecimal("12345678901234567890.123456"), schema.getField("big").schema(),
                        LogicalTypes.decimal(38, 6)))
                .set("uid", "123e4567-e89b-12d3-a456-426614174000").set("day", 19844)
                .set("ts_ms", 1714521600123L).set("ts_us", 1714521600123456L).set("local_ts", 1714521600999L)
                .set("ts_ms_raw", 1714521600123L).set("t_ms", 3_723_004).set("either", 42)
                .set("nested_json", a).set("maybe_list", List.of(3, 4)).set("ignored", Map.of("k", List.of(a, a)))
                .build();
        GenericRecord r2 = new GenericRecordBuilder(r1)
                .set("id", 2L).set("maybe", null).set("either", "text").set("tags", List.of())
                .set("attrs", Map.of()).set("maybe_list", null).set("ignored", Map.of())
                .build();
        return List.of(ConfluentAvro.encode(id, schema, r1), ConfluentAvro.encode(id, schema, r2));
    }

    @BeforeContainer
    static void start() throws Exception {
        registry = TestSchemaRegistry.start(PORT);
        schemaId = registry.register("everything-value", new Schema.Parser().parse(AvroConfluentDecoderTest.ALL_TYPES));
        seeds = validMessages(schemaId);
        fuzz = new DecoderFuzz("AvroConfluent", AvroDecoders.confluent(SchemaRegistry.of(registry.url())), 5_000, COLUMNS);
        DecoderFuzz.resetPeakHeap();
    }

    @AfterContainer
    static void stop() {
        System.out.println(fuzz.summary() + "; " + DecoderFuzz.heapFigures());
        fuzz.bugSamples.forEach(s -> System.out.println("  decoder bug: " + s));
        fuzz.close();
        registry.close();
    }

    /** A mutation of a valid message that keeps its header (so the schema is found) most of the time. */
    static byte[] mutated(java.util.Random r) {
        byte[] seed = seeds.get(r.nextInt(seeds.size()));
        if (r.nextInt(5) == 0) {
            return Mutator.mutate(seed, r, seeds);
        }
        byte[] body = Mutator.mutate(Arrays.copyOfRange(seed, 5, seed.length), r, seeds);
        byte[] out = new byte[5 + body.length];
        System.arraycopy(seed, 0, out, 0, 5);
        System.arraycopy(body, 0, out, 5, body.length);
        return out;
    }

    @Provide
    Arbitrary<byte[]> inputs() {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.randomValue(r -> Mutator.random(r, 300))),
                Tuple.of(9, Arbitraries.randomValue(AvroFuzzTest::mutated)));
    }

    @Property(tries = 10000, seed = DecoderFuzz.SUITE_SEED, shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
    void everyInputEndsAsOneRowOrOneErrorRecord(@ForAll("inputs") byte[] input) {
        DecoderFuzz.Outcome o = fuzz.feed(input);
        assertThat(o.rows()).as("rows of one message").isBetween(0, 1);
        assertThat(o.error() == null).isEqualTo(o.rows() == 1);
        assertThat(o.bug()).as("a RuntimeException out of the decoder: %s", o.error()).isFalse();
    }

    /** Inputs that found bugs (before the bounds), kept: each must now be an error record. */
    @Example
    void regressions() {
        HexFormat hex = HexFormat.of();
        List<byte[]> cases = new ArrayList<>();
        byte[] header = Arrays.copyOf(seeds.get(0), 5);
        for (String body : new String[]{
                "02", // id 1, then a string declaring 2^31 - 16 bytes:
                "02" + "1c" + "e0ffffff0f",
                // found by this property in its 256 MB JVM after the first bounds (OutOfMemoryError in
                // Avro's generic reader, 303 tries): an array block in the form that gives its byte size,
                // which skipArray jumped over without its count being checked
                "040d12c3bc6ec3af20e29c930000000000000440cdcccc3d010000000e4d61696e205374f2c00104000000000000f83f" +
                        "00000000000002c000020441420044086869007808b669fd2e00000000000a364c98227eaa6adcbac048313233653435" +
                        "36372d653839622d313264332d613435362d34323636313431373430303088b602f6c19b97e6638089fbaea5d68b06ce" +
                        "cf9b97e663f6c19b97e663f8bbc6030208746578740e4d61696e00000440cdcccc3d010000000e4d6169205374f2c001" +
                        "04000000000000f83f00000000000002c0000000",
                // found by this property before the bounds (OutOfMemoryError after 551 tries): a tag
                // string's length mutated to 2^31 - 16
                "020d12c3bc6ec3af20e29c930000000000000440cdcccc3d01020868657265040261e0ffffff0f7802027903000e4d61" +
                        "696e205374f2c00104000000000000f83f00000000000002c000020441420044086869007808b669fd2e00000000000a" +
                        "364c98227eaa6adcbac04831323365343536372d653839622d313264332d613435362d34323636313431373430303088" +
                        "b602f6c19b97e6638089fbaea5d68b06cecf9b97e663f6c19b97e663f8bbc60300540e4d61696e205374f2c001040000" +
                        "00000000f83f00000000000002c000020406080002026b040e4d61696e205374f2c00104000000000000f83f00000000" +
                        "000002c0000e4d61696e205374f2c00104000000000000f83f00000000000002c0000000"}) {
            cases.add(concat(header, hex.parseHex(body)));
        }
        for (byte[] c : cases) {
            assertThat(fuzz.feed(c).error()).isNotNull();
        }
    }

    /** The long run: {@code AvroFuzzTest [seconds]} (scripts/fuzz.sh). */
    public static void main(String[] args) throws Exception {
        start();
        AvroFuzzTest t = new AvroFuzzTest();
        int status = dev.clickpipes.testkit.fuzz.FuzzRun.run(dev.clickpipes.testkit.fuzz.FuzzRun.length(args,
                java.time.Duration.ofMinutes(5)), System.nanoTime(), List.of(new dev.clickpipes.testkit.fuzz.FuzzRun.Target(
                "AvroConfluent", r -> r.nextInt(10) == 0 ? Mutator.random(r, 300) : mutated(r),
                t::everyInputEndsAsOneRowOrOneErrorRecord, fuzz)));
        stop();
        System.exit(status);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
