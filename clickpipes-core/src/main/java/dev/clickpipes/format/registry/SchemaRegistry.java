package dev.clickpipes.format.registry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.clickpipes.core.Urls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client of a Confluent-compatible schema registry (Confluent Platform and Cloud, Redpanda,
 * Apicurio's ccompat API, Karapace), on the JDK's HTTP client. Fetches schemas (Avro, Protobuf,
 * any {@code schemaType}) by id or by subject version and keeps them: a schema id never changes its
 * schema, so each is fetched once. The text comes back unparsed: each format's decoder parses its own
 * kind (and keeps what it parsed per id). Thread-safe; share one between pipes and formats.
 *
 * <p>The URL may be the registry's root, or name one schema: {@code /schemas/ids/N},
 * {@code /subjects/S} (its latest version, looked up once) or {@code /subjects/S/versions/V}.
 * Schema references (types defined under other subjects) are listed with each schema and fetched
 * with {@link #reference}.
 *
 * <pre>{@code
 * SchemaRegistry registry = SchemaRegistry.builder()
 *     .url("https://psrc-123.us-east-2.aws.confluent.cloud")
 *     .basicAuth(apiKey, apiSecret)
 *     .build();
 * }</pre>
 */
public final class SchemaRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistry.class);
    private static final JsonFactory JSON = new JsonFactory();
    private static final String ACCEPT = "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json, "
            + "application/json";
    private static final int ATTEMPTS = 3;
    /** The default of {@link Builder#maxResponseBytes(int)}: a schema is kilobytes, a large one a megabyte. */
    public static final int DEFAULT_MAX_RESPONSE_BYTES = 8 << 20;
    /** How much of an error answer is read for its message. */
    private static final int MAX_ERROR_BYTES = 64 << 10;

    private final RegistryUrl url;
    private final String authorization;
    private final String user;
    private final Duration timeout;
    private final int maxResponseBytes;
    private final HttpClient http;
    private final Map<ById, RegisteredSchema> byId = new ConcurrentHashMap<>();
    private final Map<ById, CompletableFuture<RegisteredSchema>> inFlight = new ConcurrentHashMap<>();
    /** References with a numbered version, which never change; {@code latest} is asked each time. */
    private final Map<SchemaReference, RegisteredSchema> references = new ConcurrentHashMap<>();
    private final Map<String, Map<SchemaReference, RegisteredSchema>> formattedReferences = new ConcurrentHashMap<>();
    private volatile RegisteredSchema configured;

    /** A schema id in one output format ({@code null}: the registry's default). */
    private record ById(int id, String format) {
    }

    private SchemaRegistry(Builder b) {
        this.url = b.url;
        this.user = b.user;
        this.authorization = b.user == null ? null : "Basic " + Base64.getEncoder().encodeToString(
                (b.user + ":" + b.password).getBytes(StandardCharsets.UTF_8));
        this.timeout = b.timeout;
        this.maxResponseBytes = b.maxResponseBytes;
        HttpClient.Builder hb = HttpClient.newBuilder().connectTimeout(b.timeout)
                // Redirects are followed here (see send), only to the same origin when credentials are set:
                // the Authorization header is added by hand and would follow the redirect to any host.
                .followRedirects(HttpClient.Redirect.NEVER);
        if (b.sslContext != null) {
            hb.sslContext(b.sslContext);
        }
        this.http = hb.build();
    }

    /** A builder; {@code url} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** A registry at this URL, without credentials or custom TLS. */
    public static SchemaRegistry of(String url) {
        return builder().url(url).build();
    }

    /** True when the URL names one schema ({@code /schemas/ids/N} or {@code /subjects/...}). */
    public boolean namesSchema() {
        return url.namesSchema();
    }

    /**
     * The schema with this global id, fetched on first use and then kept.
     *
     * @throws SchemaRegistryException when the registry has no such id, refuses the credentials, or is
     *                                 unreachable after retries
     */
    public RegisteredSchema schema(int id) throws SchemaRegistryException {
        return schema(id, null);
    }

    /**
     * The schema with this global id in one of the registry's output formats ({@code ?format=}), fetched
     * on first use and then kept. For Protobuf, {@code serialized} gives the schema as a base64
     * {@code FileDescriptorProto} instead of {@code .proto} text (Confluent Platform, Redpanda 25.2+).
     *
     * @param format the format, or null for the registry's default (the schema as registered)
     * @throws SchemaRegistryException as {@link #schema(int)}
     */
    public RegisteredSchema schema(int id, String format) throws SchemaRegistryException {
        ById key = new ById(id, format);
        RegisteredSchema s = byId.get(key);
        if (s != null) {
            return s;
        }
        // One fetch per id even when several threads meet a new id at once.
        CompletableFuture<RegisteredSchema> mine = new CompletableFuture<>();
        CompletableFuture<RegisteredSchema> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            return await(running, id);
        }
        try {
            s = byId.get(key);
            if (s == null) {
                s = parse(get(url.schemaById(id, format), "schema id " + id + formatted(format)), id, null, 0, format);
                LOG.info("schema registry {}: fetched schema id {} ({}{})", url.base, id, s.schemaType(), formatted(format));
            }
            mine.complete(s);
            return s;
        } catch (SchemaRegistryException | RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    private static String formatted(String format) {
        return format == null ? "" : " in format " + format;
    }

    private static RegisteredSchema await(CompletableFuture<RegisteredSchema> running, int id)
            throws SchemaRegistryException {
        try {
            return running.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException(SchemaRegistryException.Reason.UNAVAILABLE,
                    "interrupted while waiting for schema id " + id, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SchemaRegistryException sre) {
                throw sre;
            }
            throw (RuntimeException) e.getCause();
        }
    }

    /**
     * The schema the URL names, fetched once ({@code latest} is resolved at that moment); use it
     * for messages without a Confluent header.
     *
     * @throws IllegalStateException when the URL names no schema ({@link #namesSchema()} is false)
     */
    public RegisteredSchema configuredSchema() throws SchemaRegistryException {
        RegisteredSchema c = configured;
        if (c != null) {
            return c;
        }
        if (url.id >= 0) {
            c = schema(url.id);
        } else if (url.subject != null) {
            c = subjectVersion(url.subject, url.version);
        } else {
            throw new IllegalStateException("schema registry URL " + url + " names no schema; use "
                    + "/schemas/ids/N or /subjects/S[/versions/V]");
        }
        configured = c;
        return c;
    }

    /** The schema registered under a subject's version ({@code latest} or a number). */
    public RegisteredSchema subjectVersion(String subject, String version) throws SchemaRegistryException {
        byte[] body = get(url.subjectVersion(subject, version), "subject " + subject + " version " + version);
        return parse(body, -1, subject, 0, null);
    }

    /**
     * The schema a reference names (its subject's version), fetched once when the version is a number.
     *
     * @throws SchemaRegistryException as {@link #schema(int)}
     */
    public RegisteredSchema reference(SchemaReference ref) throws SchemaRegistryException {
        return reference(ref, null);
    }

    /**
     * The schema a reference names in one of the registry's output formats (see {@link #schema(int, String)}),
     * fetched once when the version is a number.
     *
     * @throws SchemaRegistryException as {@link #schema(int)}
     */
    public RegisteredSchema reference(SchemaReference ref, String format) throws SchemaRegistryException {
        Map<SchemaReference, RegisteredSchema> cache = format == null ? references
                : formattedReferences.computeIfAbsent(format, f -> new ConcurrentHashMap<>());
        RegisteredSchema s = cache.get(ref);
        if (s != null) {
            return s;
        }
        byte[] body = get(url.subjectVersion(ref.subject(), ref.version(), format), "reference " + ref.name()
                + " (subject " + ref.subject() + " version " + ref.version() + ")" + formatted(format));
        SchemaResponse r = SchemaResponse.read(body, url);
        s = new RegisteredSchema(r.id, type(r), text(r, "reference " + ref.name()), r.references, ref.subject(),
                r.version);
        if (ref.version().chars().allMatch(Character::isDigit)) {
            cache.putIfAbsent(ref, s);
        }
        return s;
    }

    private RegisteredSchema parse(byte[] body, int knownId, String subject, int knownVersion, String format)
            throws SchemaRegistryException {
        SchemaResponse r = SchemaResponse.read(body, url);
        int id = knownId >= 0 ? knownId : r.id;
        String text = text(r, what(id, subject));
        if (id < 0) {
            throw new SchemaRegistryException(SchemaRegistryException.Reason.INVALID, "schema registry " + url.base
                    + ": the answer for " + what(id, subject) + " has no id", null);
        }
        RegisteredSchema s = new RegisteredSchema(id, type(r), text, r.references, subject,
                r.version > 0 ? r.version : knownVersion);
        byId.putIfAbsent(new ById(id, format), s);
        return s;
    }

    /** The answer's schemaType; a registry leaves it out for Avro. */
    private static String type(SchemaResponse r) {
        return r.schemaType == null ? "AVRO" : r.schemaType;
    }

    private String text(SchemaResponse r, String what) throws SchemaRegistryException {
        if (r.schema == null) {
            throw new SchemaRegistryException(SchemaRegistryException.Reason.INVALID, "schema registry " + url.base
                    + ": the answer for " + what + " has no \"schema\"", null);
        }
        return r.schema;
    }

    private static String what(int id, String subject) {
        return subject != null ? "subject " + subject : "schema id " + id;
    }

    private static final int MAX_REDIRECTS = 5;

    private HttpRequest request(URI uri) {
        HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", ACCEPT).GET();
        if (authorization != null) {
            rb.header("Authorization", authorization);
        }
        return rb.build();
    }

    /**
     * Sends the GET, following up to {@value #MAX_REDIRECTS} redirects itself: with credentials only
     * to the same scheme, host and port (they must not reach another host); without, anywhere http(s).
     */
    private HttpResponse<byte[]> send(URI uri, String what) throws IOException, InterruptedException,
            SchemaRegistryException {
        for (int hop = 0; ; hop++) {
            HttpResponse<byte[]> response = exchange(uri, what);
            int status = response.statusCode();
            if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308) {
                return response;
            }
            java.util.Optional<String> location = response.headers().firstValue("Location");
            if (location.isEmpty() || hop >= MAX_REDIRECTS) {
                return response; // reported as the HTTP status it is
            }
            URI next;
            try {
                next = uri.resolve(location.get().strip());
            } catch (IllegalArgumentException e) {
                throw new SchemaRegistryException(SchemaRegistryException.Reason.UNAVAILABLE, "schema registry " + url.base
                        + " redirected " + what + " to a malformed URL", null);
            }
            boolean http = "http".equalsIgnoreCase(next.getScheme()) || "https".equalsIgnoreCase(next.getScheme());
            if (!http || authorization != null && !sameOrigin(uri, next)) {
                throw new SchemaRegistryException(SchemaRegistryException.Reason.UNAVAILABLE, "schema registry " + url.base
                        + " redirected " + what + " (HTTP " + status + ") to " + Urls.mask(next.toString())
                        + "; not followed" + (http ? " with the credentials of user " + user + " to another host"
                        : " (not http)") + ": point SchemaRegistry.url at the registry itself", null);
            }
            uri = next;
        }
    }

    /**
     * One GET, its body bounded ({@link BoundedBody}) and the whole exchange, answer included, within
     * the timeout (the request's own timeout ends when the headers arrive; a body could trickle for ever).
     */
    private HttpResponse<byte[]> exchange(URI uri, String what) throws IOException, InterruptedException,
            SchemaRegistryException {
        CompletableFuture<HttpResponse<byte[]>> f = http.sendAsync(request(uri),
                BoundedBody.handler(maxResponseBytes, MAX_ERROR_BYTES));
        try {
            return f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new HttpTimeoutException("no whole answer within " + timeout);
        } catch (InterruptedException e) {
            f.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof BoundedBody.TooLarge t) {
                throw new SchemaRegistryException(SchemaRegistryException.Reason.INVALID, "schema registry "
                        + Urls.mask(uri.toString()) + " answered " + what + " with "
                        + (t.declared > maxResponseBytes ? t.declared + " bytes" : "more than " + maxResponseBytes + " bytes")
                        + ", over the limit of " + maxResponseBytes + " bytes (SchemaRegistry.maxResponseBytes, default "
                        + DEFAULT_MAX_RESPONSE_BYTES + "); not read further", null);
            }
            if (c instanceof IOException io) {
                throw io;
            }
            throw new IOException(c.toString(), c);
        }
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI u) {
        return u.getPort() != -1 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    /** GETs a resource, retrying connection failures and server errors; maps 404, 401 and 403. */
    private byte[] get(URI uri, String what) throws SchemaRegistryException {
        String failure = null;
        Throwable cause = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                HttpResponse<byte[]> response = send(uri, what);
                int status = response.statusCode();
                if (status == 200) {
                    return response.body();
                }
                String detail = errorMessage(response.body()); // an error body cut at 64 KB has no message: fine
                if (status == 404) {
                    throw new SchemaRegistryException(SchemaRegistryException.Reason.NOT_FOUND, "schema registry "
                            + url.base + " has no " + what + " (HTTP 404" + detail + ")", null);
                }
                if (status == 401 || status == 403) {
                    throw new SchemaRegistryException(SchemaRegistryException.Reason.UNAUTHORIZED, "schema registry "
                            + url.base + " refused " + (user == null ? "the request without credentials"
                            : "the credentials of user " + user) + " for " + what + " (HTTP " + status + detail
                            + "); check .basicAuth(user, password)", null);
                }
                failure = "HTTP " + status + detail;
                if (status < 500 && status != 429) {
                    break;
                }
            } catch (SSLHandshakeException e) {
                throw new SchemaRegistryException(SchemaRegistryException.Reason.UNAVAILABLE, "schema registry "
                        + url.base + ": the TLS handshake failed (" + e.getMessage() + "); trust its CA with "
                        + ".caPem(...) or .tls(sslContext)", e);
            } catch (HttpTimeoutException | ConnectException e) {
                failure = e.toString();
                cause = e;
            } catch (IOException e) {
                failure = e.toString();
                cause = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException(SchemaRegistryException.Reason.UNAVAILABLE, "interrupted while "
                        + "fetching " + what + " from " + url.base, e);
            }
            if (attempt < ATTEMPTS) {
                try {
                    Thread.sleep(200L << (2 * (attempt - 1))); // 200 ms, 800 ms
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        throw new SchemaRegistryException(SchemaRegistryException.Reason.UNAVAILABLE, "schema registry " + url.base
                + " did not give " + what + ": " + failure, cause);
    }

    private static String errorMessage(byte[] body) {
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return "";
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if ("message".equals(name) && p.currentToken() == JsonToken.VALUE_STRING) {
                    return ": " + p.getText();
                }
                p.skipChildren();
            }
        } catch (IOException e) {
            // not JSON: the status alone says enough
        }
        return "";
    }

    /** The registry's URL, never its credentials. */
    public String describe() {
        return url.toString();
    }

    @Override
    public String toString() {
        return "SchemaRegistry[" + url + (user == null ? "" : ", user " + user) + "]";
    }

    /** Builds a {@link SchemaRegistry}; settings are checked at {@link #build()}. */
    public static final class Builder {
        private RegistryUrl url;
        private String user;
        private String password;
        private SSLContext sslContext;
        private Duration timeout = Duration.ofSeconds(10);
        private int maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;

        private Builder() {
        }

        /**
         * The registry: its root ({@code https://registry:8081}) or a path naming the schema for
         * messages without a header ({@code .../schemas/ids/N}, {@code .../subjects/S[/versions/V]}).
         * Required.
         */
        public Builder url(String value) {
            url = RegistryUrl.parse(Objects.requireNonNull(value, "SchemaRegistry.url is null"));
            return this;
        }

        /** HTTP basic authentication (Confluent Cloud: the API key and secret). Default: none. */
        public Builder basicAuth(String username, String password) {
            if (username == null || username.isEmpty() || password == null) {
                throw new IllegalArgumentException("SchemaRegistry.basicAuth: give a user name and a password");
            }
            this.user = username;
            this.password = password;
            return this;
        }

        /** TLS with this context (trust store, client certificate). Default: the JVM's trust store. */
        public Builder tls(SSLContext value) {
            sslContext = Objects.requireNonNull(value, "SchemaRegistry.tls: sslContext is null");
            return this;
        }

        /** TLS trusting only the CA certificate(s) in this PEM text. */
        public Builder caPem(String pem) {
            return tls(trusting(pem));
        }

        /** TLS trusting only the CA certificate(s) in this PEM file. */
        public Builder caPem(Path file) {
            try {
                return caPem(Files.readString(file, StandardCharsets.US_ASCII));
            } catch (IOException e) {
                throw new UncheckedIOException("SchemaRegistry.caPem: cannot read " + file + ": " + e.getMessage(), e);
            }
        }

        /** How long a request may take (connect and answer); default 10 s. */
        public Builder timeout(Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("SchemaRegistry.timeout must be positive, was " + value);
            }
            timeout = value;
            return this;
        }

        /**
         * The largest answer read from the registry, in bytes; default
         * {@value SchemaRegistry#DEFAULT_MAX_RESPONSE_BYTES} (8 MB). A larger answer is not read: the
         * lookup fails as {@link SchemaRegistryException.Reason#INVALID} (its records go to the error
         * table), naming the URL and this limit.
         */
        public Builder maxResponseBytes(int value) {
            if (value < 1024 || value > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("SchemaRegistry.maxResponseBytes must be 1024 bytes or more, was " + value);
            }
            maxResponseBytes = value;
            return this;
        }

        /** A registry client; fails when the URL is not set. */
        public SchemaRegistry build() {
            if (url == null) {
                throw new IllegalArgumentException("SchemaRegistry.url is not set: e.g. .url(\"https://registry:8081\")");
            }
            return new SchemaRegistry(this);
        }

        private static SSLContext trusting(String pem) {
            if (pem == null || !pem.contains("-----BEGIN CERTIFICATE-----")) {
                throw new IllegalArgumentException("SchemaRegistry.caPem: expected PEM text with "
                        + "-----BEGIN CERTIFICATE-----");
            }
            try {
                CertificateFactory cf = CertificateFactory.getInstance("X.509");
                List<Certificate> certs = new ArrayList<>(cf.generateCertificates(
                        new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
                KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
                ks.load(null, null);
                for (int i = 0; i < certs.size(); i++) {
                    ks.setCertificateEntry("ca-" + i, certs.get(i));
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(ks);
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(null, tmf.getTrustManagers(), null);
                return ctx;
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalArgumentException("SchemaRegistry.caPem: cannot read the CA certificate: " + e.getMessage(), e);
            }
        }
    }
}
