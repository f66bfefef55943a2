package dev.clickpipes.source.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A multi-GB object streamed by a pipe in a JVM with {@code -Xmx256m}: the size of the object
 * does not bound memory, the batch does. The object's size comes from
 * {@code -Dclickpipes.bigObjectMb} (default 2048).
 */
class BigObjectTest {

    @TempDir
    Path dir;

    @Test
    void multiGigabyteObjectLoadsWithA256MbHeap() throws Exception {
        long mb = Long.getLong("clickpipes.bigObjectMb", 2048);
        Path file = dir.resolve("big.ndjson");
        long rows = 0;
        byte[] pad = "x".repeat(60).getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            long bytes = 0;
            while (bytes < mb << 20) {
                byte[] head = ("{\"id\":" + rows + ",\"pad\":\"").getBytes(StandardCharsets.US_ASCII);
                out.write(head);
                out.write(pad);
                out.write("\"}\n".getBytes(StandardCharsets.US_ASCII));
                bytes += head.length + pad.length + 3;
                rows++;
            }
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "--enable-native-access=ALL-UNNAMED",
                "-Dclickpipes.chdb.lib=" + System.getProperty("clickpipes.chdb.lib"),
                "-cp", System.getProperty("java.class.path"), Child.class.getName(), file.toUri().toString()));
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(20, TimeUnit.MINUTES)).isTrue();
        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output).contains("rows=" + rows + " sum=" + (rows * (rows - 1) / 2));
        System.out.println("big object: " + Files.size(file) + " bytes, " + rows + " rows, -Xmx256m: "
                + output.lines().filter(l -> l.startsWith("loaded in")).findFirst().orElse(""));
    }

    /** The child JVM: loads the object into the embedded engine, prints count and checksum. */
    public static final class Child {
        private Child() {
        }

        /** Runs the load. */
        public static void main(String[] args) throws Exception {
            EmbeddedClickHouse ch = EmbeddedClickHouse.shared();
            ch.query("CREATE DATABASE IF NOT EXISTS big");
            ch.query("CREATE TABLE big.t (id UInt64) ENGINE = MergeTree ORDER BY tuple()");
            ObjectStoreSource source = ObjectStoreSource.builder().url(args[0]).build();
            long start = System.nanoTime();
            Pipe.builder().name("big").source(source).decoder(source.decoder())
                    .sink(ClickHouseSink.builder().transport(ch).table("big.t").build()).build().run();
            double s = (System.nanoTime() - start) / 1e9;
            long rows = ch.queryLong("SELECT count() FROM big.t");
            System.out.printf("loaded in %.1f s, %.0f rows/s, max heap %d MB%n", s, rows / s,
                    Runtime.getRuntime().maxMemory() >> 20);
            System.out.println("rows=" + rows + " sum=" + ch.queryLong("SELECT sum(id) FROM big.t"));
            System.exit(0);
        }
    }
}
