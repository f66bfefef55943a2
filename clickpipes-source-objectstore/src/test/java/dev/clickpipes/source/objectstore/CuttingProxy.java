package dev.clickpipes.source.objectstore;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 in front of an HTTP/1.1 server that cuts responses short, as a flaky
 * network does: {@link #cut} makes the next responses to matching requests stop after some bytes of
 * their body, the connection closed (alternately reset and closed cleanly). It reads just enough
 * HTTP to find where bodies end (Content-Length and chunked; only Content-Length bodies are cut)
 * and records every request line.
 */
final class CuttingProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int upstreamPort;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger cutsLeft = new AtomicInteger();
    private final AtomicInteger cutsDone = new AtomicInteger();
    private volatile long cutAfter;
    private volatile String cutWhen = "";
    /** Runs when a response is cut, before the connection closes (e.g. to overwrite the object then). */
    private volatile Runnable onCut = () -> { };

    CuttingProxy(int port, int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::accept, "cutting-proxy-" + port);
        accept.setDaemon(true);
        accept.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /**
     * The next {@code times} responses with a body longer than {@code afterBytes}, to requests whose
     * request line contains {@code requestLineContains}, are cut after {@code afterBytes} body bytes.
     */
    void cut(int times, long afterBytes, String requestLineContains) {
        cutAfter = afterBytes;
        cutWhen = requestLineContains;
        cutsLeft.set(times);
    }

    void onCut(Runnable action) {
        onCut = action;
    }

    /** Responses cut so far. */
    int cutsDone() {
        return cutsDone.get();
    }

    /** Requests whose request line contains {@code text}. */
    long requests(String text) {
        return requests.stream().filter(r -> r.contains(text)).count();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                sockets.add(client);
                sockets.add(upstream);
                BlockingQueue<String> lines = new LinkedBlockingQueue<>();
                start(() -> requests(client, upstream, lines));
                start(() -> responses(upstream, client, lines));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private static void start(Runnable r) {
        Thread t = new Thread(r, "cutting-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    /** Client to server: forwarded as is, request lines noted. */
    private void requests(Socket client, Socket upstream, BlockingQueue<String> lines) {
        try (client; upstream) {
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = upstream.getOutputStream();
            while (true) {
                byte[] head = head(in);
                if (head == null) {
                    return;
                }
                String line = new String(head, StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
                requests.add(line);
                lines.add(line);
                out.write(head);
                out.flush();
                copy(in, out, contentLength(head));
                out.flush();
            }
        } catch (IOException e) {
            // a side closed
        }
    }

    /** Server to client: forwarded, the body cut short when a cut is due. */
    private void responses(Socket upstream, Socket client, BlockingQueue<String> lines) {
        try (client; upstream) {
            InputStream in = new BufferedInputStream(upstream.getInputStream());
            OutputStream out = client.getOutputStream();
            while (true) {
                byte[] head = head(in);
                if (head == null) {
                    return;
                }
                String request = lines.poll(10, TimeUnit.SECONDS);
                String text = new String(head, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
                out.write(head);
                if (text.contains("transfer-encoding: chunked")) {
                    copyChunked(in, out);
                    out.flush();
                    continue;
                }
                int status = Integer.parseInt(text.substring(9, 12));
                long body = request == null || request.startsWith("HEAD") || status == 204 || status == 304 ? 0
                        : contentLength(head);
                if (request != null && request.contains(cutWhen) && body > cutAfter && cutsLeft.getAndDecrement() > 0) {
                    copy(in, out, cutAfter);
                    out.flush();
                    onCut.run();
                    if (cutsDone.incrementAndGet() % 2 == 1) {
                        client.setSoLinger(true, 0); // a reset
                    }
                    return;
                }
                copy(in, out, body);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // a side closed
        }
    }

    private static void copy(InputStream in, OutputStream out, long n) throws IOException {
        byte[] buffer = new byte[8192];
        while (n > 0) {
            int r = in.read(buffer, 0, (int) Math.min(buffer.length, n));
            if (r < 0) {
                throw new IOException("the server closed mid-body");
            }
            out.write(buffer, 0, r);
            n -= r;
        }
    }

    /** Copies a chunked body: chunks up to the empty one, then the trailer through its empty line. */
    private static void copyChunked(InputStream in, OutputStream out) throws IOException {
        while (true) {
            String size = line(in, out);
            long n = Long.parseLong(size.split(";")[0].trim(), 16);
            if (n == 0) {
                while (!line(in, out).isEmpty()) {
                    // trailer fields
                }
                return;
            }
            copy(in, out, n);
            line(in, out); // the CRLF after the chunk
        }
    }

    /** Copies one CRLF-ended line, returning it without its end. */
    private static String line(InputStream in, OutputStream out) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c; (c = in.read()) >= 0; ) {
            out.write(c);
            if (c == '\n') {
                return b.toString().strip();
            }
            b.append((char) c);
        }
        throw new IOException("the server closed mid-body");
    }

    /** The bytes of a message's head, through the empty line; null at the end of the stream. */
    private static byte[] head(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        for (int c; (c = in.read()) >= 0; ) {
            head.write(c);
            matched = c == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : c == '\r' ? 1 : 0;
            if (matched == 4) {
                return head.toByteArray();
            }
        }
        return null;
    }

    private static long contentLength(byte[] head) {
        for (String line : new String(head, StandardCharsets.ISO_8859_1).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Long.parseLong(line.substring(15).trim());
            }
        }
        return 0;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
