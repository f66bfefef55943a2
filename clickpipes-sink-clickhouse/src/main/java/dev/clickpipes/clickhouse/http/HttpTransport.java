package dev.clickpipes.clickhouse.http;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.ClientFaultCause;
import com.clickhouse.client.api.ClientMisconfigurationException;
import com.clickhouse.client.api.ConnectionInitiationException;
import com.clickhouse.client.api.DataStreamWriter;
import com.clickhouse.client.api.ServerException;
import com.clickhouse.client.api.enums.SSLMode;
import com.clickhouse.client.api.insert.InsertResponse;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.client.api.query.QueryResponse;
import com.clickhouse.client.api.query.QuerySettings;
import com.clickhouse.data.ClickHouseFormat;
import dev.clickpipes.clickhouse.ClickHouseException;
import dev.clickpipes.clickhouse.ClickHouseTransport;
import dev.clickpipes.core.spi.SinkException.Kind;
import java.io.IOException;
import dev.clickpipes.core.Urls;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ClickHouseTransport} over ClickHouse's HTTP(S) interface, built on ClickHouse's Java
 * client-v2.
 *
 * <pre>{@code
 * ClickHouseTransport ch = HttpTransport.builder()
 *     .endpoint("https://host:8443")
 *     .credentials("clickpipes", secret)
 *     .database("analytics")
 *     .build();
 * }</pre>
 *
 * <p>Failures become {@link ClickHouseException}s: a server error carries the server's own message
 * and code (so it is classified by the code), a failure to reach the server at all (refused,
 * reset, timed out) is {@link Kind#RETRYABLE}, a TLS certificate the JVM does not trust and a wrong
 * configuration are {@link Kind#FATAL}. The transport never retries by itself: the pipe owns
 * retries, with backoff, and knows whether a batch may be sent again.
 *
 * <p>Thread-safe; holds a pool of HTTP connections and no threads of its own.
 */
public final class HttpTransport implements ClickHouseTransport {

    private static final Logger LOG = LoggerFactory.getLogger(HttpTransport.class);

    /**
     * {@code INSERT INTO <target> FORMAT <name>}, where the target is a table and an optional
     * column list; the data follows in the request body.
     */
    private static final Pattern INSERT = Pattern.compile(
            "\\s*INSERT\\s+INTO\\s+(.+?)\\s+FORMAT\\s+([A-Za-z0-9_]+)\\s*;?\\s*",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    /** A table name (plain, dotted, or back-quoted) followed by a parenthesised column list. */
    private static final Pattern TABLE_AND_COLUMNS = Pattern.compile(
            "((?:`(?:[^`\\\\]|\\\\.)*`|[A-Za-z0-9_.\"])+)\\s*\\((.*)\\)", Pattern.DOTALL);

    /** How client-v2 words an HTTP status it reports without a {@link ServerException}. */
    private static final Pattern SERVER_RETURNED = Pattern.compile(
            "^(?:Server returned '|Unexpected result status )(\\d{3})");

    /** How long {@link #abortInFlight()} keeps cancelling requests that have not ended yet. */
    private static final long ABORT_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Client client;
    /** Requests running now, on any thread: what {@link #abortInFlight()} cancels. */
    private final Set<InFlight> inFlight = ConcurrentHashMap.newKeySet();
    private final String endpoint;
    private final String database;
    private final String user;
    private final String where;
    /** The builder's codec, NONE once the server refused a compressed body. */
    private volatile InsertCompression compression;
    private final List<String> roles;
    private volatile boolean closed;

    private HttpTransport(Builder b) {
        this.endpoint = b.endpoint;
        this.database = b.database;
        this.user = b.user;
        this.where = "ClickHouse at " + endpoint + " (database " + database + ")";
        this.compression = b.compression;
        this.roles = List.copyOf(b.roles);
        Client.Builder cb = new Client.Builder()
                .addEndpoint(b.endpoint)
                .setUsername(b.user)
                .setPassword(b.password)
                .setDefaultDatabase(b.database)
                // Debian's 18.16 server answered compressed responses in a way the client
                // could not read (DESIGN.md); results here are small text anyway. Insert bodies
                // are compressed by us (CompressedBody), so the client sends them as they are.
                .compressServerResponse(false)
                .compressClientRequest(false)
                .setConnectTimeout(b.connectTimeout.toMillis(), ChronoUnit.MILLIS)
                .setSocketTimeout(b.socketTimeout.toMillis(), ChronoUnit.MILLIS)
                // The pipe retries with backoff and decides whether a batch may go again;
                // retries inside the client would hide failures and multiply the wait.
                .setMaxRetries(0)
                .retryOnFailures(ClientFaultCause.None)
                // No hidden threads: every call runs on the caller's thread.
                .useAsyncRequests(false)
                // The server's time zone only matters to client-v2's typed readers, which we do
                // not use; asking for it would cost a round trip.
                .useServerTimeZone(false)
                .useTimeZone("UTC")
                .setClientName("clickpipes-java");
        if (b.endpoint.startsWith("https:")) {
            cb.setSSLMode(SSLMode.STRICT);
            if (b.trustStore != null) {
                cb.setSSLTrustStore(b.trustStore.toString());
                cb.setSSLTrustStorePassword(b.trustStorePassword == null
                        ? "" : new String(b.trustStorePassword));
                cb.setSSLTrustStoreType(storeType(b.trustStore));
            } else if (b.caCertificate != null) {
                cb.setRootCertificate(b.caCertificate.toString());
            }
        }
        try {
            this.client = cb.build();
        } catch (RuntimeException e) {
            // Never echo the builder's state: it holds the password.
            throw new IllegalArgumentException("cannot configure the ClickHouse client for "
                    + endpoint + ": " + e.getMessage(), e);
        }
        LOG.debug("HTTP transport to {} as user {}", where, user);
    }

    /** A new builder; {@link Builder#endpoint(String)} and {@link Builder#credentials} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Sent with {@code wait_end_of_query=1}, so an error raised while the server is producing
     * the result still comes back as an HTTP error with its message, never as a truncated body
     * that looks successful.
     */
    @Override
    public String query(String sql) throws ClickHouseException {
        Objects.requireNonNull(sql, "sql");
        ensureOpen();
        InFlight call = begin();
        QuerySettings settings = new QuerySettings()
                .setFormat(ClickHouseFormat.TabSeparated)
                .setQueryId(call.queryId)
                .serverSetting("wait_end_of_query", "1");
        if (!roles.isEmpty()) {
            settings.setDBRoles(roles);
        }
        long start = System.nanoTime();
        try (QueryResponse response = await(client.query(sql, settings))) {
            call.response = response;
            String text = new String(response.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            LOG.debug("{}: {} ({} ms)", where, abbreviate(sql), (System.nanoTime() - start) / 1_000_000);
            return text;
        } catch (Exception e) {
            throw call.aborted ? aborted(call, e) : translate(e);
        } finally {
            inFlight.remove(call);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>{@code insertSql} must have the shape {@code INSERT INTO <table> [(<columns>)] FORMAT
     * <format>}, where the format is one client-v2 knows ({@code Native}, {@code RowBinary},
     * {@code RowBinaryWithDefaults}, {@code JSONEachRow}, ...); column names may be back-quoted.
     *
     * @throws IllegalArgumentException when {@code insertSql} does not have that shape
     */
    @Override
    public void insert(String insertSql, Map<String, String> settings, byte[] body, int length)
            throws ClickHouseException {
        Objects.requireNonNull(insertSql, "insertSql");
        Objects.checkFromIndexSize(0, length, body.length);
        ensureOpen();
        ParsedInsert parsed = ParsedInsert.parse(insertSql);
        InsertCompression codec = compression;
        try {
            send(parsed, insertSql, settings, body, length, codec);
        } catch (ClickHouseException e) {
            if (codec == InsertCompression.NONE || !refusesCompressedBodies(e)) {
                throw e;
            }
            // Refused before a row was read: sending the same body plainly cannot double it.
            LOG.warn("{} does not accept ClickHouse-compressed insert bodies ({}): this transport sends them"
                    + " uncompressed from now on; HttpTransport.builder().compression(InsertCompression.NONE) says so"
                    + " from the start", where, e.getMessage());
            compression = InsertCompression.NONE;
            send(parsed, insertSql, settings, body, length, InsertCompression.NONE);
        }
    }

    /**
     * Whether the server (or a front before it) refused {@code decompress=1} itself, as opposed
     * to the rows: it does not implement it, or not this codec.
     */
    private static boolean refusesCompressedBodies(ClickHouseException e) {
        String message = String.valueOf(e.getMessage());
        return e.code() == 89 || e.code() == 48 && message.contains("compress");
    }

    private void send(ParsedInsert parsed, String insertSql, Map<String, String> settings, byte[] body, int length,
            InsertCompression codec) throws ClickHouseException {
        InFlight call = begin();
        InsertSettings insertSettings = new InsertSettings().setQueryId(call.queryId);
        settings.forEach(insertSettings::serverSetting);
        if (!roles.isEmpty()) {
            insertSettings.setDBRoles(roles);
        }
        long start = System.nanoTime();
        long[] sent = {length};
        DataStreamWriter writer;
        if (codec != InsertCompression.NONE && length > 0) {
            insertSettings.serverSetting("decompress", "1");
            // Compressed block by block into the request's stream as it is sent, on this thread.
            writer = out -> {
                try (CompressedBody compressed = new CompressedBody(codec)) {
                    sent[0] = compressed.writeTo(body, length, out);
                }
            };
        } else {
            writer = out -> out.write(body, 0, length);
        }
        try (InsertResponse ignored = await(client.insert(parsed.table, parsed.columns, writer, parsed.format,
                insertSettings))) {
            LOG.debug("{}: {} with {} bytes, {} sent ({} ms)", where, abbreviate(insertSql), length, sent[0],
                    (System.nanoTime() - start) / 1_000_000);
        } catch (Exception e) {
            throw call.aborted ? aborted(call, e) : translate(e);
        } finally {
            inFlight.remove(call);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Every request carries a query id of its own; client-v2 keeps the request under that id
     * while it runs, and {@link Client#cancelTransportRequest(String)} cancels the underlying
     * Apache HttpClient request, which closes its connection: a thread blocked writing the body or
     * waiting for the answer gets an I/O error at once and throws a {@link Kind#RETRYABLE}
     * {@link ClickHouseException}. A result being read is ended by closing its response. The
     * connection is discarded, not returned to the pool, so later calls work as usual.
     *
     * <p>Waits up to about a second, cancelling again, for the requests that were running when it
     * was called (one may be between getting its id and reaching client-v2, where a cancel finds
     * nothing yet). An insert aborted this way may still have been applied by the server: it is
     * retried like any insert whose answer was lost, with the same deduplication token.
     */
    @Override
    public void abortInFlight() {
        List<InFlight> calls = new ArrayList<>(inFlight);
        if (calls.isEmpty()) {
            return;
        }
        LOG.info("{}: aborting {} request(s) in flight", where, calls.size());
        calls.forEach(c -> c.aborted = true);
        long deadline = System.nanoTime() + ABORT_WINDOW_NANOS;
        while (true) {
            calls.removeIf(c -> !inFlight.contains(c));
            if (calls.isEmpty() || System.nanoTime() > deadline) {
                break;
            }
            for (InFlight c : calls) {
                cancel(c);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (!calls.isEmpty()) {
            LOG.warn("{}: {} request(s) did not end within a second of being aborted", where, calls.size());
        }
    }

    private void cancel(InFlight call) {
        try {
            client.cancelTransportRequest(call.queryId);
            QueryResponse response = call.response;
            if (response != null) {
                response.close(); // a result being read: closing it drops the connection
            }
        } catch (Exception e) {
            LOG.debug("{}: cancelling request {} failed: {}", where, call.queryId, e.toString());
        }
    }

    private InFlight begin() {
        InFlight call = new InFlight(UUID.randomUUID().toString());
        inFlight.add(call);
        return call;
    }

    private ClickHouseException aborted(InFlight call, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new ClickHouseException(Kind.RETRYABLE, 0, where + ": request " + call.queryId
                + " aborted by abortInFlight() (" + rootMessage(e) + ")", e);
    }

    /** One request on its way: its query id, and whether it is being aborted. */
    private static final class InFlight {
        final String queryId;
        volatile boolean aborted;
        volatile QueryResponse response;

        InFlight(String queryId) {
            this.queryId = queryId;
        }
    }

    /** The endpoint and database, e.g. {@code ClickHouse at http://127.0.0.1:8123 (database default)}; no credentials. */
    @Override
    public String describe() {
        return where;
    }

    /** Closes the connection pool; later calls throw {@link IllegalStateException}. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            client.close();
            LOG.debug("closed HTTP transport to {}", where);
        }
    }

    /**
     * How insert bodies are compressed now: {@link Builder#compression}, or {@link
     * InsertCompression#NONE} once the server refused a compressed body.
     */
    public InsertCompression compression() {
        return compression;
    }

    /** Same as {@link #describe()}, plus the user name; never the password. */
    @Override
    public String toString() {
        return "HttpTransport[" + endpoint + ", database=" + database + ", user=" + user + "]";
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the transport to " + where + " is closed");
        }
    }

    /** client-v2 answers with futures; with async requests off they are already complete. */
    private static <T> T await(CompletableFuture<T> future) throws Exception {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /** Maps a client-v2 (or I/O) failure to our classification. */
    private ClickHouseException translate(Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return ClickHouseException.unreachable(where, e);
        }
        ServerException server = find(e, ServerException.class);
        if (server != null) {
            String text = server.getMessage();
            if (ClickHouseException.codeOf(text) != 0) {
                return ClickHouseException.fromServerMessage(where, text);
            }
            // No code in the body: not ClickHouse refusing the rows (a proxy or load balancer in
            // front of it, or an error body cut off by a reset), so never a data error.
            int status = server.getTransportProtocolCode();
            return new ClickHouseException(kindOfStatus(status), 0, where + ": HTTP " + status + ": " + text, e);
        }
        Matcher status = SERVER_RETURNED.matcher(rootMessage(e));
        if (status.find()) {
            // client-v2 turns some statuses into a bare message (502: "Server returned '502 Bad
            // gateway'. ...", 429: "Unexpected result status 429"): a proxy's answer, classified
            // by its status.
            int code = Integer.parseInt(status.group(1));
            return new ClickHouseException(kindOfStatus(code), 0, where + ": HTTP " + code + ": " + rootMessage(e), e);
        }
        if (find(e, CertificateException.class) != null
                || find(e, SSLPeerUnverifiedException.class) != null) {
            // The certificate is not trusted or does not match the host: retrying cannot help.
            return new ClickHouseException(Kind.FATAL, 0, where + ": TLS handshake failed ("
                    + rootMessage(e) + "); if the server's certificate is signed by a private CA,"
                    + " pass it with .caCertificatePem(path) or .trustStore(path, password)", e);
        }
        if (find(e, ClientMisconfigurationException.class) != null) {
            return new ClickHouseException(Kind.FATAL, 0, where + ": " + rootMessage(e), e);
        }
        if (find(e, IOException.class) != null || find(e, ConnectionInitiationException.class) != null) {
            // Refused, reset, timed out, no response: the server or the network is down.
            return ClickHouseException.unreachable(where, rootCause(e));
        }
        // A failure of the client itself that retrying is unlikely to fix: stop the pipe
        // rather than split batches or loop.
        return new ClickHouseException(Kind.FATAL, 0, where + ": " + e, e);
    }

    /**
     * The kind of an HTTP error that carries no ClickHouse code: credentials or a path a proxy
     * refuses stop the pipe, a body too large for it is split, everything else (5xx, 408, 429, a
     * 400 from a proxy, an error body cut short) is sent again.
     */
    static Kind kindOfStatus(int status) {
        return switch (status) {
            case 401, 403, 404, 407 -> Kind.FATAL;
            case 413 -> Kind.TOO_BIG;
            default -> Kind.RETRYABLE;
        };
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    private static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c;
    }

    private static String rootMessage(Throwable t) {
        Throwable root = rootCause(t);
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }

    private static String abbreviate(String sql) {
        String oneLine = sql.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "...";
    }

    private static String storeType(Path store) {
        String name = store.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".jks") ? "JKS" : "PKCS12";
    }

    /**
     * An INSERT statement taken apart into what client-v2's
     * {@code insert(table, columns, stream, format, settings)} wants; client-v2 puts it back
     * together as {@code INSERT INTO table (c1, c2) FORMAT f}.
     */
    record ParsedInsert(String table, List<String> columns, ClickHouseFormat format) {

        static ParsedInsert parse(String sql) {
            Matcher m = INSERT.matcher(sql);
            if (!m.matches()) {
                throw new IllegalArgumentException("insertSql must be INSERT INTO <table> [(<columns>)]"
                        + " FORMAT <format>, got: " + abbreviate(sql));
            }
            String target = m.group(1).strip();
            ClickHouseFormat format;
            try {
                format = ClickHouseFormat.valueOf(m.group(2));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("insertSql names format " + m.group(2)
                        + ", which the HTTP transport does not know; use Native, RowBinary,"
                        + " RowBinaryWithDefaults or another ClickHouse input format", e);
            }
            Matcher tc = TABLE_AND_COLUMNS.matcher(target);
            if (tc.matches()) {
                return new ParsedInsert(tc.group(1), splitColumns(tc.group(2)), format);
            }
            // No column list, or something we do not take apart (a table function, SETTINGS):
            // client-v2 places the target text verbatim after INSERT INTO.
            return new ParsedInsert(target, null, format);
        }

        /** Splits on commas outside back quotes and double quotes. */
        static List<String> splitColumns(String list) {
            List<String> out = new ArrayList<>();
            StringBuilder cur = new StringBuilder();
            char quote = 0;
            for (int i = 0; i < list.length(); i++) {
                char c = list.charAt(i);
                if (quote != 0) {
                    cur.append(c);
                    if (c == '\\' && i + 1 < list.length()) {
                        cur.append(list.charAt(++i));
                    } else if (c == quote) {
                        quote = 0;
                    }
                } else if (c == '`' || c == '"') {
                    quote = c;
                    cur.append(c);
                } else if (c == ',') {
                    out.add(cur.toString().strip());
                    cur.setLength(0);
                } else {
                    cur.append(c);
                }
            }
            out.add(cur.toString().strip());
            if (out.stream().anyMatch(String::isEmpty)) {
                throw new IllegalArgumentException("insertSql has an empty column name in (" + list + ")");
            }
            return out;
        }
    }

    /**
     * Configures an {@link HttpTransport}. Every setter returns this builder; {@link #build()}
     * checks the whole configuration.
     */
    public static final class Builder {

        private String endpoint;
        private String user;
        private String password = "";
        private String database = "default";
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration socketTimeout = Duration.ofSeconds(300);
        private Path trustStore;
        private char[] trustStorePassword;
        private Path caCertificate;
        private InsertCompression compression = InsertCompression.ZSTD;
        private List<String> roles = List.of();

        private Builder() {
        }

        /**
         * How insert bodies are compressed, in ClickHouse's own block framing (the server reads
         * it with {@code decompress=1}; every ClickHouse server does, Debian's 18.16 included).
         * Default {@link InsertCompression#ZSTD}, the codec that can reach the goal of at most a
         * third of the uncompressed bytes (0.27 on the JSON benchmark's events; LZ4 0.39).
         * Answers are never compressed (they are small).
         * A server or a front before it that refuses {@code decompress=1} (code 48
         * NOT_IMPLEMENTED naming it, or 89 UNKNOWN_COMPRESSION_METHOD: nothing was inserted) gets
         * that insert again uncompressed, and every later one: a warning is logged once and
         * {@link HttpTransport#compression()} answers {@link InsertCompression#NONE}. {@link
         * InsertCompression#NONE} here skips that first refused attempt.
         */
        public Builder compression(InsertCompression compression) {
            this.compression = compression;
            return this;
        }

        /**
         * Roles every request of this transport runs with (the HTTP {@code role} parameter, as
         * {@code SET ROLE} would give them; ClickHouse 24.4 and later), each granted to the user.
         * Default: none, the user's default roles.
         */
        public Builder roles(String... roles) {
            this.roles = new ArrayList<>(Arrays.asList(roles));
            return this;
        }

        /**
         * The server's HTTP interface, {@code http://host:port} or {@code https://host:port}
         * (8123 and 8443 are ClickHouse's usual ports). Required. Credentials go in
         * {@link #credentials}, never in the URL.
         */
        public Builder endpoint(String endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        /** The user and its password (empty for none). Required; the password is never logged. */
        public Builder credentials(String user, String password) {
            this.user = user;
            this.password = password == null ? "" : password;
            return this;
        }

        /** The database unqualified table names refer to. Default {@code default}. */
        public Builder database(String database) {
            this.database = database;
            return this;
        }

        /** How long to wait for a TCP (and TLS) connection. Default 10 seconds. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        /**
         * How long a read from the server may block. A large insert gets its answer only once
         * the server has written it, so this bounds one insert's server time. Default 300 seconds.
         */
        public Builder socketTimeout(Duration socketTimeout) {
            this.socketTimeout = socketTimeout;
            return this;
        }

        /**
         * For {@code https}: trust the certificates in this key store (PKCS12, or JKS when the
         * file name ends in {@code .jks}) instead of the JVM's. Default: the JVM's trust store.
         */
        public Builder trustStore(Path path, char[] password) {
            this.trustStore = path;
            this.trustStorePassword = password == null ? null : password.clone();
            return this;
        }

        /**
         * For {@code https}: trust the CA certificate(s) in this PEM file instead of the JVM's
         * trust store. Default: the JVM's trust store.
         */
        public Builder caCertificatePem(Path path) {
            this.caCertificate = path;
            return this;
        }

        /**
         * Checks the configuration and builds the transport.
         *
         * @throws IllegalArgumentException naming the field that is missing or wrong
         */
        public HttpTransport build() {
            if (endpoint == null || endpoint.isBlank()) {
                throw new IllegalArgumentException(
                        "endpoint is required, e.g. .endpoint(\"http://127.0.0.1:8123\")");
            }
            URI uri;
            try {
                uri = new URI(endpoint.strip());
            } catch (URISyntaxException e) {
                // not chained: the URISyntaxException's message holds the endpoint as given
                throw new IllegalArgumentException("endpoint is not a URL: " + Urls.mask(endpoint) + " (" + e.getReason()
                        + " at index " + e.getIndex() + ")");
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new IllegalArgumentException("endpoint must start with http:// or https://, got "
                        + Urls.mask(endpoint));
            }
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("endpoint has no host: " + Urls.mask(endpoint));
            }
            if (uri.getRawUserInfo() != null) {
                throw new IllegalArgumentException("endpoint must not carry credentials ("
                        + Urls.mask(endpoint) + "); pass them with .credentials(user, password)");
            }
            if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")
                    || uri.getRawQuery() != null) {
                throw new IllegalArgumentException("endpoint must be scheme://host:port only, got "
                        + Urls.mask(endpoint) + "; set the database with .database(name)");
            }
            int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 8443 : 8123;
            if (user == null || user.isBlank()) {
                throw new IllegalArgumentException(
                        "user is required: .credentials(user, password); ClickHouse's own is \"default\"");
            }
            if (database == null || database.isBlank()) {
                throw new IllegalArgumentException("database must not be blank (default \"default\")");
            }
            if (compression == null) {
                throw new IllegalArgumentException("compression must not be null; InsertCompression.NONE turns it off");
            }
            for (String role : roles) {
                if (role == null || role.isBlank()) {
                    throw new IllegalArgumentException("roles has a blank role: " + roles);
                }
            }
            requirePositive("connectTimeout", connectTimeout);
            requirePositive("socketTimeout", socketTimeout);
            if (trustStore != null && caCertificate != null) {
                throw new IllegalArgumentException(
                        "trustStore and caCertificatePem are both set; choose one");
            }
            if ((trustStore != null || caCertificate != null) && !scheme.equals("https")) {
                throw new IllegalArgumentException((trustStore != null ? "trustStore" : "caCertificatePem")
                        + " is set but endpoint " + Urls.mask(endpoint) + " is not https");
            }
            if (trustStore != null && !Files.isReadable(trustStore)) {
                throw new IllegalArgumentException("trustStore " + trustStore + " is not a readable file");
            }
            if (caCertificate != null && !Files.isReadable(caCertificate)) {
                throw new IllegalArgumentException("caCertificatePem " + caCertificate + " is not a readable file");
            }
            Builder copy = copy();
            // Normalized, so describe() and the client agree on the port even when it was implied.
            copy.endpoint = scheme + "://" + hostForUri(uri.getHost()) + ":" + port;
            return new HttpTransport(copy);
        }

        private Builder copy() {
            Builder c = new Builder();
            c.endpoint = endpoint;
            c.user = user;
            c.password = password;
            c.database = database;
            c.connectTimeout = connectTimeout;
            c.socketTimeout = socketTimeout;
            c.trustStore = trustStore;
            c.trustStorePassword = trustStorePassword == null ? null : trustStorePassword.clone();
            c.caCertificate = caCertificate;
            c.compression = compression;
            c.roles = roles;
            return c;
        }

        private static String hostForUri(String host) {
            return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        }

        private static void requirePositive(String field, Duration d) {
            if (d == null || d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException(field + " must be a positive duration, got " + d);
            }
        }

        /** Never shows the password. */
        @Override
        public String toString() {
            return "HttpTransport.Builder[" + Urls.mask(endpoint) + ", database=" + database + ", user=" + user + "]";
        }
    }
}
