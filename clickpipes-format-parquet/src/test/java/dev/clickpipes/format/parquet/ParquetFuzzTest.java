package dev.clickpipes.format.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clickpipes.testkit.fuzz.DecoderFuzz;
import dev.clickpipes.testkit.fuzz.Mutator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
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

/**
 * Fuzzing the Parquet decoder with whole files as records: mutations of the corpus's files
 * (every encoding, codec and logical type in it, files under 64 KB), their footers more often
 * (where the lengths and offsets are), and random bytes behind a valid magic. Each file ends as
 * rows or as one error record; nothing escapes, nothing hangs, the 256 MB heap holds.
 */
@net.jqwik.api.Tag("fuzz")
class ParquetFuzzTest {

    static DecoderFuzz fuzz;
    static List<byte[]> seeds = new ArrayList<>();

    static final String[] COLUMNS = {"id", "Int64", "bool_col", "Bool", "tinyint_col", "Int32", "int_col", "Int32",
            "bigint_col", "Int64", "float_col", "Float32", "double_col", "Float64", "string_col", "String",
            "date_string_col", "String", "timestamp_col", "DateTime64(9, 'UTC')", "a", "String", "b", "String",
            "c", "String", "value", "String", "name", "String", "values", "Array(Nullable(Int64))"};

    @BeforeContainer
    static void start() throws Exception {
        try (Stream<Path> files = Files.walk(ParquetConformanceTest.corpus())) {
            for (Path p : files.filter(f -> f.toString().endsWith(".parquet")).sorted().toList()) {
                if (Files.size(p) < 64 * 1024 && !ParquetConformanceTest.SKIP.contains(p.getFileName().toString())) {
                    seeds.add(Files.readAllBytes(p));
                }
            }
        }
        assertThat(seeds).hasSizeGreaterThan(20);
        fuzz = new DecoderFuzz("Parquet", ParquetDecoder.create(), 20_000, COLUMNS);
        DecoderFuzz.resetPeakHeap();
    }

    @AfterContainer
    static void stop() {
        System.out.println(fuzz.summary() + "; " + DecoderFuzz.heapFigures());
        fuzz.bugSamples.forEach(s -> System.out.println("  decoder bug: " + s));
        fuzz.close();
    }

    /** A corpus file mutated; half of the time only in its last 1 KB (the footer and its length). */
    static byte[] mutated(Random r) {
        byte[] seed = seeds.get(r.nextInt(seeds.size()));
        if (r.nextBoolean() || seed.length < 2048) {
            return Mutator.mutate(seed, r, seeds);
        }
        int tail = Math.min(1024, seed.length - 8);
        byte[] out = seed.clone();
        byte[] footer = java.util.Arrays.copyOfRange(seed, seed.length - 8 - tail, seed.length - 8);
        for (int i = 0; i < 1 + r.nextInt(4); i++) {
            int at = r.nextInt(footer.length);
            footer[at] = (byte) (r.nextBoolean() ? r.nextInt(256) : footer[at] ^ (1 << r.nextInt(8)));
        }
        System.arraycopy(footer, 0, out, seed.length - 8 - tail, tail);
        return out;
    }

    /** Random bytes between a valid magic and a footer length that points into them. */
    static byte[] randomFile(Random r) {
        byte[] body = Mutator.random(r, 512);
        byte[] out = new byte[body.length + 12];
        System.arraycopy("PAR1".getBytes(), 0, out, 0, 4);
        System.arraycopy(body, 0, out, 4, body.length);
        int len = r.nextInt(body.length + 1);
        out[out.length - 8] = (byte) len;
        out[out.length - 7] = (byte) (len >>> 8);
        System.arraycopy("PAR1".getBytes(), 0, out, out.length - 4, 4);
        return out;
    }

    @Provide
    Arbitrary<byte[]> inputs() {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.randomValue(ParquetFuzzTest::randomFile)),
                Tuple.of(9, Arbitraries.randomValue(ParquetFuzzTest::mutated)));
    }

    @Property(tries = 3000, seed = DecoderFuzz.SUITE_SEED, shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
    void everyFileEndsAsRowsOrOneErrorRecord(@ForAll("inputs") byte[] input) {
        DecoderFuzz.Outcome o = fuzz.feed(input);
        assertThat(o.error() == null || o.rows() == 0).isTrue();
        assertThat(o.bug()).as("a RuntimeException out of the decoder: %s", o.error()).isFalse();
    }

    /**
     * Found by the property in its 256 MB JVM (OutOfMemoryError): a dictionary entry whose length,
     * taken from the page unchecked by parquet-java, was copied.
     */
    @Example
    void aDictionaryEntryLongerThanItsPageIsABadRecord() {
        byte[] file = java.util.HexFormat.of().parseHex("504152311504153015304c150c15001200000100000002000000030000000400000005000000060000001500150a150a2c15" +
                "0c1510150615060000030388c6022680011c15021925001019180269641500160c167816782654260800001504154015404c" +
                "15081500120000e30c234b01000000c7353a42000000008e6b74840000000055a1aec6000000001500152215222c15101510" +
                "1506150600000200000003c0030000000390aa0203940326da021c15041925001019380c70686f6e654e756d626572730570" +
                "686f6e65066e756d6265721500161016a00116a00126960226ba0100001504152415244c1504150012000000000000686f6d" +
                "65060000006d6f62696c651500152015202c151015101506150600000200000003c0030000000390ef01030426cc041c150c" +
                "1925001019380c70686f6e654e756d626572730570686f6e65046b696e6415001610168201168201268a0426ca0300001502" +
                "196c4804757365721504001502250018026964003502180c70686f6e654e756d626572731502003504180570686f6e651504" +
                "001504250018066e756d62657200150c250218046b696e642500001600191c193c2680011c15021925001019180269641500" +
                "160c1678167826542608000026da021c15041925001019380c70686f6e654e756d626572730570686f6e65066e756d626572" +
                "1500161016a00116a00126960226ba01000026cc041c150c1925001019380c70686f6e654e756d626572730570686f6e6504" +
                "6b696e6415001610168201168201268a0426ca030000169a03160c002849706172717565742d72732076657273696f6e2030" +
                "2e332e3020286275696c64206234356365376362613231393966323264393332363963313530643861383339313663363962" +
                "356529003201000050415231");
        DecoderFuzz.Outcome o = fuzz.feed(file);
        assertThat(o.bug()).isFalse();
    }

    /** Inputs the long run (scripts/fuzz.sh) found bugs with, kept whole under src/test/resources/fuzz-regressions. */
    @Example
    void keptInputsAreBadRecords() throws Exception {
        for (String name : new String[]{"page-header-oom.parquet", "row-count-oom.parquet", "gzip-page-size-oom.parquet",
                "random-footer-oom.parquet", "level-run-oom.parquet", "chunk-page-oom.parquet"}) {
            try (var in = ParquetFuzzTest.class.getResourceAsStream("/fuzz-regressions/" + name)) {
                DecoderFuzz.Outcome o = fuzz.feed(in.readAllBytes());
                assertThat(o.bug()).as(name).isFalse();
            }
        }
    }

    /**
     * The corpus file that decompresses to more than 2 GB (the conformance test skips it: it
     * exhausted the heap): now a bad record, in this 256 MB JVM.
     */
    @Example
    void aColumnChunkOverTwoGigabytesIsABadRecord() throws Exception {
        byte[] file = Files.readAllBytes(ParquetConformanceTest.corpus().resolve("large_string_map.brotli.parquet"));
        DecoderFuzz.Outcome o = fuzz.feed(file);
        assertThat(o.error()).isNotNull();
        assertThat(o.bug()).isFalse();
    }

    /** The long run: {@code ParquetFuzzTest [seconds]} (scripts/fuzz.sh). */
    public static void main(String[] args) throws Exception {
        start();
        ParquetFuzzTest t = new ParquetFuzzTest();
        int status = dev.clickpipes.testkit.fuzz.FuzzRun.run(dev.clickpipes.testkit.fuzz.FuzzRun.length(args,
                java.time.Duration.ofMinutes(5)), System.nanoTime(), List.of(new dev.clickpipes.testkit.fuzz.FuzzRun.Target(
                "Parquet", r -> r.nextInt(10) == 0 ? randomFile(r) : mutated(r), t::everyFileEndsAsRowsOrOneErrorRecord, fuzz)));
        stop();
        System.exit(status);
    }
}
