package dev.clickpipes.source.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clickpipes.core.spi.OversizedRecord;
import dev.clickpipes.core.spi.SourceRecord;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lines over maxRecordBytes: kept as their first bytes, with their length; the lines after them still read. */
class NdjsonFileSourceLongLineTest {

    @TempDir
    Path dir;

    static List<String> readAll(NdjsonFileSource source) throws Exception {
        List<String> out = new ArrayList<>();
        source.open(null);
        while (!source.finished()) {
            for (SourceRecord r : source.poll(Duration.ZERO)) {
                String text = new String(r.data(), r.offset(), Math.min(r.length(), 12), StandardCharsets.UTF_8);
                out.add(r instanceof OversizedRecord o ? "oversized " + o.fullLength() + " kept " + r.length() + " "
                        + text + "@" + r.position() : text + "@" + r.position());
            }
        }
        source.close();
        return out;
    }

    static void write(Path file, long bytes, byte fill) throws Exception {
        byte[] block = new byte[1 << 20];
        java.util.Arrays.fill(block, fill);
        try (OutputStream out = Files.newOutputStream(file, java.nio.file.StandardOpenOption.APPEND)) {
            for (long left = bytes; left > 0; left -= block.length) {
                out.write(block, 0, (int) Math.min(left, block.length));
            }
        }
    }

    @Test
    void aLineOverTheDefaultCapIsFiledWithItsFirstBytesAndReadingResumes() throws Exception {
        Path file = dir.resolve("big.ndjson");
        Files.writeString(file, "{\"a\":1}\n");
        write(file, 25L << 20, (byte) 'x');               // 25 MB, then a newline
        Files.writeString(file, "\n{\"a\":2}\n", java.nio.file.StandardOpenOption.APPEND);
        write(file, 12L << 20, (byte) 'y');               // 12 MB with no newline at all: the file's end
        assertThat(readAll(NdjsonFileSource.of(file))).containsExactly(
                "{\"a\":1}@big.ndjson@0",
                "oversized " + (25L << 20) + " kept 65536 xxxxxxxxxxxx@big.ndjson@1",
                "{\"a\":2}@big.ndjson@2",
                "oversized " + (12L << 20) + " kept 65536 yyyyyyyyyyyy@big.ndjson@3");
    }

    @Test
    void aSmallCapAppliesToLinesInsideOneChunkToo() throws Exception {
        Path file = dir.resolve("small.ndjson");
        Files.writeString(file, "short\n" + "z".repeat(500) + "\nok\n");
        assertThat(readAll(NdjsonFileSource.of(file).maxRecordBytes(100))).containsExactly(
                "short@small.ndjson@0", "oversized 500 kept 100 zzzzzzzzzzzz@small.ndjson@1", "ok@small.ndjson@2");
    }
}
