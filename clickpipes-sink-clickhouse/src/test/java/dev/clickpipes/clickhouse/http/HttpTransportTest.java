package dev.clickpipes.clickhouse.http;

import static dev.clickpipes.clickhouse.http.ClickHouseServerProcess.PASSWORD;
import static dev.clickpipes.clickhouse.http.ClickHouseServerProcess.USER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.clickpipes.clickhouse.ClickHouseException;
import dev.clickpipes.core.spi.SinkException.Kind;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link HttpTransport} against a real ClickHouse server (Debian's 18.16) on loopback. */
class HttpTransportTest {

    private static final int HTTP_PORT = 18120;
    private static final int HTTPS_PORT = 18121;
    private static final int TCP_PORT = 18130;

    @TempDir
    static Path certDir;

    private static ClickHouseServerProcess server;
    private static TestCertificates certs;
    private static HttpTransport transport;

    @BeforeAll
    static void startServer() throws Exception {
        certs = TestCertificates.create(certDir);
        server = new ClickHouseServerProcess(HTTP_PORT, TCP_PORT)
                .https(HTTPS_PORT, certs.serverCertificatePem(), certs.serverKeyPem());
        server.start();
        transport = transportFor(server.httpUrl(), USER, PASSWORD);
    }

    @AfterAll
    static void stopServer() {
        if (transport != null) {
            transport.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static HttpTransport transportFor(String endpoint, String user, String password) {
        return HttpTransport.builder()
                .endpoint(endpoint)
                .credentials(user, password)
                .connectTimeout(Duration.ofSeconds(2))
                .socketTimeout(Duration.ofSeconds(30))
                .build();
    }

    @Test
    void insertsAHandBuiltNativeBlockAndReadsItBack() throws Exception {
        transport.query("CREATE TABLE native_rt (a UInt32, b String, n Nullable(String))"
                + " ENGINE = MergeTree ORDER BY a");
        byte[] block = new NativeBlock(3)
                .column("a", "UInt32", out -> {
                    out.uint32(1);
                    out.uint32(2);
                    out.uint32(4_000_000_000L);
                })
                .column("b", "String", out -> {
                    out.string("one");
                    out.string("");
                    out.string("drei \u00fc\ttab");
                })
                .column("n", "Nullable(String)", out -> {
                    out.bytes(0, 1, 0); // null map: the second row is NULL
                    out.string("x");
                    out.string(""); // a value is still written under a NULL
                    out.string("z");
                })
                .toBytes();
        // A length shorter than the array: only body[0, length) is sent.
        byte[] padded = new byte[block.length + 16];
        System.arraycopy(block, 0, padded, 0, block.length);

        transport.insert("INSERT INTO native_rt (a, b, n) FORMAT Native", padded, block.length);

        assertThat(transport.query("SELECT a, b, n FROM native_rt ORDER BY a"))
                .isEqualTo("1\tone\tx\n2\t\t\\N\n4000000000\tdrei \u00fc\\ttab\tz\n");
    }

    @Test
    void aColumnLeftOutOfTheInsertTakesItsDefault() throws Exception {
        transport.query("CREATE TABLE with_default (a UInt32, b String, c UInt32 DEFAULT a * 10,"
                + " d String DEFAULT concat('d-', b)) ENGINE = MergeTree ORDER BY a");
        byte[] block = new NativeBlock(2)
                .column("a", "UInt32", out -> {
                    out.uint32(7);
                    out.uint32(8);
                })
                .column("b", "String", out -> {
                    out.string("x");
                    out.string("y");
                })
                .toBytes();

        transport.insert("INSERT INTO with_default (a, b) FORMAT Native", block, block.length);

        assertThat(transport.query("SELECT a, b, c, d FROM with_default ORDER BY a"))
                .isEqualTo("7\tx\t70\td-x\n8\ty\t80\td-y\n");
    }

    @Test
    void theUserWithTheRightPasswordIsTheOneRunningTheQueries() throws Exception {
        // 18.16 has neither currentUser() nor user(); a query sees itself in system.processes.
        assertThat(transport.query("SELECT user FROM system.processes WHERE query LIKE '%whoami-marker%'"))
                .isEqualTo(USER + "\n");
        try (HttpTransport asDefault = transportFor(server.httpUrl(), "default", "")) {
            assertThat(asDefault.query("SELECT 1")).isEqualTo("1\n");
        }
    }

    @Test
    void aWrongPasswordIsFatalAndCarriesTheServersTextButNotThePassword() {
        String wrong = "not-the-password-42";
        try (HttpTransport bad = transportFor(server.httpUrl(), USER, wrong)) {
            ClickHouseException e = catchThrowableOfType(ClickHouseException.class,
                    () -> bad.query("SELECT 1"));
            assertThat(e.kind()).isEqualTo(Kind.FATAL);
            assertThat(e.code()).isEqualTo(193);
            assertThat(e.getMessage())
                    .contains("Wrong password for user clickpipes")
                    .contains(server.httpUrl())
                    .doesNotContain(wrong);

            ClickHouseException onInsert = catchThrowableOfType(ClickHouseException.class,
                    () -> bad.insert("INSERT INTO with_default (a, b) FORMAT Native", new byte[0], 0));
            assertThat(onInsert.kind()).isEqualTo(Kind.FATAL);
            assertThat(onInsert.getMessage()).doesNotContain(wrong);
            assertThat(bad.toString()).doesNotContain(wrong);
            assertThat(bad.describe()).doesNotContain(wrong).doesNotContain(USER);
        }
        assertThat(transport.toString()).doesNotContain(PASSWORD);
        assertThat(transport.describe())
                .isEqualTo("ClickHouse at " + server.httpUrl() + " (database default)");
    }

    @Test
    void anUnknownTableIsCode60AndFatal() {
        byte[] block = new NativeBlock(1).column("a", "UInt32", out -> out.uint32(1)).toBytes();

        ClickHouseException onInsert = catchThrowableOfType(ClickHouseException.class,
                () -> transport.insert("INSERT INTO nope (a) FORMAT Native", block, block.length));
        ClickHouseException onQuery = catchThrowableOfType(ClickHouseException.class,
                () -> transport.query("SELECT * FROM nope"));

        for (ClickHouseException e : List.of(onInsert, onQuery)) {
            assertThat(e.code()).isEqualTo(60);
            assertThat(e.kind()).isEqualTo(Kind.FATAL);
            assertThat(e.getMessage()).contains("DB::Exception: Table default.nope doesn't exist");
        }
    }

    @Test
    void aBlockTheServerCannotReadIsNeverADataError() throws Exception {
        // Neither failure is about one row: every row of a block shares its type names, and a block
        // shorter than it says is what a body cut short on the way looks like. Splitting either
        // would file good records, so the type is FATAL and the short block is sent again.
        transport.query("CREATE TABLE bad_blocks (a UInt32, b String) ENGINE = MergeTree ORDER BY a");
        byte[] unknownType = new NativeBlock(1)
                .column("a", "NoSuchType", out -> out.uint32(1))
                .toBytes();
        byte[] truncated = new NativeBlock(2)
                .column("a", "UInt32", out -> out.uint32(1)) // one value for two rows
                .toBytes();

        ClickHouseException e1 = catchThrowableOfType(ClickHouseException.class,
                () -> transport.insert("INSERT INTO bad_blocks (a) FORMAT Native", unknownType, unknownType.length));
        ClickHouseException e2 = catchThrowableOfType(ClickHouseException.class,
                () -> transport.insert("INSERT INTO bad_blocks (a) FORMAT Native", truncated, truncated.length));

        assertThat(e1.code()).isEqualTo(50); // UNKNOWN_TYPE
        assertThat(e1.getMessage()).contains("Unknown data type family: NoSuchType");
        assertThat(e2.code()).isEqualTo(33); // CANNOT_READ_ALL_DATA
        assertThat(e1.kind()).isEqualTo(Kind.FATAL);
        assertThat(e2.kind()).isEqualTo(Kind.RETRYABLE);
        assertThat(transport.query("SELECT count() FROM bad_blocks")).isEqualTo("0\n");
    }

    @Test
    void anErrorWhileTheResultStreamsIsReportedNotTruncated() {
        // Without wait_end_of_query the server would have sent 200 and part of the rows.
        ClickHouseException e = catchThrowableOfType(ClickHouseException.class,
                () -> transport.query("SELECT throwIf(number = 500000) FROM system.numbers LIMIT 1000000"));
        assertThat(e.code()).isEqualTo(395);
        assertThat(e.getMessage()).contains("Value passed to 'throwIf' function is non zero");
    }

    @Test
    void aStoppedServerIsRetryableAndTheSameTransportWorksAfterRestart() throws Exception {
        transport.query("CREATE TABLE survives_restart (a UInt32) ENGINE = MergeTree ORDER BY a");
        byte[] block = new NativeBlock(1).column("a", "UInt32", out -> out.uint32(5)).toBytes();
        transport.insert("INSERT INTO survives_restart (a) FORMAT Native", block, block.length);

        server.stop();
        try {
            ClickHouseException down = catchThrowableOfType(ClickHouseException.class,
                    () -> transport.insert("INSERT INTO survives_restart (a) FORMAT Native", block, block.length));
            assertThat(down.kind()).isEqualTo(Kind.RETRYABLE);
            assertThat(down.getMessage()).contains(server.httpUrl()).doesNotContain(PASSWORD);
            ClickHouseException downQuery = catchThrowableOfType(ClickHouseException.class,
                    () -> transport.query("SELECT 1"));
            assertThat(downQuery.kind()).isEqualTo(Kind.RETRYABLE);
        } finally {
            server.start();
        }

        transport.insert("INSERT INTO survives_restart (a) FORMAT Native", block, block.length);
        assertThat(transport.query("SELECT a, count() FROM survives_restart GROUP BY a")).isEqualTo("5\t2\n");
    }

    @Test
    void aConnectionTheServerClosedWhileIdleIsNotReused() throws Exception {
        // The harness sets keep_alive_timeout to 2 s: after 2.5 s idle the server has closed
        // the pooled connection, and sending on it would fail with "no response".
        assertThat(transport.query("SELECT 1")).isEqualTo("1\n");
        Thread.sleep(2_500);
        assertThat(transport.query("SELECT 2")).isEqualTo("2\n");
    }

    @Test
    void aSocketTimeoutIsRetryable() {
        try (HttpTransport impatient = HttpTransport.builder().endpoint(server.httpUrl())
                .credentials(USER, PASSWORD).socketTimeout(Duration.ofMillis(500)).build()) {
            ClickHouseException e = catchThrowableOfType(ClickHouseException.class,
                    () -> impatient.query("SELECT sleep(2)"));
            assertThat(e.kind()).isEqualTo(Kind.RETRYABLE);
            assertThat(e.getMessage()).containsIgnoringCase("timeout");
        }
    }

    @Test
    void anUnusedPortIsRetryable() {
        try (HttpTransport nowhere = transportFor("http://127.0.0.1:18129", USER, PASSWORD)) {
            ClickHouseException e = catchThrowableOfType(ClickHouseException.class,
                    () -> nowhere.query("SELECT 1"));
            assertThat(e.kind()).isEqualTo(Kind.RETRYABLE);
            assertThat(e.code()).isZero();
            assertThat(e.getMessage()).contains("127.0.0.1:18129 (database default) is unreachable");
        }
    }

    @Test
    void httpsWithTheTestCaAsPemOrTrustStore() throws Exception {
        try (HttpTransport pem = HttpTransport.builder().endpoint(server.httpsUrl())
                .credentials(USER, PASSWORD).caCertificatePem(certs.caPem()).build()) {
            assertThat(pem.query("SELECT 42")).isEqualTo("42\n");
        }
        try (HttpTransport store = HttpTransport.builder().endpoint(server.httpsUrl())
                .credentials(USER, PASSWORD)
                .trustStore(certs.trustStore(), TestCertificates.STORE_PASSWORD.toCharArray()).build()) {
            byte[] block = new NativeBlock(1).column("a", "UInt32", out -> out.uint32(9)).toBytes();
            store.query("CREATE TABLE over_tls (a UInt32) ENGINE = MergeTree ORDER BY a");
            store.insert("INSERT INTO over_tls (a) FORMAT Native", block, block.length);
            assertThat(store.query("SELECT a FROM over_tls")).isEqualTo("9\n");
        }
    }

    @Test
    void httpsWithACertificateTheJvmDoesNotTrustIsFatal() {
        try (HttpTransport untrusted = transportFor(server.httpsUrl(), USER, PASSWORD)) {
            ClickHouseException e = catchThrowableOfType(ClickHouseException.class,
                    () -> untrusted.query("SELECT 1"));
            assertThat(e.kind()).isEqualTo(Kind.FATAL);
            assertThat(e.getMessage()).contains("TLS handshake failed").contains(".caCertificatePem");
        }
    }

    @Test
    void theBuilderNamesTheFieldThatIsWrong() throws Exception {
        assertThatThrownBy(() -> HttpTransport.builder().credentials("u", "p").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("endpoint");
        assertThatThrownBy(() -> HttpTransport.builder().endpoint("ftp://h:1").credentials("u", "p").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("endpoint must start with http");
        assertThatThrownBy(() -> HttpTransport.builder().endpoint("http://127.0.0.1:8123").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("user");
        assertThatThrownBy(() -> HttpTransport.builder().endpoint("http://127.0.0.1:8123")
                .credentials(" ", "p").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("user");
        assertThatThrownBy(() -> HttpTransport.builder().endpoint("http://u:hunter2@127.0.0.1:8123")
                .credentials("u", "p").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("credentials").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> HttpTransport.builder().endpoint("http://127.0.0.1:8123")
                .credentials("u", "p").socketTimeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("socketTimeout");
        assertThatThrownBy(() -> HttpTransport.builder().endpoint("http://127.0.0.1:8123")
                .credentials("u", "p").caCertificatePem(certs.caPem()).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("caCertificatePem");
        assertThatThrownBy(() -> HttpTransport.builder().endpoint("https://127.0.0.1:8443")
                .credentials("u", "p").caCertificatePem(Path.of("/nonexistent.pem")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("caCertificatePem");
        try (HttpTransport t = HttpTransport.builder().endpoint("https://example.test")
                .credentials("u", "secret").database("analytics").build()) {
            assertThat(t.describe()).isEqualTo("ClickHouse at https://example.test:8443 (database analytics)");
        }
    }

    @Test
    void insertSqlIsTakenApartForClientV2() {
        var p = HttpTransport.ParsedInsert.parse("INSERT INTO db.t (a, `b,c`, \"d\") FORMAT Native");
        assertThat(p.table()).isEqualTo("db.t");
        assertThat(p.columns()).containsExactly("a", "`b,c`", "\"d\"");
        assertThat(p.format().name()).isEqualTo("Native");
        var noColumns = HttpTransport.ParsedInsert.parse("insert into `my table` format RowBinary");
        assertThat(noColumns.table()).isEqualTo("`my table`");
        assertThat(noColumns.columns()).isNull();
        assertThatThrownBy(() -> HttpTransport.ParsedInsert.parse("INSERT INTO t VALUES (1)"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("FORMAT");
        assertThatThrownBy(() -> HttpTransport.ParsedInsert.parse("INSERT INTO t FORMAT Nope"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Nope");
    }

    @Test
    void aClosedTransportRefusesCalls() {
        HttpTransport t = transportFor(server.httpUrl(), USER, PASSWORD);
        t.close();
        t.close();
        assertThatThrownBy(() -> t.query("SELECT 1")).isInstanceOf(IllegalStateException.class);
    }

    /**
     * A Native block as the HTTP interface reads it with no protocol revision: column count, row
     * count, then per column its name, its type name and its data.
     */
    static final class NativeBlock {
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
        private final int rows;
        private final List<byte[]> columns = new ArrayList<>();

        NativeBlock(int rows) {
            this.rows = rows;
        }

        NativeBlock column(String name, String type, Consumer<Out> data) {
            Out out = new Out();
            out.string(name);
            out.string(type);
            data.accept(out);
            columns.add(out.buf.toByteArray());
            return this;
        }

        byte[] toBytes() {
            Out head = new Out();
            head.varuint(columns.size());
            head.varuint(rows);
            buf.writeBytes(head.buf.toByteArray());
            columns.forEach(buf::writeBytes);
            return buf.toByteArray();
        }

        /** Little-endian writers for the values of one column. */
        static final class Out {
            final ByteArrayOutputStream buf = new ByteArrayOutputStream();

            void varuint(long v) {
                while ((v & ~0x7FL) != 0) {
                    buf.write((int) ((v & 0x7F) | 0x80));
                    v >>>= 7;
                }
                buf.write((int) v);
            }

            void uint32(long v) {
                for (int i = 0; i < 4; i++) {
                    buf.write((int) (v >>> (8 * i)) & 0xFF);
                }
            }

            void string(String s) {
                byte[] b = s.getBytes(StandardCharsets.UTF_8);
                varuint(b.length);
                buf.writeBytes(b);
            }

            void bytes(int... values) {
                for (int v : values) {
                    buf.write(v);
                }
            }
        }
    }
}
