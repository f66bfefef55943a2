package dev.clickpipes.format.avro;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.apache.avro.Schema;

/**
 * The smallest honest schema registry: the part of Confluent's REST API that serializers and
 * deserializers use, on the JDK's HTTP server, bound to 127.0.0.1. Schemas get global ids (the same
 * schema text keeps its id across subjects), subjects keep versions.
 *
 * <ul>
 *   <li>{@code GET /schemas/ids/{id}} → {@code {"schema": "..."}} ({@code "schemaType"} too when not Avro);
 *       with {@code ?format=serialized}, a Protobuf schema as its base64 {@code FileDescriptorProto}</li>
 *   <li>{@code GET /subjects} → {@code ["a", "b"]}</li>
 *   <li>{@code GET /subjects/{s}/versions} → {@code [1, 2]}</li>
 *   <li>{@code GET /subjects/{s}/versions/{v|latest}} → {@code {"subject", "id", "version", "schema"}}</li>
 *   <li>{@code POST /subjects/{s}/versions} with {@code {"schema": "..."}} → {@code {"id": N}}</li>
 * </ul>
 * Errors as Confluent's: {@code {"error_code": 40403, "message": "Schema not found"}}; optional
 * HTTP basic auth (401 without it) and TLS.
 */
public final class TestSchemaRegistry implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ID = Pattern.compile("^/schemas/ids/(\\d+)/?$");
    private static final Pattern VERSIONS = Pattern.compile("^/subjects/([^/]+)/versions/?$");
    private static final Pattern VERSION = Pattern.compile("^/subjects/([^/]+)/versions/([^/]+)/?$");

    private final HttpServer server;
    private final String authorization;
    private final Map<Integer, String> schemas = new ConcurrentHashMap<>();
    private final Map<String, Integer> idsBySchema = new ConcurrentHashMap<>();
    private final Map<Integer, ArrayNode> references = new ConcurrentHashMap<>();
    private final java.util.Set<Integer> protobuf = ConcurrentHashMap.newKeySet();
    /** Protobuf schemas: their base64 {@code FileDescriptorProto}, the answer to {@code ?format=serialized}. */
    private final Map<Integer, String> serialized = new ConcurrentHashMap<>();
    private final Map<String, List<Integer>> subjects = new LinkedHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);
    private final AtomicInteger requests = new AtomicInteger();
    private final Map<String, AtomicInteger> requestsByPath = new ConcurrentHashMap<>();
    private final AtomicLong bytesSent = new AtomicLong();
    private volatile long padding;
    private volatile long pauseMillis;

    private TestSchemaRegistry(int port, String user, String password, SSLContext tls) throws IOException {
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        if (tls != null) {
            HttpsServer https = HttpsServer.create(address, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = https;
        } else {
            server = HttpServer.create(address, 0);
        }
        authorization = user == null ? null : "Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + password).getBytes(StandardCharsets.UTF_8));
        server.createContext("/", this::handle);
        server.start();
    }

    /** A registry on 127.0.0.1:{@code port}, without auth. */
    public static TestSchemaRegistry start(int port) throws IOException {
        return new TestSchemaRegistry(port, null, null, null);
    }

    /** A registry on 127.0.0.1:{@code port} requiring basic auth, over TLS when {@code tls} is set. */
    public static TestSchemaRegistry start(int port, String user, String password, SSLContext tls) throws IOException {
        return new TestSchemaRegistry(port, user, password, tls);
    }

    /** The base URL, {@code http://127.0.0.1:port}. */
    public String url() {
        return (server instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Registers a schema under a subject (as a POST would); returns its global id. */
    public int register(String subject, Schema schema) {
        return register(subject, schema.toString());
    }

    /** Registers schema text under a subject; returns its global id. */
    public int register(String subject, String schemaText) {
        return register(subject, schemaText, List.of());
    }

    /**
     * Registers schema text that names types of other subjects' latest versions (Confluent's schema
     * references, each {@code {name, subject, version}}); returns its global id.
     */
    public synchronized int register(String subject, String schemaText, List<String> referencedSubjects) {
        Schema.Parser parser = new Schema.Parser();
        ArrayNode refs = JSON.createArrayNode();
        for (String ref : referencedSubjects) {
            List<Integer> versions = subjects.get(ref);
            Schema referenced = parser.parse(schemas.get(versions.get(versions.size() - 1)));
            refs.addObject().put("name", referenced.getFullName()).put("subject", ref).put("version", versions.size());
        }
        // Stored as given: a schema with references only parses together with them.
        String canonical = referencedSubjects.isEmpty() ? parser.parse(schemaText).toString() : schemaText;
        if (!referencedSubjects.isEmpty()) {
            parser.parse(schemaText);
        }
        int id = idsBySchema.computeIfAbsent(canonical, k -> nextId.getAndIncrement());
        schemas.put(id, canonical);
        references.put(id, refs);
        addVersion(subject, id);
        return id;
    }

    /**
     * Registers a Protobuf schema: its {@code .proto} text (the default answer) and its base64
     * {@code FileDescriptorProto} (the {@code ?format=serialized} answer), importing the files
     * registered under other subjects (import path → subject, their latest version); returns its id.
     * Without the serialized form ({@code null}) it answers the text to {@code ?format=serialized} too,
     * as a registry that cannot compile {@code .proto} does.
     */
    public synchronized int registerProtobuf(String subject, String protoText, String serializedBase64,
                                             Map<String, String> imports) {
        ArrayNode refs = JSON.createArrayNode();
        imports.forEach((path, ref) -> refs.addObject().put("name", path).put("subject", ref)
                .put("version", subjects.get(ref).size()));
        int id = idsBySchema.computeIfAbsent("PROTOBUF:" + protoText, k -> nextId.getAndIncrement());
        schemas.put(id, protoText);
        protobuf.add(id);
        if (serializedBase64 != null) {
            serialized.put(id, serializedBase64);
        }
        references.put(id, refs);
        addVersion(subject, id);
        return id;
    }

    /** A subject's next version is this id, unless the subject has it already (as a registry keeps it). */
    private void addVersion(String subject, int id) {
        List<Integer> versions = subjects.computeIfAbsent(subject, k -> new ArrayList<>());
        if (!versions.contains(id)) {
            versions.add(id);
        }
    }

    /** Requests served so far (authorized or not). */
    public int requests() {
        return requests.get();
    }

    /** Requests served for this path. */
    public int requests(String path) {
        AtomicInteger n = requestsByPath.get(path);
        return n == null ? 0 : n.get();
    }

    /**
     * Makes every later answer a registry gone wrong: the JSON is followed by {@code bytes} spaces,
     * sent chunked (no Content-Length) 64 KB at a time with {@code pauseMillis} between chunks,
     * until the client stops reading. 0 bytes: answers as usual again.
     */
    public void padAnswers(long bytes, long pauseMillis) {
        this.padding = bytes;
        this.pauseMillis = pauseMillis;
    }

    /** Body bytes written to clients so far (padding included). */
    public long bytesSent() {
        return bytesSent.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            requests.incrementAndGet();
            String path = ex.getRequestURI().getRawPath();
            requestsByPath.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
            if (authorization != null && !authorization.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                error(ex, 401, 401, "Unauthorized");
                return;
            }
            String method = ex.getRequestMethod();
            Matcher m;
            if (method.equals("GET") && (m = ID.matcher(path)).matches()) {
                int id = Integer.parseInt(m.group(1));
                if (!schemas.containsKey(id)) {
                    error(ex, 404, 40403, "Schema " + m.group(1) + " not found");
                    return;
                }
                ObjectNode body = JSON.createObjectNode();
                addSchema(body, id, ex.getRequestURI().getRawQuery());
                addReferences(body, id);
                send(ex, 200, body);
            } else if (method.equals("GET") && path.matches("^/subjects/?$")) {
                synchronized (this) {
                    send(ex, 200, JSON.valueToTree(new ArrayList<>(subjects.keySet())));
                }
            } else if (method.equals("GET") && (m = VERSIONS.matcher(path)).matches()) {
                List<Integer> versions = versions(decode(m.group(1)));
                if (versions == null) {
                    error(ex, 404, 40401, "Subject '" + decode(m.group(1)) + "' not found.");
                    return;
                }
                List<Integer> numbers = new ArrayList<>();
                for (int i = 1; i <= versions.size(); i++) {
                    numbers.add(i);
                }
                send(ex, 200, JSON.valueToTree(numbers));
            } else if (method.equals("GET") && (m = VERSION.matcher(path)).matches()) {
                getVersion(ex, decode(m.group(1)), m.group(2));
            } else if (method.equals("POST") && (m = VERSIONS.matcher(path)).matches()) {
                JsonNode request = JSON.readTree(ex.getRequestBody());
                JsonNode schema = request.get("schema");
                if (schema == null || !schema.isTextual()) {
                    error(ex, 422, 42201, "Either the input schema or one of its references is invalid");
                    return;
                }
                int id;
                try {
                    id = register(decode(m.group(1)), schema.asText());
                } catch (RuntimeException e) {
                    error(ex, 422, 42201, "Invalid schema: " + e.getMessage());
                    return;
                }
                ObjectNode body = JSON.createObjectNode();
                body.put("id", id);
                send(ex, 200, body);
            } else {
                error(ex, 404, 404, "HTTP 404 Not Found");
            }
        }
    }

    private void getVersion(HttpExchange ex, String subject, String version) throws IOException {
        List<Integer> versions = versions(subject);
        if (versions == null) {
            error(ex, 404, 40401, "Subject '" + subject + "' not found.");
            return;
        }
        int v;
        if (version.equals("latest") || version.equals("-1")) {
            v = versions.size();
        } else if (version.matches("\\d+")) {
            v = Integer.parseInt(version);
        } else {
            error(ex, 422, 42202, "The specified version '" + version + "' is not a valid version id.");
            return;
        }
        if (v < 1 || v > versions.size()) {
            error(ex, 404, 40402, "Version " + version + " not found.");
            return;
        }
        int id = versions.get(v - 1);
        ObjectNode body = JSON.createObjectNode();
        body.put("subject", subject);
        body.put("version", v);
        body.put("id", id);
        addSchema(body, id, ex.getRequestURI().getRawQuery());
        addReferences(body, id);
        send(ex, 200, body);
    }

    /** The schema (as asked: {@code format=serialized} gives a Protobuf schema's descriptor) and its type. */
    private void addSchema(ObjectNode body, int id, String query) {
        String proto = serialized.get(id);
        if (protobuf.contains(id)) {
            body.put("schemaType", "PROTOBUF");
        }
        body.put("schema", proto != null && "format=serialized".equals(query) ? proto : schemas.get(id));
    }

    private void addReferences(ObjectNode body, int id) {
        ArrayNode refs = references.get(id);
        if (refs != null && !refs.isEmpty()) {
            body.set("references", refs);
        }
    }

    private synchronized List<Integer> versions(String subject) {
        List<Integer> v = subjects.get(subject);
        return v == null ? null : new ArrayList<>(v);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private void error(HttpExchange ex, int status, int code, String message) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.put("error_code", code);
        body.put("message", message);
        send(ex, status, body);
    }

    private void send(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
        long pad = padding;
        ex.sendResponseHeaders(status, pad > 0 ? 0 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
            bytesSent.addAndGet(bytes.length);
            byte[] spaces = new byte[64 << 10];
            java.util.Arrays.fill(spaces, (byte) ' ');
            for (long left = pad; left > 0; left -= spaces.length) {
                if (pauseMillis > 0) {
                    Thread.sleep(pauseMillis);
                }
                int n = (int) Math.min(left, spaces.length);
                out.write(spaces, 0, n);
                bytesSent.addAndGet(n);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
