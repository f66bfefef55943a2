package dev.clickpipes.source.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Decompressing ahead on a lent thread gives the very bytes, and the very error, that reading inline gives. */
class ReadAheadStreamTest {

    static final ExecutorService THREADS = Executors.newCachedThreadPool();

    @AfterAll
    static void stop() {
        THREADS.shutdownNow();
    }

    /** Lines of JSON (100 000 are about 3 MB), gzipped: many chunks of {@link ReadAheadStream#CHUNK}. */
    static byte[] gzippedLines(int lines) throws IOException {
        StringBuilder text = new StringBuilder();
        Random r = new Random(7);
        for (int i = 0; i < lines; i++) {
            text.append("{\"id\":").append(i).append(",\"v\":").append(r.nextLong()).append("}\n");
        }
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(raw)) {
            gz.write(text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return raw.toByteArray();
    }

    /** Reads to the end in reads of varying size (one byte at a time now and then). */
    static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Random sizes = new Random(11);
        byte[] buffer = new byte[100_000];
        while (true) {
            if (sizes.nextInt(50) == 0) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                out.write(b);
                continue;
            }
            int n = in.read(buffer, 0, 1 + sizes.nextInt(buffer.length));
            if (n < 0) {
                break;
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    @Test
    void theBytesAreTheInlineReadsBytes() throws IOException {
        byte[] gz = gzippedLines(100_000);
        byte[] inline = readAll(Compression.GZIP.decompress(new ByteArrayInputStream(gz)));
        try (InputStream ahead = Compression.GZIP.decompress(new ByteArrayInputStream(gz), THREADS)) {
            assertThat(ahead).isInstanceOf(ReadAheadStream.class);
            byte[] read = readAll(ahead);
            assertThat(read.length).isGreaterThan(10 * ReadAheadStream.CHUNK);
            assertThat(read).isEqualTo(inline);
            assertThat(ahead.read()).isEqualTo(-1);
        }
    }

    @Test
    void aCorruptStreamFailsAfterTheSameBytesWithTheSameKindOfError() throws IOException {
        byte[] gz = gzippedLines(100_000);
        byte[] truncated = Arrays.copyOf(gz, gz.length / 2);
        List<Object> inline = readUntilError(Compression.GZIP.decompress(new ByteArrayInputStream(truncated)));
        List<Object> ahead = readUntilError(Compression.GZIP.decompress(new ByteArrayInputStream(truncated), THREADS));
        assertThat(ahead.get(0)).isEqualTo(inline.get(0)); // the byte count before the error
        assertThat(ahead.get(1)).isInstanceOf(Compression.CorruptInputException.class);
        assertThat(inline.get(1)).isInstanceOf(Compression.CorruptInputException.class);
    }

    static List<Object> readUntilError(InputStream in) {
        long n = 0;
        byte[] buffer = new byte[8192];
        try (in) {
            for (int r; (r = in.read(buffer)) >= 0; ) {
                n += r;
            }
            return List.of(n, "no error");
        } catch (IOException e) {
            return List.of(n, e);
        }
    }

    @Test
    void anExecutorThatRefusesOrNeverRunsTheTaskLeavesTheReadingInline() throws IOException {
        byte[] gz = gzippedLines(20_000);
        byte[] inline = readAll(Compression.GZIP.decompress(new ByteArrayInputStream(gz)));
        List<Runnable> neverRun = new ArrayList<>();
        assertThat(readAll(Compression.GZIP.decompress(new ByteArrayInputStream(gz), neverRun::add))).isEqualTo(inline);
        assertThat(neverRun).hasSize(1);
        neverRun.get(0).run(); // late: it sees the reader took the stream and returns at once
        assertThat(readAll(Compression.GZIP.decompress(new ByteArrayInputStream(gz), task -> {
            throw new RejectedExecutionException("full");
        }))).isEqualTo(inline);
    }

    @Test
    void closingMidStreamEndsTheLentTaskAndClosesTheStreamOnce() throws Exception {
        byte[] gz = gzippedLines(200_000);
        CountDownLatch taskEnded = new CountDownLatch(1);
        int[] closes = {0};
        InputStream counted = new java.io.FilterInputStream(new ByteArrayInputStream(gz)) {
            @Override
            public void close() throws IOException {
                closes[0]++;
                super.close();
            }
        };
        InputStream in = Compression.GZIP.decompress(counted, task -> THREADS.execute(() -> {
            task.run();
            taskEnded.countDown();
        }));
        assertThat(in.read(new byte[1000])).isPositive();
        Thread.sleep(200); // the task fills every slot and waits for the reader
        in.close();
        assertThat(taskEnded.await(5, TimeUnit.SECONDS)).isTrue();
        in.close();
        assertThat(closes[0]).isEqualTo(1);
    }
}
