package dev.clickpipes.source.objectstore;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small stand-in for GCS's JSON API (no emulator is in reach), written from Google's public API
 * reference: {@code GET /storage/v1/b/{bucket}/o} (objects.list with {@code prefix},
 * {@code maxResults}, {@code pageToken} / {@code nextPageToken}, and {@code startOffset}: names equal
 * to or after it), {@code GET .../o/{object}} (metadata), and media downloads ({@code alt=media})
 * honouring {@code Range: bytes=a-b} with 206 and {@code Content-Range} and {@code ifGenerationMatch}
 * with 412. Every put makes a new generation. One bucket, in memory, on 127.0.0.1.
 */
final class GcsJsonApiServer implements AutoCloseable {

    private final HttpServer server;
    private final String bucket;
    private final NavigableMap<String, byte[]> objects = new ConcurrentSkipListMap<>();
    private final Map<String, Long> generations = new ConcurrentHashMap<>();
    private final AtomicLong lastGeneration = new AtomicLong(1000);
    private final Instant updated = Instant.parse("2024-05-01T12:00:00Z");
    final AtomicInteger listPages = new AtomicInteger();
    final AtomicInteger rangedDownloads = new AtomicInteger();
    /** Objects sent in listings. */
    final AtomicInteger itemsListed = new AtomicInteger();

    GcsJsonApiServer(int port, String bucket) throws IOException {
        this.bucket = bucket;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void put(String name, byte[] body) {
        generations.put(name, lastGeneration.incrementAndGet());
        objects.put(name, body);
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String path = x.getRequestURI().getRawPath();
            Map<String, String> q = query(x.getRequestURI().getRawQuery());
            String listPath = "/storage/v1/b/" + bucket + "/o";
            String downloadPrefix = "/download/storage/v1/b/" + bucket + "/o/";
            if (path.equals(listPath)) {
                list(x, q);
            } else if (path.startsWith(downloadPrefix) || path.startsWith(listPath + "/") && "media".equals(q.get("alt"))) {
                String name = decode(path.substring(path.indexOf("/o/") + 3));
                media(x, name, q);
            } else if (path.startsWith(listPath + "/")) {
                String name = decode(path.substring(listPath.length() + 1));
                byte[] body = objects.get(name);
                if (body == null) {
                    send(x, 404, "application/json", error(404, "No such object: " + bucket + "/" + name));
                } else {
                    send(x, 200, "application/json", resource(name, body).getBytes(StandardCharsets.UTF_8));
                }
            } else {
                send(x, 404, "application/json", error(404, "not found: " + path));
            }
        }
    }

    private void list(HttpExchange x, Map<String, String> q) throws IOException {
        listPages.incrementAndGet();
        String prefix = q.getOrDefault("prefix", "");
        int max = Integer.parseInt(q.getOrDefault("maxResults", "1000"));
        String after = q.get("pageToken");
        String startOffset = q.get("startOffset");
        StringBuilder items = new StringBuilder();
        int n = 0;
        String last = null;
        boolean more = false;
        NavigableMap<String, byte[]> from = startOffset == null ? objects : objects.tailMap(startOffset, true);
        for (Map.Entry<String, byte[]> e : (after == null ? from : from.tailMap(after, false)).entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                if (e.getKey().compareTo(prefix) > 0) {
                    break;
                }
                continue;
            }
            if (n == max) {
                more = true;
                break;
            }
            items.append(n++ > 0 ? "," : "").append(resource(e.getKey(), e.getValue()));
            itemsListed.incrementAndGet();
            last = e.getKey();
        }
        String json = "{\"kind\":\"storage#objects\",\"items\":[" + items + "]"
                + (more ? ",\"nextPageToken\":\"" + escape(last) + "\"" : "") + "}";
        send(x, 200, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    private void media(HttpExchange x, String name, Map<String, String> q) throws IOException {
        byte[] body = objects.get(name);
        if (body == null) {
            send(x, 404, "application/json", error(404, "No such object: " + bucket + "/" + name));
            return;
        }
        String generation = String.valueOf(generations.get(name));
        if (q.containsKey("ifGenerationMatch") && !q.get("ifGenerationMatch").equals(generation)) {
            send(x, 412, "application/json", error(412, "At least one of the pre-conditions you specified did not hold."));
            return;
        }
        x.getResponseHeaders().add("x-goog-generation", generation);
        x.getResponseHeaders().add("x-goog-metageneration", "1");
        x.getResponseHeaders().add("x-goog-stored-content-length", String.valueOf(body.length));
        String range = x.getRequestHeaders().getFirst("Range");
        if (range == null || !range.startsWith("bytes=")) {
            send(x, 200, "application/octet-stream", body);
            return;
        }
        rangedDownloads.incrementAndGet();
        String[] ab = range.substring(6).split("-", -1);
        long from = Long.parseLong(ab[0]);
        long to = ab[1].isEmpty() ? body.length - 1 : Math.min(Long.parseLong(ab[1]), body.length - 1);
        if (from >= body.length) {
            x.getResponseHeaders().add("Content-Range", "bytes */" + body.length);
            send(x, 416, "application/json", error(416, "range not satisfiable"));
            return;
        }
        x.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + to + "/" + body.length);
        byte[] part = java.util.Arrays.copyOfRange(body, (int) from, (int) to + 1);
        send(x, 206, "application/octet-stream", part);
    }

    private String resource(String name, byte[] body) {
        return "{\"kind\":\"storage#object\",\"id\":\"" + escape(bucket + "/" + name + "/1") + "\",\"name\":\"" + escape(name)
                + "\",\"bucket\":\"" + bucket + "\",\"generation\":\"" + generations.get(name) + "\",\"metageneration\":\"1\",\"size\":\""
                + body.length + "\",\"updated\":\"" + updated + "\",\"timeCreated\":\"" + updated
                + "\",\"contentType\":\"application/octet-stream\"}";
    }

    private static byte[] error(int code, String message) {
        return ("{\"error\":{\"code\":" + code + ",\"message\":\"" + escape(message) + "\",\"errors\":[{\"message\":\""
                + escape(message) + "\",\"reason\":\"notFound\"}]}}").getBytes(StandardCharsets.UTF_8);
    }

    private static void send(HttpExchange x, int status, String type, byte[] body) throws IOException {
        x.getResponseHeaders().add("Content-Type", type);
        x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(body);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw != null) {
            for (String kv : raw.split("&")) {
                int eq = kv.indexOf('=');
                q.put(decode(eq < 0 ? kv : kv.substring(0, eq)), eq < 0 ? "" : decode(kv.substring(eq + 1)));
            }
        }
        return q;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
