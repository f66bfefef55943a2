package dev.clickpipes.testservices;

import dev.clickpipes.clickhouse.SqlNames;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.clickpipes.clickhouse.ClickHouseException;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The smallest honest ClickHouse HTTP server: a real ClickHouse 26.5 engine ({@link
 * EmbeddedClickHouse}) behind a minimal front built on the JDK's {@code com.sun.net.httpserver},
 * on 127.0.0.1 only. Enough of ClickHouse's HTTP interface for client-v2 (and so for our {@code
 * HttpTransport}) to run queries and inserts unchanged. Run it in a child JVM with {@link
 * ChdbServerProcess}; {@link #main(String[])} is that JVM's entry point.
 *
 * <h2>What it does</h2>
 * <ul>
 *   <li>{@code GET /ping} (and {@code GET /}) answers {@code Ok.}.</li>
 *   <li>The statement is the {@code query} URL parameter, or the POST body, or both: with both,
 *       an {@code INSERT ... FORMAT f} in {@code query} takes the body as its data (any input
 *       format, binary Native included); otherwise, as in ClickHouse, the statement is the
 *       parameter, a newline, and the body.</li>
 *   <li>The database is the {@code database} parameter or the {@code X-ClickHouse-Database}
 *       header, default {@code default}: each statement runs after a {@code USE} of it.</li>
 *   <li>Every other URL parameter is a ClickHouse setting and goes into the statement's {@code
 *       SETTINGS} clause: for an insert with data, before its {@code FORMAT}; for a statement with
 *       output ({@code SELECT}, {@code WITH}, {@code SHOW}, {@code DESCRIBE}, {@code EXISTS},
 *       {@code EXPLAIN}), at its end. Parameters that only mean something to an HTTP server are
 *       dropped (see {@link #HTTP_ONLY}), among them {@code wait_end_of_query}: the answer is
 *       always sent once the statement has ended, which is what that setting asks for.</li>
 *   <li>The output format is the {@code default_format} parameter or the request's {@code
 *       X-ClickHouse-Format} header, default {@code TabSeparated}, unless the statement names
 *       its own {@code FORMAT}.</li>
 *   <li>Credentials: {@code X-ClickHouse-User}/{@code X-ClickHouse-Key} headers, HTTP basic
 *       auth, or {@code user}/{@code password} parameters (none: user {@code default}, no
 *       password), checked against the one user given at start; a mismatch is {@code Code: 516
 *       AUTHENTICATION_FAILED}, HTTP 403.</li>
 *   <li>Answers carry {@code X-ClickHouse-Query-Id} (the {@code query_id} parameter or a new
 *       UUID), {@code X-ClickHouse-Format}, {@code X-ClickHouse-Timezone}, {@code
 *       X-ClickHouse-Server-Display-Name} and {@code X-ClickHouse-Summary}; an error is HTTP 500
 *       with body {@code Code: N. DB::Exception: ...} and {@code X-ClickHouse-Exception-Code: N}.</li>
 *
 *   <li>{@code decompress=1}: the body is ClickHouse-compressed blocks (LZ4, ZSTD or none, each
 *       with its CityHash128 checksum), read as the server reads them, checksum checked (a
 *       mismatch is {@code Code: 40 CHECKSUM_DOESNT_MATCH}, a damaged block {@code Code: 271},
 *       an unknown method {@code Code: 89}); what {@code HttpTransport} sends by default.
 *       Started with {@code refuseCompressedBodies}, it refuses {@code decompress=1} with {@code
 *       Code: 48 NOT_IMPLEMENTED} instead, as a front without ClickHouse's framing would.</li>
 * </ul>
 *
 * <h2>What it does not do</h2>
 * No other compression: a request with {@code Content-Encoding} or {@code compress=1} is refused
 * with {@code Code: 48 NOT_IMPLEMENTED}, and {@code enable_http_compression} is ignored (answers
 * are never compressed). No roles ({@code role} is refused: there is one user). No sessions ({@code session_id} is
 * refused), no query parameters ({@code param_*} refused), no progress headers, no streaming (the
 * whole body is read, the whole result is buffered), no TLS, no native protocol. Settings on a
 * statement without output (DDL, {@code ALTER}, {@code INSERT ... VALUES}) are refused, because
 * a trailing {@code SETTINGS} there would mean something else (table settings); write them into
 * the statement. The summary's row and byte counts are 0 (chDB's result does not give them to
 * us); only {@code elapsed_ns} is real.
 */
public final class ChdbHttpServer implements AutoCloseable {

    /**
     * URL parameters that are not ClickHouse settings, or settings that only steer the HTTP
     * server: never put in a {@code SETTINGS} clause.
     */
    static final Set<String> HTTP_ONLY = Set.of("query", "database", "user", "password", "query_id",
            "default_format", "wait_end_of_query", "enable_http_compression", "http_zlib_compression_level",
            "send_progress_in_http_headers", "http_headers_progress_interval_ms", "buffer_size",
            "max_result_bytes", "compress", "decompress", "session_check", "session_timeout",
            "http_wait_end_of_query", "http_response_buffer_size", "client_protocol_version",
            "add_http_cors_header", "cancel_http_readonly_queries_on_client_close");

    /** The password of the user, for {@link #main(String[])}: kept out of the command line. */
    public static final String PASSWORD_ENV = "CLICKPIPES_CHDB_HTTP_PASSWORD";

    private static final Logger LOG = LoggerFactory.getLogger(ChdbHttpServer.class);
    private static final String DISPLAY_NAME = "clickpipes-chdb-http";
    private static final String DEFAULT_FORMAT = "TabSeparated";
    private static final Pattern INSERT_WITH_FORMAT = Pattern.compile(
            "(?is)\\s*INSERT\\s+INTO\\s+.+\\s+FORMAT\\s+[A-Za-z0-9_]+\\s*;?\\s*");
    private static final Pattern WITH_OUTPUT = Pattern.compile(
            "(?is)\\s*(?:\\(\\s*)*(SELECT|WITH|SHOW|DESC|DESCRIBE|EXISTS|EXPLAIN)\\b.*");

    private final EmbeddedClickHouse engine;
    private final String user;
    private final byte[] password;
    private final HttpServer http;
    private final ExecutorService threads;
    private final String timeZone;
    private final boolean refuseCompressedBodies;

    private ChdbHttpServer(EmbeddedClickHouse engine, int port, String user, String password,
            boolean refuseCompressedBodies) throws IOException {
        this.engine = engine;
        this.refuseCompressedBodies = refuseCompressedBodies;
        this.user = user;
        this.password = password.getBytes(StandardCharsets.UTF_8);
        try {
            this.timeZone = engine.query("SELECT timezone()").strip();
        } catch (ClickHouseException e) {
            throw new IllegalStateException("the engine cannot answer SELECT timezone()", e);
        }
        this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(2 * EmbeddedClickHouse.MAX_CONNECTIONS,
                r -> new Thread(r, "chdb-http-" + n.incrementAndGet()));
        http.setExecutor(threads);
        http.createContext("/", this::handle);
        http.start();
        LOG.info("ClickHouse HTTP on http://127.0.0.1:{} for {}", port, engine.describe());
    }

    /**
     * Serves {@code engine} on {@code http://127.0.0.1:port} for one user; closing the server
     * leaves the engine open.
     *
     * @throws UncheckedIOException when the port cannot be bound
     */
    public static ChdbHttpServer start(EmbeddedClickHouse engine, int port, String user, String password) {
        return start(engine, port, user, password, false);
    }

    /**
     * {@link #start(EmbeddedClickHouse, int, String, String)}; with {@code refuseCompressedBodies}
     * a request with {@code decompress=1} is refused ({@code Code: 48 NOT_IMPLEMENTED}), as by a
     * front that does not read ClickHouse's compressed framing.
     */
    public static ChdbHttpServer start(EmbeddedClickHouse engine, int port, String user, String password,
            boolean refuseCompressedBodies) {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(user, "user");
        try {
            return new ChdbHttpServer(engine, port, user, password == null ? "" : password, refuseCompressedBodies);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve HTTP on 127.0.0.1:" + port, e);
        }
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String endpoint() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    /** Stops serving (requests in progress get up to one second); the engine stays open. */
    @Override
    public void close() {
        http.stop(1);
        threads.shutdownNow();
    }

    /**
     * Runs the server until the JVM is told to stop (SIGTERM): {@code --data-dir=DIR --port=P
     * [--user=U] [--zookeeper=host:port] [--refuse-compressed-bodies=true]}, the password in the environment variable {@value
     * #PASSWORD_ENV} (default none), the user {@code default} unless given.
     */
    public static void main(String[] args) throws InterruptedException {
        Map<String, String> options = new LinkedHashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (!a.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("expected --name=value, got " + a);
            }
            options.put(a.substring(2, eq), a.substring(eq + 1));
        }
        String dataDir = options.get("data-dir");
        String port = options.get("port");
        if (dataDir == null || port == null) {
            throw new IllegalArgumentException("usage: ChdbHttpServer --data-dir=DIR --port=P [--user=U]"
                    + " [--zookeeper=host:port] [--refuse-compressed-bodies=true]; password in $" + PASSWORD_ENV);
        }
        EmbeddedClickHouse.Builder b = EmbeddedClickHouse.builder().dataDir(Path.of(dataDir));
        if (options.containsKey("zookeeper")) {
            b.zooKeeper(options.get("zookeeper"));
        }
        EmbeddedClickHouse engine = b.start();
        String password = System.getenv(PASSWORD_ENV);
        ChdbHttpServer server = start(engine, Integer.parseInt(port), options.getOrDefault("user", "default"), password,
                Boolean.parseBoolean(options.get("refuse-compressed-bodies")));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            engine.close();
            stopped.countDown();
        }, "chdb-http-shutdown"));
        stopped.await();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String queryId = null;
        String format = DEFAULT_FORMAT;
        long t0 = System.nanoTime();
        try {
            Map<String, String> params = parseQueryString(exchange.getRequestURI().getRawQuery());
            Headers h = exchange.getRequestHeaders();
            queryId = params.getOrDefault("query_id", UUID.randomUUID().toString());
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String path = exchange.getRequestURI().getPath();
            if (LOG.isTraceEnabled()) {
                LOG.trace("{} {} {} params {} content-encoding {} accept-encoding {} body {} bytes", queryId,
                        exchange.getRequestMethod(), path, params.keySet(), h.getFirst("Content-Encoding"),
                        h.getFirst("Accept-Encoding"), body.length);
            }
            if (path.equals("/ping") || path.equals("/") && !params.containsKey("query") && body.length == 0) {
                respond(exchange, 200, "Ok.\n".getBytes(StandardCharsets.UTF_8), queryId, format, t0);
                return;
            }
            if (!path.equals("/")) {
                throw new RequestError(404, 0, "There is no handle " + path + " (this server serves / and /ping only)");
            }
            authenticate(h, params);
            refuseUnsupported(h, params);
            if (isOn(params.get("decompress")) && refuseCompressedBodies) {
                throw notImplemented("decompress=1 (ClickHouse-compressed request bodies): started with"
                        + " refuseCompressedBodies");
            }
            if (isOn(params.get("decompress"))) {
                try {
                    body = CompressedRequestBody.decompress(body);
                } catch (CompressedRequestBody.CompressionError e) {
                    throw new RequestError(500, e.code, e.getMessage());
                }
            }
            format = firstNonBlank(params.get("default_format"), h.getFirst("X-ClickHouse-Format"), DEFAULT_FORMAT);
            String database = firstNonBlank(params.get("database"), h.getFirst("X-ClickHouse-Database"), "default");
            if (!SqlNames.isBareIdentifier(database)) {
                throw new RequestError(500, 81, "Database " + database + " is not a plain identifier; this server"
                        + " takes only those (UNKNOWN_DATABASE)");
            }
            Map<String, String> settings = settingsOf(params);
            String query = params.get("query");
            String use = "USE `" + database + "`;\n";
            byte[] output;
            if (query != null && body.length > 0 && INSERT_WITH_FORMAT.matcher(query).matches()) {
                engine.insert(use + query.strip(), settings, body, body.length);
                output = new byte[0];
            } else {
                String sql = query == null ? new String(body, StandardCharsets.UTF_8)
                        : body.length == 0 ? query : query + "\n" + new String(body, StandardCharsets.UTF_8);
                if (sql.isBlank()) {
                    throw new RequestError(500, 62, "Empty query (SYNTAX_ERROR)");
                }
                output = engine.queryOutput(use + withSettings(sql, settings), format);
            }
            LOG.debug("{} {} ({} ms)", queryId, abbreviate(query != null ? query : new String(body, 0,
                    Math.min(body.length, 300), StandardCharsets.UTF_8)), (System.nanoTime() - t0) / 1_000_000);
            respond(exchange, 200, output, queryId, format, t0);
        } catch (RequestError e) {
            error(exchange, e.status, e.code, e.text, queryId, format, t0);
        } catch (ClickHouseException e) {
            error(exchange, 500, e.code(), e.getMessage(), queryId, format, t0);
        } catch (RuntimeException e) {
            LOG.warn("request failed", e);
            error(exchange, 500, 1001, "std::exception in the HTTP front: " + e, queryId, format, t0);
        } finally {
            // Not try-with-resources: that would close the exchange before the error is answered.
            exchange.close();
        }
    }

    private void authenticate(Headers h, Map<String, String> params) throws RequestError {
        String u = h.getFirst("X-ClickHouse-User");
        String p = h.getFirst("X-ClickHouse-Key");
        String basic = h.getFirst("Authorization");
        if (u == null && basic != null && basic.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded = new String(Base64.getDecoder().decode(basic.substring(6).strip()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            u = colon < 0 ? decoded : decoded.substring(0, colon);
            p = colon < 0 ? "" : decoded.substring(colon + 1);
        }
        if (u == null) {
            u = params.getOrDefault("user", "default");
            p = params.getOrDefault("password", "");
        }
        boolean ok = u.equals(user) & MessageDigest.isEqual(password, (p == null ? "" : p).getBytes(StandardCharsets.UTF_8));
        if (!ok) {
            throw new RequestError(403, 516, u + ": Authentication failed: password is incorrect, or there is no"
                    + " user with such name. (AUTHENTICATION_FAILED)");
        }
    }

    private static void refuseUnsupported(Headers h, Map<String, String> params) throws RequestError {
        String encoding = h.getFirst("Content-Encoding");
        if (encoding != null && !encoding.isBlank() && !encoding.equalsIgnoreCase("identity")) {
            throw notImplemented("a compressed request body (Content-Encoding: " + encoding + ")");
        }
        if (params.containsKey("role")) {
            throw notImplemented("roles (role=" + params.get("role") + "): it has one user");
        }
        if (isOn(params.get("compress"))) {
            throw notImplemented("compress=1 (ClickHouse-compressed answers)");
        }
        if (params.containsKey("session_id")) {
            throw notImplemented("sessions (session_id)");
        }
        for (String name : params.keySet()) {
            if (name.startsWith("param_")) {
                throw notImplemented("query parameters (" + name + ")");
            }
        }
    }

    private static RequestError notImplemented(String what) {
        return new RequestError(500, 48, "This test server does not support " + what + " (NOT_IMPLEMENTED)");
    }

    private static boolean isOn(String v) {
        return v != null && !v.equals("0") && !v.equalsIgnoreCase("false");
    }

    private static Map<String, String> settingsOf(Map<String, String> params) throws RequestError {
        Map<String, String> settings = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : params.entrySet()) {
            String name = e.getKey();
            if (HTTP_ONLY.contains(name.toLowerCase(Locale.ROOT))) {
                continue;
            }
            if (!SqlNames.isBareIdentifier(name)) {
                throw new RequestError(500, 115, "Unknown setting '" + name + "' (UNKNOWN_SETTING)");
            }
            settings.put(name, e.getValue());
        }
        return settings;
    }

    /** A statement with output and settings: the settings appended as a trailing SETTINGS clause. */
    static String withSettings(String sql, Map<String, String> settings) throws RequestError {
        if (settings.isEmpty()) {
            return sql;
        }
        if (!WITH_OUTPUT.matcher(sql).matches()) {
            throw notImplemented("settings in URL parameters (" + settings.keySet() + ") on a statement without"
                    + " output; write them into the statement");
        }
        String s = sql.strip();
        while (s.endsWith(";")) {
            s = s.substring(0, s.length() - 1).strip();
        }
        StringBuilder out = new StringBuilder(s).append("\nSETTINGS ");
        String sep = "";
        for (Map.Entry<String, String> e : settings.entrySet()) {
            out.append(sep).append(e.getKey()).append(" = '")
                    .append(e.getValue().replace("\\", "\\\\").replace("'", "\\'")).append('\'');
            sep = ", ";
        }
        return out.toString();
    }

    private void respond(HttpExchange exchange, int status, byte[] body, String queryId, String format, long t0)
            throws IOException {
        Headers out = exchange.getResponseHeaders();
        out.set("Content-Type", format.startsWith("JSON") ? "application/json; charset=UTF-8"
                : format.startsWith("TabSeparated") || format.equals("TSV") ? "text/tab-separated-values; charset=UTF-8"
                : "text/plain; charset=UTF-8");
        out.set("X-ClickHouse-Query-Id", queryId);
        out.set("X-ClickHouse-Format", format);
        out.set("X-ClickHouse-Timezone", timeZone);
        out.set("X-ClickHouse-Server-Display-Name", DISPLAY_NAME);
        out.set("X-ClickHouse-Summary", "{\"read_rows\":\"0\",\"read_bytes\":\"0\",\"written_rows\":\"0\","
                + "\"written_bytes\":\"0\",\"total_rows_to_read\":\"0\",\"result_rows\":\"0\",\"result_bytes\":\"0\","
                + "\"elapsed_ns\":\"" + (System.nanoTime() - t0) + "\"}");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
            }
        }
    }

    private void error(HttpExchange exchange, int status, int code, String message, String queryId, String format,
            long t0) throws IOException {
        // The engine's message is "embedded ClickHouse: Code: N. DB::Exception: ..."; serve the server's part.
        int at = message == null ? -1 : message.indexOf("Code: ");
        String text = at >= 0 ? message.substring(at).strip()
                : "Code: " + code + ". DB::Exception: " + (message == null ? "" : message.strip());
        exchange.getResponseHeaders().set("X-ClickHouse-Exception-Code", Integer.toString(code));
        respond(exchange, status, (text + "\n").getBytes(StandardCharsets.UTF_8),
                queryId == null ? UUID.randomUUID().toString() : queryId, format, t0);
    }

    private static Map<String, String> parseQueryString(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(name, value);
        }
        return params;
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.strip();
            }
        }
        return null;
    }

    private static String abbreviate(String s) {
        String oneLine = s.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "...";
    }

    /** A refusal by the HTTP front itself, with the status and ClickHouse code to answer. */
    private static final class RequestError extends Exception {
        final int status;
        final int code;
        final String text;

        RequestError(int status, int code, String text) {
            super(text, null, false, false);
            this.status = status;
            this.code = code;
            this.text = text;
        }
    }
}
