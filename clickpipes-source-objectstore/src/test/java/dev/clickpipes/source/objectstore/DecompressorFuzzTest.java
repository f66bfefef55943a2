package dev.clickpipes.source.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.ZstdOutputStream;
import dev.clickpipes.format.Decoders;
import dev.clickpipes.testkit.fuzz.DecoderFuzz;
import dev.clickpipes.testkit.fuzz.Mutator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import net.jpountz.lz4.LZ4FrameOutputStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AfterContainer;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/**
 * Fuzzing each decompressor the object source reads text objects with (gzip, zstd, bzip2, xz,
 * lz4): valid compressed NDJSON objects mutated, read by the source's own line reader (the
 * codec's memory limits, maxRecordBytes of 1 MB here) and each record decoded as JSON. Reading
 * must end (corrupt streams end the object with an error record), every record must become a
 * row or an error record, and nothing may escape, hang or exhaust the 256 MB heap.
 */
@Tag("fuzz")
class DecompressorFuzzTest {

    static final Compression[] CODECS = {Compression.GZIP, Compression.ZSTD, Compression.BZIP2, Compression.XZ, Compression.LZ4};
    static final Map<Compression, byte[]> SEEDS = new EnumMap<>(Compression.class);
    static final Map<Compression, long[]> TALLY = new EnumMap<>(Compression.class); // inputs, records, corrupt
    static final DecoderFuzz JSON = new DecoderFuzz("JSON", Decoders.json(), 5_000,
            "id", "UInt32", "name", "String", "v", "Float64");
    static final ExecutorService THREAD = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fuzz-decompressor");
        t.setDaemon(true);
        return t;
    });

    static final ExecutorService AHEAD = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fuzz-read-ahead");
        t.setDaemon(true);
        return t;
    });

    static {
        byte[] text = (TestPipes.events(0, 300) + "x".repeat(5000) + "\n" + TestPipes.events(300, 10))
                .getBytes(StandardCharsets.UTF_8);
        for (Compression c : CODECS) {
            SEEDS.put(c, compress(c, text));
            TALLY.put(c, new long[3]);
        }
    }

    static byte[] compress(Compression c, byte[] text) {
        try {
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            try (OutputStream out = switch (c) {
                case GZIP -> new GZIPOutputStream(raw);
                case ZSTD -> new ZstdOutputStream(raw);
                case BZIP2 -> new BZip2CompressorOutputStream(raw);
                case XZ -> new XZOutputStream(raw, new LZMA2Options());
                case LZ4 -> new LZ4FrameOutputStream(raw);
                default -> throw new IllegalArgumentException(c.name());
            }) {
                out.write(text);
            }
            return raw.toByteArray();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static final Map<Compression, DecoderFuzz> TALLIES = new EnumMap<>(Compression.class);

    /** A tally named for the codec, for FuzzRun's lines (its tries count the objects read). */
    static synchronized DecoderFuzz tally(Compression c) {
        return TALLIES.computeIfAbsent(c, k -> new DecoderFuzz(k.name().toLowerCase(), Decoders.json(), 1, "id", "UInt32"));
    }

    @AfterContainer
    static void report() {
        for (Compression c : CODECS) {
            long[] t = TALLY.get(c);
            System.out.printf("%-14s %9d inputs  %9d records  %9d ended as corrupt%n", c.name().toLowerCase(), t[0], t[1], t[2]);
        }
        System.out.println(JSON.summary() + " (the records above); " + DecoderFuzz.heapFigures());
        JSON.close();
        THREAD.shutdownNow();
        AHEAD.shutdownNow();
    }

    record Input(Compression codec, byte[] bytes) {
        @Override
        public String toString() {
            return codec + " " + DecoderFuzz.hex(bytes);
        }
    }

    @Provide
    Arbitrary<Input> inputs() {
        return Arbitraries.randomValue((Random r) -> {
            Compression c = CODECS[r.nextInt(CODECS.length)];
            byte[] seed = SEEDS.get(c);
            return new Input(c, r.nextInt(10) == 0 ? Mutator.random(r, 200) : Mutator.mutate(seed, r, List.of(seed)));
        });
    }

    /** Reads an object as the source does; returns the records and whether it ended as corrupt. */
    static List<ObjectRecord> read(Input input) throws Exception {
        ObjectFile file = new ObjectFile(new ObjectInfo("fuzz" + input.codec().extension(), input.bytes().length, Instant.EPOCH, "1"),
                "/fuzz", "fuzz");
        List<ObjectRecord> out = new ArrayList<>();
        // every other input decompressed ahead on a second thread, as with a decompressExecutor
        java.util.concurrent.Executor ahead = java.util.Arrays.hashCode(input.bytes()) % 2 == 0 ? AHEAD : null;
        try (LineObjectReader reader = new LineObjectReader(file, input.codec().decompress(new ByteArrayInputStream(input.bytes()), ahead),
                0, -1, -1, 0, -1, null, 1 << 20)) {
            for (ObjectRecord r; (r = reader.next()) != null; ) {
                out.add(r);
                if (out.size() > 100_000) {
                    throw new AssertionError("over 100 000 records from " + input.bytes().length + " bytes");
                }
            }
        }
        return out;
    }

    @Property(tries = 2500, seed = DecoderFuzz.SUITE_SEED, shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
    void everyObjectEndsAndEveryRecordIsARowOrAnErrorRecord(@ForAll("inputs") Input input) throws Exception {
        Future<List<ObjectRecord>> f = THREAD.submit(() -> read(input));
        List<ObjectRecord> records;
        try {
            records = f.get(20, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            f.cancel(true);
            throw new AssertionError("reading took over 20 s: " + input);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError(e.getCause() + " out of the reader for " + input, e.getCause());
        }
        long[] t = TALLY.get(input.codec());
        t[0]++;
        t[1] += records.size();
        for (ObjectRecord r : records) {
            if (r instanceof CorruptObjectRecord) {
                t[2]++;
                continue; // the pipe files it through ObjectDecoder
            }
            assertThat(r.length()).isLessThanOrEqualTo(1 << 20);
            byte[] body = java.util.Arrays.copyOfRange(r.data(), r.offset(), r.offset() + r.length());
            DecoderFuzz.Outcome o = JSON.feed(body);
            assertThat(o.bug()).as("%s", o).isFalse();
        }
        if (!records.isEmpty() && records.get(records.size() - 1) instanceof CorruptObjectRecord last) {
            assertThat(last.message()).contains("cannot be read");
        }
    }
}
