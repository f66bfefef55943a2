package dev.clickpipes.clickhouse.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clickpipes.clickhouse.ClickHouseException;
import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.core.Batching;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.core.PipeMetrics;
import dev.clickpipes.format.Decoders;
import dev.clickpipes.source.memory.MemorySource;
import dev.clickpipes.testservices.ByteCountingProxy;
import dev.clickpipes.testservices.ChdbServerProcess;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compressed insert bodies against both real servers here: Debian's ClickHouse 18.16 and the 26.5
 * engine behind ChdbHttpServer, each reached through a {@link ByteCountingProxy}. Every row
 * arrives (count, sum and distinct values against what was sent), bodies over one block (1 MiB)
 * included, with a fraction of the bytes on the wire; a damaged body is refused with nothing
 * inserted; a server that refuses compressed bodies gets them uncompressed, every row still in.
 */
class CompressedInsertTest {

    private static ClickHouseServerProcess old;
    private static ChdbServerProcess chdb;
    private static ChdbServerProcess refusing;
    private static ByteCountingProxy oldProxy;
    private static ByteCountingProxy chdbProxy;

    @BeforeAll
    static void start() {
        old = new ClickHouseServerProcess(20801, 20802);
        old.start();
        chdb = ChdbServerProcess.builder().port(20803).start();
        oldProxy = ByteCountingProxy.start(20804, "127.0.0.1", 20801);
        chdbProxy = ByteCountingProxy.start(20805, "127.0.0.1", 20803);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {oldProxy, chdbProxy, old, chdb, refusing}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    // the next one still closes
                }
            }
        }
    }

    private static ByteCountingProxy proxy(String server) {
        return server.equals("18.16") ? oldProxy : chdbProxy;
    }

    static List<Arguments> serversAndCodecs() {
        List<Arguments> out = new ArrayList<>();
        for (String server : new String[] {"18.16", "26.5"}) {
            for (InsertCompression c : InsertCompression.values()) {
                out.add(Arguments.of(server, c));
            }
        }
        return out;
    }

    private static HttpTransport transport(String server, InsertCompression codec) {
        return server.equals("18.16")
                ? HttpTransport.builder().endpoint(oldProxy.httpEndpoint()).credentials(ClickHouseServerProcess.USER,
                        ClickHouseServerProcess.PASSWORD).compression(codec).build()
                : HttpTransport.builder().endpoint(chdbProxy.httpEndpoint()).credentials(chdb.user(), chdb.password())
                        .compression(codec).build();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("serversAndCodecs")
    void everyRowArrivesThroughAPipe(String server, InsertCompression codec) throws Exception {
        String table = "compressed_" + server.replace('.', '_') + "_" + codec;
        int rows = 60_000; // ~2.5 MB Native blocks of 30 000 rows: three 1 MiB blocks each
        try (HttpTransport t = transport(server, codec)) {
            createTable(t, table);
            runPipe(t, table, rows);
            assertThat(t.query("SELECT count(), sum(id), uniqExact(name), uniqExact(tag) FROM " + table).strip())
                    .isEqualTo(expected(rows));
            assertThat(t.compression()).isEqualTo(codec); // the server took them compressed
            t.query("DROP TABLE " + table);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("serverNames")
    void compressedBodiesTakeAFractionOfTheBytesOnTheWire(String server) throws Exception {
        long[] wire = new long[InsertCompression.values().length];
        for (InsertCompression codec : InsertCompression.values()) {
            String table = "wire_" + server.replace('.', '_') + "_" + codec;
            try (HttpTransport t = transport(server, codec)) {
                createTable(t, table);
                proxy(server).reset();
                runPipe(t, table, 60_000);
                wire[codec.ordinal()] = proxy(server).upstreamBytes();
                assertThat(t.query("SELECT count(), sum(id), uniqExact(name), uniqExact(tag) FROM " + table).strip())
                        .isEqualTo(expected(60_000));
                t.query("DROP TABLE " + table);
            }
        }
        // Everything the pipe sent, requests and headers included: its reads of system tables too.
        long none = wire[InsertCompression.NONE.ordinal()];
        assertThat(wire[InsertCompression.LZ4.ordinal()]).as("LZ4 vs %d uncompressed", none).isLessThan(none / 2);
        assertThat(wire[InsertCompression.ZSTD.ordinal()]).as("ZSTD vs LZ4")
                .isLessThan(wire[InsertCompression.LZ4.ordinal()]);
    }

    static List<String> serverNames() {
        return List.of("18.16", "26.5");
    }

    @Test
    void aServerThatRefusesCompressedBodiesGetsThemUncompressed() throws Exception {
        refusing = ChdbServerProcess.builder().port(20806).refuseCompressedBodies(true).start();
        try (HttpTransport t = HttpTransport.builder().endpoint(refusing.endpoint())
                .credentials(refusing.user(), refusing.password()).build()) {
            assertThat(t.compression()).isEqualTo(InsertCompression.ZSTD); // the default
            createTable(t, "refused");
            PipeMetrics m = runPipe(t, "refused", 60_000);
            assertThat(t.query("SELECT count(), sum(id), uniqExact(name), uniqExact(tag) FROM refused").strip())
                    .isEqualTo(expected(60_000));
            assertThat(m.errorRows()).isZero();
            assertThat(m.insertRetries()).isZero(); // the transport resent the refused body itself
            assertThat(t.compression()).isEqualTo(InsertCompression.NONE);
        } finally {
            refusing.close();
            refusing = null;
        }
    }

    private static void createTable(HttpTransport t, String table) throws ClickHouseException {
        t.query("DROP TABLE IF EXISTS " + table);
        t.query("CREATE TABLE " + table + " (id UInt64, name String, tag String) ENGINE = MergeTree ORDER BY id");
    }

    /** {@code rows} records through a pipe into {@code table}, in batches of 30 000. */
    private static PipeMetrics runPipe(HttpTransport t, String table, int rows) throws Exception {
        List<String> records = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            records.add("{\"id\":" + i + ",\"name\":\"user-" + (i * 7919L % 100_003) + "\",\"tag\":\"t" + (i % 17) + "\"}");
        }
        Pipe pipe = Pipe.builder().name("compressed").source(MemorySource.of(records)).decoder(Decoders.json())
                .sink(ClickHouseSink.builder().transport(t).table(table).discardRejectedRecords().build())
                .batching(Batching.builder().maxRows(30_000).build()).build();
        pipe.run();
        return pipe.completion().get();
    }

    /** count, sum(id), uniqExact(name), uniqExact(tag) of {@link #runPipe}'s records. */
    private static String expected(int rows) {
        long sum = (long) rows * (rows - 1) / 2;
        return rows + "\t" + sum + "\t" + uniqueNames(rows) + "\t17";
    }

    private static long uniqueNames(int rows) {
        return java.util.stream.LongStream.range(0, rows).map(i -> i * 7919L % 100_003).distinct().count();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void aDamagedBodyIsRefusedWithNothingInserted(String server, String endpoint, String user, String password)
            throws Exception {
        String table = "damaged_" + server.replace('.', '_');
        try (HttpTransport t = transport(server, InsertCompression.NONE)) {
            t.query("DROP TABLE IF EXISTS " + table);
            t.query("CREATE TABLE " + table + " (line String) ENGINE = MergeTree ORDER BY line");
            byte[] tsv = "a\nb\nc\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
            ByteArrayOutputStream framed = new ByteArrayOutputStream();
            try (CompressedBody c = new CompressedBody(InsertCompression.LZ4)) {
                c.writeTo(tsv, tsv.length, framed);
            }
            byte[] body = framed.toByteArray();
            int[] n = {body.length};
            body[n[0] - 3] ^= 0x5A; // one bit pattern flipped in the data
            HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint + "/?decompress=1&query="
                            + java.net.URLEncoder.encode("INSERT INTO " + table + " FORMAT TabSeparated", StandardCharsets.UTF_8)))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                            .getBytes(StandardCharsets.UTF_8)))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body, 0, n[0])).build();
            HttpResponse<String> r = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(500);
            assertThat(r.body()).contains("Code: 40"); // CHECKSUM_DOESNT_MATCH
            assertThat(t.query("SELECT count() FROM " + table).strip()).isEqualTo("0");
            // The same body undamaged goes in.
            body[n[0] - 3] ^= 0x5A;
            t.insert("INSERT INTO " + table + " FORMAT TabSeparated", Map.of(), tsv, tsv.length);
            assertThat(t.query("SELECT count() FROM " + table).strip()).isEqualTo("3000");
            t.query("DROP TABLE " + table);
        }
    }

    static List<Arguments> servers() {
        return List.of(Arguments.of("18.16", oldProxy.httpEndpoint(), ClickHouseServerProcess.USER,
                        ClickHouseServerProcess.PASSWORD),
                Arguments.of("26.5", chdbProxy.httpEndpoint(), chdb.user(), chdb.password()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void rolesNeedAServerThatHasThem(String server, String endpoint, String user, String password) {
        try (HttpTransport t = HttpTransport.builder().endpoint(endpoint).credentials(user, password).roles("pipe_role").build()) {
            assertThatThrownBy(() -> t.query("SELECT 1")).isInstanceOf(ClickHouseException.class)
                    .hasMessageContaining(server.equals("18.16") ? "Unknown setting role" : "roles (role=pipe_role)");
        }
    }
}
