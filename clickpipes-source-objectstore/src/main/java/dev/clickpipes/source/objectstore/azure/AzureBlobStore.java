package dev.clickpipes.source.objectstore.azure;

import dev.clickpipes.core.Urls;
import dev.clickpipes.source.objectstore.LookaheadIterator;
import dev.clickpipes.source.objectstore.ObjectChangedException;
import dev.clickpipes.source.objectstore.ObjectInfo;
import dev.clickpipes.source.objectstore.ObjectStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * A container of Azure Blob Storage through the Blob service's REST API over {@code java.net.http}
 * (no SDK: azure-storage-blob brings Netty, Reactor and 19 MB of jars, and event-loop threads of its
 * own): List Blobs paged by marker from {@code startFrom}, Get Blob with {@code x-ms-range} for
 * streams from an offset and ranged reads, and {@code If-Match} with the listed ETag (a 412 or a
 * missing blob is an {@link ObjectChangedException}). Requests are signed with Shared Key, carry a
 * SAS token, or are anonymous (public containers). Errors become IOExceptions that name the
 * container, the blob and what to check; never a key, a signature or a token.
 */
public final class AzureBlobStore implements ObjectStore {

    /** The service version: 2026-02-06 is the first whose List Blobs takes {@code startFrom}. */
    static final String SERVICE_VERSION = "2026-02-06";
    private static final DateTimeFormatter RFC_1123 =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient http;
    private final URI account;
    private final String container;
    private final SharedKey key;
    private final String sas;
    private final String description;
    private final int pageSize;

    /**
     * A store of one container.
     *
     * @param accountEndpoint the account's Blob endpoint: {@code https://account.blob.core.windows.net},
     *                        or an emulator's with the account in the path, {@code http://127.0.0.1:10000/account}
     * @param container       the container
     * @param key             the Shared Key to sign with, or null
     * @param sas             a SAS token (the query string, no {@code ?}) to send, or null; neither: anonymous
     * @param credentials     what the credentials are, for messages (no secret)
     * @param pageSize        blobs per List Blobs page (the service's maximum is 5 000)
     */
    public AzureBlobStore(URI accountEndpoint, String container, SharedKey key, String sas, String credentials,
                          int pageSize) {
        String e = accountEndpoint.toString();
        this.account = URI.create(e.endsWith("/") ? e.substring(0, e.length() - 1) : e);
        this.container = container;
        this.key = key;
        this.sas = sas;
        this.pageSize = pageSize;
        this.description = "Azure Blob Storage " + Urls.mask(account.toString()) + " container " + container
                + " (" + credentials + ")";
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public Iterator<ObjectInfo> list(String prefix, String startAfter) throws IOException {
        Page first = page(prefix, startAfter, null);
        return new LookaheadIterator<>() {
            private Page page = first;

            @Override
            protected ObjectInfo findNext() {
                while (true) {
                    if (!page.blobs.isEmpty()) {
                        ObjectInfo o = page.blobs.poll();
                        // startFrom is inclusive; a directory of an account with a hierarchical namespace is no object
                        if ((startAfter == null || o.key().compareTo(startAfter) > 0) && !o.key().endsWith("/")) {
                            return o;
                        }
                    } else if (page.nextMarker != null) {
                        try {
                            page = page(prefix, startAfter, page.nextMarker);
                        } catch (IOException e) {
                            throw new IllegalStateException(e.getMessage(), e);
                        }
                    } else {
                        return null;
                    }
                }
            }
        };
    }

    private record Page(Deque<ObjectInfo> blobs, String nextMarker) {
    }

    private Page page(String prefix, String startAfter, String marker) throws IOException {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("restype", "container");
        query.put("comp", "list");
        if (!prefix.isEmpty()) {
            query.put("prefix", prefix);
        }
        query.put("maxresults", Integer.toString(pageSize));
        if (marker != null) {
            query.put("marker", marker);
        }
        if (startAfter != null) {
            query.put("startFrom", startAfter);
        }
        String what = "list " + url(prefix);
        HttpResponse<InputStream> response = send("GET", "/" + container, query, Map.of(), what);
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw failure(what, response.statusCode(), errorCode(response, body));
            }
            return parsePage(body.readAllBytes());
        }
    }

    /** A List Blobs answer: each Blob's Name, Content-Length, Last-Modified and Etag, and NextMarker. */
    private static Page parsePage(byte[] xml) throws IOException {
        Deque<ObjectInfo> blobs = new ArrayDeque<>();
        String nextMarker = null;
        try {
            XMLStreamReader r = xmlFactory().createXMLStreamReader(new ByteArrayInputStream(xml));
            String name = null;
            boolean encoded = false;
            String etag = "";
            long size = 0;
            Instant modified = Instant.EPOCH;
            boolean directory = false;
            while (r.hasNext()) {
                if (r.next() != XMLStreamConstants.START_ELEMENT) {
                    if (r.getEventType() == XMLStreamConstants.END_ELEMENT && r.getLocalName().equals("Blob")
                            && name != null && !directory) {
                        blobs.add(new ObjectInfo(encoded ? URLDecoder.decode(name, StandardCharsets.UTF_8) : name,
                                size, modified, etag));
                    }
                    continue;
                }
                switch (r.getLocalName()) {
                    case "Blob" -> {
                        name = null;
                        etag = "";
                        size = 0;
                        modified = Instant.EPOCH;
                        directory = false;
                    }
                    case "Name" -> {
                        encoded = "true".equalsIgnoreCase(r.getAttributeValue(null, "Encoded"));
                        name = r.getElementText();
                    }
                    case "Content-Length" -> size = Long.parseLong(r.getElementText().strip());
                    case "Last-Modified" -> modified = ZonedDateTime.parse(r.getElementText().strip(),
                            DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                    case "Etag" -> etag = r.getElementText().strip();
                    case "ResourceType" -> directory = "directory".equals(r.getElementText().strip());
                    case "NextMarker" -> {
                        String m = r.getElementText().strip();
                        nextMarker = m.isEmpty() ? null : m;
                    }
                    default -> {
                    }
                }
            }
        } catch (XMLStreamException | RuntimeException e) {
            throw new IOException("a List Blobs answer could not be read: " + e.getMessage(), e);
        }
        return new Page(blobs, nextMarker);
    }

    @Override
    public InputStream openRange(ObjectInfo object, long start, long end) throws IOException {
        if (end <= start) {
            return InputStream.nullInputStream();
        }
        Map<String, String> headers = new TreeMap<>();
        if (!object.version().isEmpty()) {
            headers.put("If-Match", quoted(object.version()));
        }
        if (start > 0 || end < object.size()) {
            headers.put("x-ms-range", "bytes=" + start + "-" + (end - 1));
        }
        String what = "read " + url(object.key());
        HttpResponse<InputStream> response = send("GET", blobPath(object.key()), Map.of(), headers, what);
        int status = response.statusCode();
        if (status == 200 || status == 206) {
            return response.body();
        }
        String code;
        try (InputStream body = response.body()) {
            code = errorCode(response, body);
        }
        if (status == 412 || "BlobNotFound".equals(code)) {
            throw new ObjectChangedException(url(object.key()), object.key(), object.version(), currentVersion(object.key()));
        }
        throw failure(what, status, code);
    }

    /** The blob's ETag now (as listings show it, without quotes), or null when it is gone or cannot be asked. */
    private String currentVersion(String key) {
        try {
            HttpResponse<InputStream> response = send("HEAD", blobPath(key), Map.of(), Map.of(), "ask about " + url(key));
            response.body().close();
            return response.statusCode() == 200 ? response.headers().firstValue("ETag").map(AzureBlobStore::unquoted)
                    .orElse(null) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private HttpResponse<InputStream> send(String method, String path, Map<String, String> query,
                                           Map<String, String> headers, String what) throws IOException {
        StringBuilder q = new StringBuilder();
        query.forEach((name, value) -> q.append(q.length() == 0 ? "" : "&").append(name).append('=').append(encode(value)));
        if (sas != null) {
            q.append(q.length() == 0 ? "" : "&").append(sas);
        }
        URI uri = URI.create(account + path + (q.length() == 0 ? "" : "?" + q));
        Map<String, String> all = new TreeMap<>(headers);
        all.put("x-ms-version", SERVICE_VERSION);
        all.put("x-ms-date", RFC_1123.format(Instant.now()));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).method(method,
                HttpRequest.BodyPublishers.noBody());
        all.forEach(request::header);
        if (key != null) {
            request.header("Authorization", key.authorization(method, uri, query, all));
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(description + ": interrupted while waiting to " + what);
        } catch (IOException e) {
            // java.net.http's messages name no URL; the SAS in the query stays out of them
            throw new IOException(description + ": cannot " + what + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
        }
    }

    /** The service's error code: the x-ms-error-code header, else the body's {@code <Code>}. */
    private static String errorCode(HttpResponse<InputStream> response, InputStream body) throws IOException {
        String header = response.headers().firstValue("x-ms-error-code").orElse(null);
        if (header != null) {
            return header;
        }
        byte[] xml = body.readNBytes(64 * 1024);
        try {
            XMLStreamReader r = xmlFactory().createXMLStreamReader(new ByteArrayInputStream(xml));
            while (r.hasNext()) {
                if (r.next() == XMLStreamConstants.START_ELEMENT && r.getLocalName().equals("Code")) {
                    return r.getElementText().strip();
                }
            }
        } catch (XMLStreamException e) {
            // no XML body (HEAD, a proxy's page): the status says what there is
        }
        return null;
    }

    /**
     * A failure as users read it: the code and what to check. Never the service's message, which for
     * a refused signature quotes the string that was signed.
     */
    private IOException failure(String what, int status, String code) {
        String hint = switch (code == null ? "" : code) {
            // Azure answers a wrong signature with AuthenticationFailed, Azurite with AuthorizationFailure
            case "AuthenticationFailed", "AuthorizationFailure", "AuthorizationPermissionMismatch",
                 "AuthorizationResourceTypeMismatch", "AuthorizationServiceMismatch", "AuthorizationProtocolMismatch" ->
                    key != null
                    ? "the account key was refused: check it is key1 or key2 of account " + key.account()
                            + ", and that the account's network rules admit this client"
                    : sas != null
                    ? "the SAS token was refused: check it is whole, for this account, not expired (se=), and grants"
                            + " list and read (sp=rl) on the container"
                    : "anonymous access was refused: the container is not public";
            case "NoAuthenticationInformation" -> "the container is not public: give ObjectAuth.azureSharedKey(account, key),"
                    + " ObjectAuth.azureSas(token) or ObjectAuth.azureConnectionString(...)";
            case "ContainerNotFound" -> "there is no container " + container + ": check the URL";
            case "ResourceNotFound" -> "no such account or container: check the URL";
            case "BlobNotFound" -> "there is no such blob (deleted since it was listed?)";
            default -> "see the service's documentation of the code";
        };
        return new IOException(description + ": cannot " + what + ": " + (code == null ? "" : code + ", ") + "HTTP " + status
                + " (" + hint + ")");
    }

    private String blobPath(String key) {
        StringBuilder p = new StringBuilder("/").append(container);
        for (String segment : key.split("/", -1)) {
            p.append('/').append(encode(segment));
        }
        return p.toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String quoted(String etag) {
        return etag.startsWith("\"") ? etag : "\"" + etag + "\"";
    }

    private static String unquoted(String etag) {
        return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"") ? etag.substring(1, etag.length() - 1) : etag;
    }

    private static XMLInputFactory xmlFactory() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        return f;
    }

    @Override
    public String url(String key) {
        return account + "/" + container + "/" + key;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        // HttpClient is AutoCloseable from Java 21 on; on 17 its selector thread ends with the client
        if (http instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                // nothing to do: no data is held
            }
        }
    }
}
