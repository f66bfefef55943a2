package dev.clickpipes.source.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clickpipes.testkit.EmbeddedClickHouse;
import dev.clickpipes.testkit.TestDatabase;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/**
 * Objects built to take the JVM down: a gzip bomb that is one endless line, a CSV record over the
 * cap, an xz stream declaring a 2 GiB dictionary, a truncated gzip stream. Each ends as error rows
 * (the good records around it as rows), and the pipe finishes.
 */
class HostileObjectsTest {

    static EmbeddedClickHouse clickhouse;
    static TestDatabase db;
    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        clickhouse = EmbeddedClickHouse.shared();
        db = clickhouse.newDatabase();
    }

    static String table(String name) throws Exception {
        String t = db.table(name);
        clickhouse.query("CREATE TABLE " + t + " (id UInt32, name String, v Float64, _file String, _row UInt64)"
                + " ENGINE = MergeTree ORDER BY id");
        return t;
    }

    static List<List<String>> errors(String t) throws Exception {
        return clickhouse.queryRows("SELECT error_kind, position, length(raw) FROM " + t + "_clickpipes_error ORDER BY position");
    }

    @Test
    void aGzipBombOfOneEndlessLineIsOneErrorRowAndTheNextLinesLoad() throws Exception {
        Path file = dir.resolve("bomb/bomb.ndjson.gz");
        Files.createDirectories(file.getParent());
        byte[] block = new byte[1 << 20];
        Arrays.fill(block, (byte) 'x');
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(TestPipes.events(0, 3).getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < 64; i++) {
                out.write(block); // 64 MB of one line
            }
            out.write('\n');
            out.write(TestPipes.events(3, 2).getBytes(StandardCharsets.UTF_8));
        }
        assertThat(Files.size(file)).isLessThan(200_000);
        String t = table("t_bomb");
        ObjectStoreSource source = ObjectStoreSource.builder().url(dir.toUri() + "bomb/*.gz").format(ObjectFormat.NDJSON).build();
        TestPipes.pipe("bomb", source, clickhouse, t).build().run();
        assertThat(clickhouse.queryLong("SELECT count() FROM " + t)).isEqualTo(5);
        assertThat(errors(t)).containsExactly(List.of("RECORD_TOO_LARGE", "bomb.ndjson.gz@3", "65536"));
        assertThat(clickhouse.query("SELECT message FROM " + t + "_clickpipes_error"))
                .contains("is 67108864 bytes, over maxRecordBytes (10485760)");
    }

    @Test
    void aCsvRecordOverTheCapIsAnErrorRowEvenInsideQuotes() throws Exception {
        Path file = dir.resolve("csv/a.csv");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "1,one,1.5\n2,\"" + "q".repeat(5000) + "\",2.5\n3,three,3.5\n4,\"" + "u".repeat(3000));
        String t = table("t_csvcap");
        ObjectStoreSource source = ObjectStoreSource.builder().url(dir.toUri() + "csv/*.csv").format(ObjectFormat.CSV)
                .maxRecordBytes(1000).build();
        TestPipes.pipe("csvcap", source, clickhouse, t).build().run();
        assertThat(clickhouse.queryRows("SELECT id FROM " + t + " ORDER BY id")).containsExactly(List.of("1"), List.of("3"));
        assertThat(errors(t)).containsExactly(List.of("RECORD_TOO_LARGE", "a.csv@1", "1000"),
                List.of("RECORD_TOO_LARGE", "a.csv@3", "1000"));
    }

    @Test
    void anXzStreamDeclaringAHugeDictionaryIsAnErrorRow() throws Exception {
        Path file = dir.resolve("xz/dict.ndjson.xz");
        Files.createDirectories(file.getParent());
        try (OutputStream out = new XZOutputStream(Files.newOutputStream(file), new LZMA2Options())) {
            out.write(TestPipes.events(0, 10).getBytes(StandardCharsets.UTF_8));
        }
        byte[] xz = Files.readAllBytes(file);
        int h = 12; // the block header, after the stream header
        int size = ((xz[h] & 0xff) + 1) * 4;
        assertThat(xz[h + 2]).as("LZMA2 filter").isEqualTo((byte) 0x21);
        xz[h + 4] = 37; // LZMA2's dictionary size property: 37 is 1.5 GiB, the most xz-java accepts (40 would be 4 GiB)
        CRC32 crc = new CRC32();
        crc.update(xz, h, size - 4);
        long c = crc.getValue();
        for (int i = 0; i < 4; i++) {
            xz[h + size - 4 + i] = (byte) (c >>> (8 * i));
        }
        Files.write(file, xz);
        String t = table("t_xzdict");
        ObjectStoreSource source = ObjectStoreSource.builder().url(dir.toUri() + "xz/*.xz").format(ObjectFormat.NDJSON).build();
        TestPipes.pipe("xzdict", source, clickhouse, t).build().run();
        assertThat(clickhouse.queryLong("SELECT count() FROM " + t)).isZero();
        assertThat(clickhouse.queryRows("SELECT error_kind, position FROM " + t + "_clickpipes_error"))
                .containsExactly(List.of("DATA_PARSING_ERROR", "dict.ndjson.xz@0"));
        assertThat(clickhouse.query("SELECT message FROM " + t + "_clickpipes_error")).contains("MemoryLimitException");
    }

    @Test
    void aTruncatedGzipStreamLoadsWhatCameBeforeAndEndsWithAnErrorRow() throws Exception {
        Path file = dir.resolve("trunc/t.ndjson.gz");
        LocalObjectStoreTest.write(file, TestPipes.events(0, 20_000), "gz");
        byte[] gz = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(gz, gz.length / 2));
        String t = table("t_trunc");
        ObjectStoreSource source = ObjectStoreSource.builder().url(dir.toUri() + "trunc/*.gz").format(ObjectFormat.NDJSON).build();
        TestPipes.pipe("trunc", source, clickhouse, t).build().run();
        long rows = clickhouse.queryLong("SELECT count() FROM " + t);
        assertThat(rows).isGreaterThan(1000).isLessThan(20_000);
        assertThat(clickhouse.queryLong("SELECT uniqExact(id) FROM " + t)).isEqualTo(rows);
        assertThat(clickhouse.query("SELECT message FROM " + t + "_clickpipes_error WHERE message LIKE '%gzip stream cannot be read%'"))
                .contains("the rest of the object is skipped");
    }
}
