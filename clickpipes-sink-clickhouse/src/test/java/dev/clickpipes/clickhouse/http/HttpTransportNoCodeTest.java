package dev.clickpipes.clickhouse.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import dev.clickpipes.clickhouse.ClickHouseException;
import dev.clickpipes.core.spi.SinkException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Failures of {@link HttpTransport} that carry no ClickHouse code (a proxy's own answer, a response
 * cut off by a reset): never {@link Kind#DATA}, since nothing says ClickHouse refused a row. Real
 * HTTP servers on loopback stand where a proxy would.
 */
class HttpTransportNoCodeTest {

    private static final int PROXY_PORT = 20110;
    private static final int RESET_PORT = 20111;
    private static final byte[] BODY = {1, 1, 1, 'a', 6, 'U', 'I', 'n', 't', '8', 7};

    @Test
    void aProxysStatusWithoutACodeIsClassifiedByTheStatusAndNeverData() throws Exception {
        AtomicReference<Integer> status = new AtomicReference<>();
        HttpServer proxy = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), PROXY_PORT), 0);
        proxy.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] page = ("<html>" + status.get() + " from the proxy</html>").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status.get(), page.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(page);
            }
        });
        proxy.start();
        try (HttpTransport transport = transport(PROXY_PORT)) {
            for (int[] expected : new int[][] {
                    {400, Kind.RETRYABLE.ordinal()}, {500, Kind.RETRYABLE.ordinal()},
                    {502, Kind.RETRYABLE.ordinal()}, {503, Kind.RETRYABLE.ordinal()},
                    {429, Kind.RETRYABLE.ordinal()}, {413, Kind.TOO_BIG.ordinal()},
                    {401, Kind.FATAL.ordinal()}, {403, Kind.FATAL.ordinal()}}) {
                status.set(expected[0]);
                ClickHouseException e = catchThrowableOfType(ClickHouseException.class,
                        () -> transport.insert("INSERT INTO t (a) FORMAT Native", BODY, BODY.length));
                assertThat(e).as("HTTP %d", expected[0]).isNotNull();
                assertThat(e.kind()).as("HTTP %d: %s", expected[0], e.getMessage())
                        .isEqualTo(Kind.values()[expected[1]]);
                assertThat(e.code()).isZero();
                assertThat(e.getMessage()).contains("HTTP " + expected[0]);
            }
        } finally {
            proxy.stop(0);
        }
    }

    @Test
    void anErrorResponseCutOffMidBodyIsRetryableEvenWithADataCodeInItsHeader() throws Exception {
        // A 400 whose header names CANNOT_PARSE_TEXT, but whose body never arrives: a reset, not a
        // readable refusal, so the batch is sent again rather than split and filed.
        String head = "HTTP/1.1 400 Bad Request\r\nX-ClickHouse-Exception-Code: 6\r\n"
                + "Content-Type: text/plain\r\nContent-Length: 4000\r\n\r\nCode: 6. DB::Ex";
        try (CuttingServer server = new CuttingServer(RESET_PORT, head); HttpTransport transport = transport(RESET_PORT)) {
            ClickHouseException e = catchThrowableOfType(ClickHouseException.class,
                    () -> transport.insert("INSERT INTO t (a) FORMAT Native", BODY, BODY.length));
            assertThat(e).isNotNull();
            assertThat(e.kind()).as(e.getMessage()).isEqualTo(Kind.RETRYABLE);
        }
    }

    @Test
    void aResultCutOffMidBodyIsRetryable() throws Exception {
        String head = "HTTP/1.1 200 OK\r\nContent-Type: text/tab-separated-values\r\n"
                + "Content-Length: 4000\r\n\r\n1\n2\n3\n";
        try (CuttingServer server = new CuttingServer(RESET_PORT, head); HttpTransport transport = transport(RESET_PORT)) {
            ClickHouseException e = catchThrowableOfType(ClickHouseException.class,
                    () -> transport.query("SELECT number FROM system.numbers LIMIT 1000"));
            assertThat(e).isNotNull();
            assertThat(e.kind()).as(e.getMessage()).isEqualTo(Kind.RETRYABLE);
        }
    }

    private static HttpTransport transport(int port) {
        return HttpTransport.builder()
                .endpoint("http://127.0.0.1:" + port)
                .credentials("default", "")
                .connectTimeout(Duration.ofSeconds(2))
                .socketTimeout(Duration.ofSeconds(10))
                .build();
    }

    /** Answers every connection with {@code head} (promising more than it sends), then resets it. */
    private static final class CuttingServer implements AutoCloseable {

        private final ServerSocket socket;
        private final Thread thread;

        CuttingServer(int port, String head) throws IOException {
            socket = new ServerSocket(port, 10, InetAddress.getLoopbackAddress());
            thread = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (Socket s = socket.accept()) {
                        readRequest(s.getInputStream());
                        s.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
                        s.getOutputStream().flush();
                        s.setSoLinger(true, 0); // close with a reset, mid-body
                    } catch (IOException e) {
                        // closed by close(), or the client went away: next connection
                    }
                }
            }, "cutting-server");
            thread.setDaemon(true);
            thread.start();
        }

        /** Reads the request head and a body of its Content-Length, so the reply comes after it. */
        private static void readRequest(InputStream in) throws IOException {
            StringBuilder headers = new StringBuilder();
            while (!headers.toString().endsWith("\r\n\r\n")) {
                int c = in.read();
                if (c < 0) {
                    return;
                }
                headers.append((char) c);
            }
            String h = headers.toString().toLowerCase();
            int at = h.indexOf("content-length:");
            if (at >= 0) {
                long length = Long.parseLong(h.substring(at + 15, h.indexOf("\r\n", at)).strip());
                in.readNBytes((int) length);
            } else if (h.contains("transfer-encoding: chunked")) {
                // Chunked: read up to the terminating zero-length chunk.
                StringBuilder tail = new StringBuilder();
                while (!tail.toString().endsWith("0\r\n\r\n")) {
                    int c = in.read();
                    if (c < 0) {
                        return;
                    }
                    tail.append((char) c);
                    if (tail.length() > 16) {
                        tail.delete(0, tail.length() - 16);
                    }
                }
            }
        }

        @Override
        public void close() throws Exception {
            socket.close();
            thread.join(2000);
        }
    }
}
