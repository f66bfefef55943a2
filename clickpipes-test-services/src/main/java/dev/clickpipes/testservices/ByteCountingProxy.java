package dev.clickpipes.testservices;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay on 127.0.0.1 that counts the bytes going each way: what a client really puts on
 * the wire (HTTP headers, framing and body), for tests and benchmarks that compare encodings.
 * Each accepted connection gets its own connection to the target and two relay threads.
 */
public final class ByteCountingProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final String targetHost;
    private final int targetPort;
    private final AtomicLong upstream = new AtomicLong();
    private final AtomicLong downstream = new AtomicLong();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    private ByteCountingProxy(int port, String targetHost, int targetPort) throws IOException {
        this.listener = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        Thread accept = new Thread(this::acceptLoop, "byte-counting-proxy-" + port);
        accept.setDaemon(true);
        accept.start();
    }

    /**
     * Listens on {@code 127.0.0.1:port} and relays every connection to {@code targetHost:targetPort}.
     *
     * @throws UncheckedIOException when the port cannot be bound
     */
    public static ByteCountingProxy start(int port, String targetHost, int targetPort) {
        try {
            return new ByteCountingProxy(port, targetHost, targetPort);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
        }
    }

    /** {@code http://127.0.0.1:<port>}: the proxy as an HTTP endpoint. */
    public String httpEndpoint() {
        return "http://127.0.0.1:" + listener.getLocalPort();
    }

    /** Bytes relayed from clients to the target since start or the last {@link #reset()}. */
    public long upstreamBytes() {
        return upstream.get();
    }

    /** Bytes relayed from the target back to clients since start or the last {@link #reset()}. */
    public long downstreamBytes() {
        return downstream.get();
    }

    /** Sets both counters to zero. */
    public void reset() {
        upstream.set(0);
        downstream.set(0);
    }

    /** Stops listening and closes every relayed connection. */
    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // closing anyway
        }
        open.forEach(ByteCountingProxy::closeQuietly);
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket target = new Socket(targetHost, targetPort);
                client.setTcpNoDelay(true);
                target.setTcpNoDelay(true);
                open.add(client);
                open.add(target);
                relay(client, target, upstream);
                relay(target, client, downstream);
            } catch (IOException e) {
                // closed, or the target refused this connection: the client sees it closed
            }
        }
    }

    private void relay(Socket from, Socket to, AtomicLong counter) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    counter.addAndGet(n); // before the write: counted before the other side can answer
                    out.write(buffer, 0, n);
                }
            } catch (IOException e) {
                // one side closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "byte-counting-relay");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
