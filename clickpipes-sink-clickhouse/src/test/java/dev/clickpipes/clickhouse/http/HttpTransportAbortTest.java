package dev.clickpipes.clickhouse.http;

import static dev.clickpipes.clickhouse.http.ClickHouseServerProcess.PASSWORD;
import static dev.clickpipes.clickhouse.http.ClickHouseServerProcess.USER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.clickpipes.clickhouse.ClickHouseException;
import dev.clickpipes.core.spi.SinkException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link HttpTransport#abortInFlight()}: requests blocked on other threads end within about a
 * second with a {@link Kind#RETRYABLE} {@link ClickHouseException}, and the transport keeps working.
 */
class HttpTransportAbortTest {

    private static final int SILENT_PORT = 20120;
    private static final int HTTP_PORT = 20121;
    private static final int TCP_PORT = 20122;
    private static final byte[] BODY = {1, 1, 1, 'a', 5, 'U', 'I', 'n', 't', '8', 7};

    private static ClickHouseServerProcess server;

    @BeforeAll
    static void startServer() {
        server = new ClickHouseServerProcess(HTTP_PORT, TCP_PORT);
        server.start();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void anInsertToAServerThatNeverAnswersEndsWhenAborted() throws Exception {
        try (SilentServer silent = new SilentServer(SILENT_PORT);
             HttpTransport transport = transport("http://127.0.0.1:" + SILENT_PORT)) {
            for (int round = 1; round <= 2; round++) { // the second round: still usable after an abort
                CompletableFuture<Throwable> insert = onAnotherThread(
                        () -> transport.insert("INSERT INTO t (a) FORMAT Native", BODY, BODY.length));
                assertThat(silent.requestsRead.tryAcquire(10, TimeUnit.SECONDS)).as("the request reached the server").isTrue();
                Thread.sleep(200);
                assertThat(insert).as("blocked waiting for the answer").isNotDone();

                long start = System.nanoTime();
                transport.abortInFlight();
                Throwable failure = insert.get(2, TimeUnit.SECONDS);
                long millis = (System.nanoTime() - start) / 1_000_000;

                assertThat(millis).isLessThan(2000);
                assertThat(failure).isInstanceOf(ClickHouseException.class)
                        .hasMessageContaining("aborted by abortInFlight()");
                assertThat(((ClickHouseException) failure).kind()).isEqualTo(Kind.RETRYABLE);
            }
        }
    }

    @Test
    void aQueryRunningOnTheRealServerEndsWhenAbortedAndTheNextCallWorks() throws Exception {
        try (HttpTransport transport = transport(server.httpUrl())) {
            // 18.16 sleeps at most 3 s per call: five of them, as one long query that sends nothing
            // before it ends (wait_end_of_query=1).
            String slow = "SELECT sleep(3) AS abort_marker FROM system.one"
                    + " UNION ALL SELECT sleep(3) FROM system.one".repeat(4);
            CompletableFuture<Throwable> query = onAnotherThread(() -> transport.query(slow));
            waitUntilRunning(transport);
            assertThat(query).isNotDone();

            long start = System.nanoTime();
            transport.abortInFlight();
            Throwable failure = query.get(2, TimeUnit.SECONDS);
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2000);
            assertThat(failure).isInstanceOf(ClickHouseException.class);
            assertThat(((ClickHouseException) failure).kind()).isEqualTo(Kind.RETRYABLE);

            assertThat(transport.query("SELECT 1")).isEqualTo("1\n");
            transport.query("KILL QUERY WHERE query LIKE concat('%abort', '_marker%')");
        }
    }

    private static void waitUntilRunning(HttpTransport transport) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String seen = "0\n";
        while (seen.equals("0\n") && System.nanoTime() < deadline) {
            Thread.sleep(50);
            seen = transport.query("SELECT count() FROM system.processes WHERE query LIKE concat('%abort', '_marker%')");
        }
        assertThat(seen).as("the slow query is running on the server").isEqualTo("1\n");
    }

    private static HttpTransport transport(String endpoint) {
        return HttpTransport.builder()
                .endpoint(endpoint)
                .credentials(USER, PASSWORD)
                .connectTimeout(Duration.ofSeconds(2))
                .build(); // the default socket timeout, 300 s: only the abort can end the wait
    }

    /** Runs {@code call} on a new thread; completes with what it threw, or null when it returned. */
    private static CompletableFuture<Throwable> onAnotherThread(ThrowingRunnable call) {
        CompletableFuture<Throwable> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                call.run();
                result.complete(null);
            } catch (Throwable e) {
                result.complete(e);
            }
        }, "blocked-call");
        t.setDaemon(true);
        t.start();
        return result;
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** Accepts connections and reads requests, and never answers: a server that hung. */
    private static final class SilentServer implements AutoCloseable {

        final Semaphore requestsRead = new Semaphore(0);
        private final ServerSocket socket;
        private final List<Socket> held = new CopyOnWriteArrayList<>();
        private final Thread thread;

        SilentServer(int port) throws IOException {
            socket = new ServerSocket(port, 10, InetAddress.getLoopbackAddress());
            thread = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket s = socket.accept();
                        held.add(s);
                        readHead(s.getInputStream());
                        requestsRead.release();
                    } catch (IOException e) {
                        // closed
                    }
                }
            }, "silent-server");
            thread.setDaemon(true);
            thread.start();
        }

        private static void readHead(InputStream in) throws IOException {
            int matched = 0;
            byte[] end = {'\r', '\n', '\r', '\n'};
            while (matched < 4) {
                int c = in.read();
                if (c < 0) {
                    return;
                }
                matched = c == end[matched] ? matched + 1 : c == '\r' ? 1 : 0;
            }
        }

        @Override
        public void close() throws Exception {
            socket.close();
            for (Socket s : held) {
                s.close();
            }
            thread.join(2000);
        }
    }
}
