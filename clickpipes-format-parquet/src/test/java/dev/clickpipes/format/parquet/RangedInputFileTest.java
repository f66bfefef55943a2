package dev.clickpipes.format.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.apache.parquet.io.SeekableInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every read through the window gives the file's own bytes, wherever the window happens to be: in
 * particular a small read in the last window-length of the file after the window moved elsewhere,
 * where the window reaches back before the read (that read once copied the window's first bytes
 * instead, and parquet-java failed on the last row group of files with small row groups: "can not
 * read class PageHeader").
 */
class RangedInputFileTest {

    @TempDir
    Path dir;

    @Test
    void readsGiveTheFilesBytesWhereverTheWindowIs() throws Exception {
        byte[] content = new byte[5 * RangedInputFile.WINDOW + 12_345];
        new Random(7).nextBytes(content);
        Path file = dir.resolve("f.bin");
        Files.write(file, content);
        Random random = new Random(11);
        try (SeekableInputStream in = new RangedInputFile(RandomAccessInput.of(file)).newStream()) {
            // the footer first, as parquet-java reads it, then the window moves to the start
            readAndCompare(in, content, content.length - 8, 8);
            readAndCompare(in, content, 4, 100);
            // a small read near the end, outside the window: the window reaches back before it
            readAndCompare(in, content, content.length - 3_000, 2_000);
            readAndCompare(in, content, 100, 50);
            readAndCompare(in, content, content.length - RangedInputFile.WINDOW + 10, RangedInputFile.WINDOW - 10);
            for (int i = 0; i < 2_000; i++) {
                int len = random.nextInt(i % 10 == 0 ? 3 * RangedInputFile.WINDOW : 3_000) + 1;
                int at = random.nextInt(content.length - len + 1);
                if (random.nextBoolean()) {
                    readAndCompare(in, content, at, len);
                } else {
                    in.seek(at);
                    ByteBuffer buf = ByteBuffer.allocate(len);
                    in.readFully(buf);
                    assertThat(buf.array()).as("ByteBuffer read of %d bytes at %d", len, at)
                            .isEqualTo(Arrays.copyOfRange(content, at, at + len));
                }
                assertThat(in.getPos()).isEqualTo(at + len);
            }
            in.seek(content.length - 1);
            assertThat(in.read()).isEqualTo(content[content.length - 1] & 0xFF);
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    private static void readAndCompare(SeekableInputStream in, byte[] content, int at, int len) throws Exception {
        in.seek(at);
        byte[] got = new byte[len];
        in.readFully(got, 0, len);
        assertThat(got).as("%d bytes at %d", len, at).isEqualTo(Arrays.copyOfRange(content, at, at + len));
    }
}
