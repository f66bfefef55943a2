package dev.clickpipes.testservices;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The chDB HTTP server in a child JVM, spoken to over plain HTTP as ClickHouse clients do. */
class ChdbServerProcessTest {

    private static final int PORT = 20020;
    private static ChdbServerProcess server;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        server = ChdbServerProcess.builder().port(PORT).start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static HttpResponse<String> post(String params, String body, String user, String password) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(server.endpoint() + "/" + params))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (user != null) {
            r.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder authorized(String params) {
        return HttpRequest.newBuilder(URI.create(server.endpoint() + "/" + params)).header("Authorization", "Basic "
                + Base64.getEncoder().encodeToString((server.user() + ":" + server.password()).getBytes(StandardCharsets.UTF_8)));
    }

    private static HttpResponse<String> post(String params, String body) throws Exception {
        return post(params, body, server.user(), server.password());
    }

    private static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void answersQueriesWithTheHeadersClientsRead() throws Exception {
        HttpResponse<String> r = post("?query_id=abc", "SELECT version(), 1 + 1");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).startsWith("26.").endsWith("\t2\n");
        assertThat(r.headers().firstValue("X-ClickHouse-Query-Id")).hasValue("abc");
        assertThat(r.headers().firstValue("X-ClickHouse-Format")).hasValue("TabSeparated");
        assertThat(r.headers().firstValue("X-ClickHouse-Timezone")).isPresent();
        assertThat(r.headers().firstValue("X-ClickHouse-Summary")).get().asString().contains("elapsed_ns");
    }

    @Test
    void urlParametersAreSettingsAndDefaultFormatIsTheOutputFormat() throws Exception {
        HttpResponse<String> r = post("?max_threads=3&default_format=JSONEachRow",
                "SELECT value FROM system.settings WHERE name = 'max_threads'");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("3").startsWith("{");
    }

    @Test
    void errorsCarryTheCodeInHeaderAndBody() throws Exception {
        HttpResponse<String> r = post("", "SELECT * FROM no_such_table");
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("60");
        assertThat(r.body()).startsWith("Code: 60. DB::Exception: ");
    }

    @Test
    void aWrongPasswordIsRefused() throws Exception {
        HttpResponse<String> r = post("", "SELECT 1", server.user(), "wrong");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("516");
        assertThat(r.body()).contains("password");
        assertThat(post("", "SELECT 1", null, null).statusCode()).as("no credentials is user default").isEqualTo(403);
    }

    @Test
    void insertsTakeTheBodyAsDataInTheGivenDatabase() throws Exception {
        assertThat(post("", "CREATE DATABASE IF NOT EXISTS http_t").statusCode()).isEqualTo(200);
        assertThat(post("?database=http_t", "CREATE TABLE t (id UInt32, s String) ENGINE = MergeTree ORDER BY id")
                .statusCode()).isEqualTo(200);
        HttpResponse<String> r = post("?database=http_t&query=" + q("INSERT INTO t FORMAT JSONEachRow"),
                "{\"id\":1,\"s\":\"a\"}\n\n{\"id\":2,\"s\":\"b\"}\n");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(post("?database=http_t", "SELECT count(), sum(id) FROM t").body()).isEqualTo("2\t3\n");
        assertThat(post("", "SELECT currentDatabase()").body()).as("no database parameter: default").isEqualTo("default\n");
    }

    @Test
    void aKilledServerRestartsOnItsDataAndCloseDeletesIt() throws Exception {
        java.nio.file.Path data;
        try (ChdbServerProcess own = ChdbServerProcess.builder().port(PORT + 6).start()) {
            HttpSql sql = new HttpSql(own);
            sql.query("CREATE TABLE default.kept (x UInt8) ENGINE = MergeTree ORDER BY x");
            sql.query("INSERT INTO default.kept VALUES (1), (2)");
            long pid = own.pid();
            own.kill();
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            own.restart();
            assertThat(own.pid()).isNotEqualTo(pid);
            assertThat(sql.query("SELECT count() FROM default.kept")).isEqualTo("2\n");
            data = own.dataDir();
        }
        assertThat(data).doesNotExist();
    }

    @Test
    void bodiesThatAreNotClickHouseCompressedAreRefusedNotMisread() throws Exception {
        // decompress=1 with a plain body: the server's CANNOT_DECOMPRESS, never the text run as SQL.
        HttpResponse<String> r = post("?decompress=1", "SELECT 1");
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body()).startsWith("Code: 271.");
        byte[] block = new byte[16 + 9 + 8]; // a stored (method 0x02) block of "SELECT 1" with a zero checksum
        block[16] = 0x02;
        block[17] = 9 + 8;
        block[21] = 8;
        System.arraycopy("SELECT 1".getBytes(StandardCharsets.US_ASCII), 0, block, 25, 8);
        HttpResponse<String> forged = HTTP.send(authorized("?decompress=1")
                .POST(HttpRequest.BodyPublishers.ofByteArray(block)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(forged.body()).as("a block whose checksum does not match").startsWith("Code: 40.");
        HttpResponse<String> http = HTTP.send(authorized("").header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofString("SELECT 1")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(http.body()).startsWith("Code: 48.");
    }
}
