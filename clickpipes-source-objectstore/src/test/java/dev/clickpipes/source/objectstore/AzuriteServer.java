package dev.clickpipes.source.objectstore;

import dev.clickpipes.source.objectstore.azure.SharedKey;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Azurite (npm azurite, installed by scripts/deps/azurite.sh) as a child process on 127.0.0.1 with
 * its own folder, and what the tests need to set data up: containers, blobs, an account SAS. Its
 * default account {@value #ACCOUNT} with Microsoft's published development key.
 */
final class AzuriteServer implements AutoCloseable {

    static final String ACCOUNT = "devstoreaccount1";
    /** Azurite's documented development key: public, not a secret. */
    static final String KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static final DateTimeFormatter RFC_1123 =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private final int port;
    private final Path folder;
    private final Process process;
    private final SharedKey key = new SharedKey(ACCOUNT, KEY);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    AzuriteServer(int port) throws Exception {
        this.port = port;
        String cache = System.getenv().getOrDefault("CLICKPIPES_CACHE", System.getProperty("user.home") + "/.cache/clickpipes");
        Path bin = Path.of(cache, "azurite/node_modules/.bin/azurite-blob");
        if (!Files.isExecutable(bin)) {
            throw new IllegalStateException("Azurite is not installed at " + bin + ": run scripts/deps/azurite.sh");
        }
        folder = Files.createTempDirectory("azurite-" + port);
        Files.createDirectories(Path.of("target"));
        process = new ProcessBuilder(bin.toString(), "--blobHost", "127.0.0.1", "--blobPort", String.valueOf(port),
                "--location", folder.toString(), "--skipApiVersionCheck", "--loose", "--silent")
                .redirectErrorStream(true).redirectOutput(Path.of("target", "azurite-" + port + ".log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Azurite exited with " + process.exitValue() + ": see target/azurite-" + port + ".log");
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                break;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    close();
                    throw new IllegalStateException("Azurite did not listen on 127.0.0.1:" + port + " within 60 s");
                }
                Thread.sleep(200);
            }
        }
    }

    /** The service's root, without the account: what {@code .endpoint(...)} takes. */
    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** The account's Blob endpoint, path-style: what a connection string's BlobEndpoint names. */
    String accountEndpoint() {
        return endpoint() + "/" + ACCOUNT;
    }

    void createContainer(String container) throws Exception {
        send("PUT", "/" + container, Map.of("restype", "container"), new byte[0], 201);
    }

    void put(String container, String blob, byte[] data) throws Exception {
        send("PUT", "/" + container + "/" + path(blob), Map.of(), data, 201);
    }

    void put(String container, String blob, String text) throws Exception {
        put(container, blob, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * An account SAS (service version 2022-11-02) for the Blob service, on containers and objects,
     * with {@code permissions}, valid for an hour.
     */
    String accountSas(String permissions) {
        String expiry = DateTimeFormatter.ISO_INSTANT.format(Instant.now().plusSeconds(3600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        String version = "2022-11-02";
        String toSign = ACCOUNT + "\n" + permissions + "\nb\nco\n\n" + expiry + "\n\nhttps,http\n" + version + "\n\n";
        return "sv=" + version + "&ss=b&srt=co&sp=" + permissions + "&se=" + URLEncoder.encode(expiry, StandardCharsets.UTF_8)
                + "&spr=https,http&sig=" + URLEncoder.encode(key.sign(toSign), StandardCharsets.UTF_8);
    }

    private void send(String method, String path, Map<String, String> query, byte[] body, int expected) throws Exception {
        StringBuilder q = new StringBuilder();
        query.forEach((k, v) -> q.append(q.length() == 0 ? "?" : "&").append(k).append('=').append(v));
        URI uri = URI.create(accountEndpoint() + path + q);
        Map<String, String> headers = new TreeMap<>();
        headers.put("x-ms-version", "2022-11-02");
        headers.put("x-ms-date", RFC_1123.format(Instant.now()));
        headers.put("x-ms-blob-type", "BlockBlob");
        headers.put("Content-Length", String.valueOf(body.length));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach((k, v) -> {
            if (!k.equals("Content-Length")) {
                request.header(k, v);
            }
        });
        request.header("Authorization", key.authorization(method, uri, query, headers));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IOException(method + " " + uri + ": HTTP " + response.statusCode() + " " + response.body());
        }
    }

    private static String path(String blob) {
        StringBuilder p = new StringBuilder();
        for (String segment : blob.split("/", -1)) {
            p.append(p.length() == 0 ? "" : "/").append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return p.toString();
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
