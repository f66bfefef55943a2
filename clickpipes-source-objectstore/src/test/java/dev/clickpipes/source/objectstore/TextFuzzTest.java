package dev.clickpipes.source.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clickpipes.core.spi.Decoder;
import dev.clickpipes.format.Decoders;
import dev.clickpipes.testkit.fuzz.DecoderFuzz;
import dev.clickpipes.testkit.fuzz.FuzzRun;
import dev.clickpipes.testkit.fuzz.Mutator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Fuzzing the JSON, CSV and TSV decoders: random bytes and mutations of valid records of a table
 * with most column types (arrays, maps, tuples, nullable, dates, decimals, UUID, IP, enum,
 * low-cardinality, JSON) through each decoder into a row buffer. Every input ends as one row or
 * one error record. {@link TextFuzzPipeTest} sends such records through a pipe.
 */
@net.jqwik.api.Tag("fuzz")
class TextFuzzTest {

    static final String[] COLUMNS = {"id", "UInt32", "name", "String", "v", "Float64", "tags", "Array(String)",
            "m", "Map(String, Int64)", "t", "DateTime64(3, 'UTC')", "d", "Date", "n", "Nullable(Int32)", "u", "UUID",
            "ip", "IPv6", "dec", "Decimal(18, 4)", "tup", "Tuple(a Int32, b String)", "e", "Enum8('a' = 1, 'b' = 2)",
            "lc", "LowCardinality(String)", "big", "Int128", "f", "FixedString(3)", "j", "JSON"};

    static final List<byte[]> JSON_SEEDS = seeds(
            "{\"id\":1,\"name\":\"ünï ✓\",\"v\":1.5,\"tags\":[\"a\",\"b\"],\"m\":{\"k\":1,\"l\":-2},\"t\":\"2024-05-01 00:00:00.123\","
                    + "\"d\":\"2024-05-01\",\"n\":null,\"u\":\"123e4567-e89b-12d3-a456-426614174000\",\"ip\":\"::ffff:1.2.3.4\","
                    + "\"dec\":12.3456,\"tup\":{\"a\":7,\"b\":\"x\"},\"e\":\"a\",\"lc\":\"low\",\"big\":\"170141183460469231731687303715884105727\","
                    + "\"f\":\"abc\",\"j\":{\"x\":{\"y\":[1,2,{\"z\":null}]}}}",
            "{\"id\":4294967295,\"name\":\"\\u00e9\\n\\\"q\\\"\",\"v\":-1e308,\"tags\":[],\"m\":{},\"t\":1714521600123,\"d\":19844,"
                    + "\"n\":-2147483648,\"ip\":\"2001:db8::1\",\"dec\":\"-99999999999999.9999\",\"tup\":[1,\"y\"],\"e\":2,\"j\":{}}",
            "{\"id\":0,\"v\":NaN,\"x\":{\"deep\":[[[[1]]]]},\"n\":1}");

    static final List<byte[]> CSV_SEEDS = seeds(
            "1,\"ünï, ✓\",1.5,\"['a','b']\",\"{'k':1,'l':-2}\",2024-05-01 00:00:00.123,2024-05-01,\\N,"
                    + "123e4567-e89b-12d3-a456-426614174000,::1,12.3456,\"(7,'x')\",a,low,-5,abc,\"{\"\"x\"\":1}\"",
            "4294967295,\"say \"\"hi\"\"\",-0.0,[],{},1714521600,19844,-2147483648,00000000-0000-0000-0000-000000000000,"
                    + "2001:db8::1,-1.5,\"(0,'')\",b,,170141183460469231731687303715884105727,xyz,{}");

    static final List<byte[]> TSV_SEEDS = seeds(
            "1\tünï ✓\t1.5\t['a','b']\t{'k':1,'l':-2}\t2024-05-01 00:00:00.123\t2024-05-01\t\\N\t"
                    + "123e4567-e89b-12d3-a456-426614174000\t::1\t12.3456\t(7,'x')\ta\tlow\t-5\tabc\t{\"x\":1}",
            "4294967295\tesc\\t\\n\\\\\t-0.0\t[]\t{}\t1714521600\t19844\t-2147483648\t00000000-0000-0000-0000-000000000000\t"
                    + "2001:db8::1\t-1.5\t(0,'')\tb\t\t170141183460469231731687303715884105727\txyz\t{}");

    static final DecoderFuzz JSON = new DecoderFuzz("JSON", Decoders.json(), 5_000, COLUMNS);
    static final DecoderFuzz CSV = new DecoderFuzz("CSV", Decoders.csv(), 5_000, COLUMNS);
    static final DecoderFuzz TSV = new DecoderFuzz("TSV", Decoders.tsv(), 5_000, COLUMNS);

    static List<byte[]> seeds(String... s) {
        List<byte[]> out = new ArrayList<>();
        for (String x : s) {
            out.add(x.getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    @AfterContainer
    static void report() {
        for (DecoderFuzz f : List.of(JSON, CSV, TSV)) {
            System.out.println(f.summary() + "; " + DecoderFuzz.heapFigures());
            f.bugSamples.forEach(s -> System.out.println("  decoder bug: " + s));
            f.close();
        }
    }

    static Arbitrary<byte[]> inputs(List<byte[]> seeds) {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.randomValue((Random r) -> Mutator.random(r, 300))),
                Tuple.of(9, Arbitraries.randomValue((Random r) -> Mutator.mutate(seeds.get(r.nextInt(seeds.size())), r, seeds))));
    }

    @Provide
    Arbitrary<byte[]> json() {
        return inputs(JSON_SEEDS);
    }

    @Provide
    Arbitrary<byte[]> csv() {
        return inputs(CSV_SEEDS);
    }

    @Provide
    Arbitrary<byte[]> tsv() {
        return inputs(TSV_SEEDS);
    }

    /** JSON: one object a record; CSV and TSV: one row a line (a record may hold several). */
    static void check(DecoderFuzz fuzz, byte[] input) {
        DecoderFuzz.Outcome o = fuzz.feed(input);
        if (fuzz == JSON) {
            assertThat(o.rows()).as("rows of one record").isBetween(0, 1);
        }
        assertThat(o.error() == null).as("an error, or rows: %s for %s", o, DecoderFuzz.hex(input)).isEqualTo(o.rows() >= 1);
        assertThat(o.bug()).as("a RuntimeException out of the decoder: %s for %s", o.error(), DecoderFuzz.hex(input)).isFalse();
    }

    @Property(tries = 8000, seed = DecoderFuzz.SUITE_SEED, shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
    void jsonInputsEndAsOneRowOrOneErrorRecord(@ForAll("json") byte[] input) {
        check(JSON, input);
    }

    @Property(tries = 8000, seed = DecoderFuzz.SUITE_SEED, shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
    void csvInputsEndAsOneRowOrOneErrorRecord(@ForAll("csv") byte[] input) {
        check(CSV, input);
    }

    @Property(tries = 8000, seed = DecoderFuzz.SUITE_SEED, shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
    void tsvInputsEndAsOneRowOrOneErrorRecord(@ForAll("tsv") byte[] input) {
        check(TSV, input);
    }

    /** Inputs the properties found bugs with, kept. */
    @net.jqwik.api.Example
    void regressions() {
        // DateTime64 from 171452160047483648 seconds: building the error message threw DateTimeException
        // (a RuntimeException out of the decoder; the pipe filed it as "decoder failed")
        assertThat(TSV.feed(java.util.HexFormat.of().parseHex("34323934393637323935096573635c745c6e5c5c092d302e30095b5d097b7d09"
                + "3137313435323136303034373438333634380930303030303030302d303030302d303030302d303030302d3030303030303030"
                + "30303009323030313a6462383a3a31092d312e350928302c272729096209093137303134313138333436303436393233313733"
                + "313638373330333731353838343130353732370978797a097b7d"))).satisfies(o -> {
                    assertThat(o.bug()).isFalse();
                    assertThat(o.error()).contains("DateTime64");
                });
        // NaN (which the decoder allows, for floats) into a Decimal: NumberFormatException out of Jackson
        assertThat(JSON.feed("{\"dec\":NaN}".getBytes(StandardCharsets.UTF_8))).satisfies(o -> {
            assertThat(o.bug()).isFalse();
            assertThat(o.error()).contains("cannot take NaN");
        });
        // found as a 5 s hang: a Decimal from 12.1e4003456 (setScale computed 10^4003456, and the message
        // would have been its four million digits); the same for integers and for 1e-4003456
        long start = System.nanoTime();
        assertThat(CSV.feed(java.util.HexFormat.of().parseHex("312c22c3bc6ec3af2c20e29c93222c312e352c225b2761272c2762275d222c"
                + "227b276b273a312c276c273a2d327d222c323032342d30352d30312030303a30303a30302e3132332c323032342d30352d30312c5c"
                + "4e2c31323365343536372d653839622d313264332d613435362d3432363631343137343030302c3a3a312c31322e3165343030333435"
                + "362c2228372c27782729222c612c6c6f772c2d352c6162632c227b22227822223a317d22")).error()).contains("does not fit");
        assertThat(JSON.feed("{\"id\":1,\"dec\":1e-4003456}".getBytes(StandardCharsets.UTF_8)).rows()).isEqualTo(1);
        assertThat(JSON.feed("{\"id\":1e4003456}".getBytes(StandardCharsets.UTF_8)).error()).isNotNull(); // via double
        assertThat(CSV.feed("1e4003456".getBytes(StandardCharsets.UTF_8)).error()).isNotNull();
        DecoderFuzz.Outcome tiny = TSV.feed("1\tx\t1\t[]\t{}\t0\t2024-05-01\t1\t00000000-0000-0000-0000-000000000000\t::1\t-9.9e-4003456"
                .getBytes(StandardCharsets.UTF_8));
        assertThat(tiny.rows()).as("%s", tiny).isEqualTo(1);
        assertThat(System.nanoTime() - start).as("nanoseconds for the huge exponents").isLessThan(2_000_000_000L);
        // an empty CSV or TSV record made no row and no error: it vanished
        for (DecoderFuzz f : List.of(CSV, TSV)) {
            assertThat(f.feed(new byte[0]).error()).contains("holds no");
            assertThat(f.feed("\n\r\n".getBytes(StandardCharsets.UTF_8)).error()).isNotNull(); // one row of empty fields: an error too
        }
    }

    /** The decoder of a format, for the pipe test. */
    static Decoder decoder(String format) {
        return switch (format) {
            case "JSON" -> Decoders.json();
            case "CSV" -> Decoders.csv();
            default -> Decoders.tsv();
        };
    }

    static Function<Random, byte[]> generator(List<byte[]> seeds) {
        return r -> r.nextInt(10) == 0 ? Mutator.random(r, 300) : Mutator.mutate(seeds.get(r.nextInt(seeds.size())), r, seeds);
    }

    /** The long run of the text decoders and the decompressors: {@code TextFuzzTest [seconds]} (scripts/fuzz.sh). */
    public static void main(String[] args) throws Exception {
        List<FuzzRun.Target> targets = new ArrayList<>(List.of(
                new FuzzRun.Target("JSON", generator(JSON_SEEDS), in -> check(JSON, in), JSON),
                new FuzzRun.Target("CSV", generator(CSV_SEEDS), in -> check(CSV, in), CSV),
                new FuzzRun.Target("TSV", generator(TSV_SEEDS), in -> check(TSV, in), TSV)));
        DecompressorFuzzTest d = new DecompressorFuzzTest();
        for (Compression c : DecompressorFuzzTest.CODECS) {
            DecoderFuzz tally = DecompressorFuzzTest.tally(c);
            targets.add(new FuzzRun.Target(c.name().toLowerCase(), r -> {
                byte[] seed = DecompressorFuzzTest.SEEDS.get(c);
                return r.nextInt(10) == 0 ? Mutator.random(r, 200) : Mutator.mutate(seed, r, List.of(seed));
            }, in -> {
                try {
                    d.everyObjectEndsAndEveryRecordIsARowOrAnErrorRecord(new DecompressorFuzzTest.Input(c, in));
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                tally.tries++;
            }, tally));
        }
        int status = FuzzRun.run(FuzzRun.length(args, java.time.Duration.ofMinutes(5)), System.nanoTime(), targets);
        report();
        DecompressorFuzzTest.report();
        System.exit(status);
    }
}
