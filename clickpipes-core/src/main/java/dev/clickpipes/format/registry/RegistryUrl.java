package dev.clickpipes.format.registry;

import dev.clickpipes.core.Urls;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A registry URL as ClickPipes takes it: the registry's root, or a path naming one schema
 * ({@code /schemas/ids/N}, {@code /subjects/S}, {@code /subjects/S/versions/V} or {@code .../latest}).
 * Everything before {@code /schemas} or {@code /subjects} is the registry's base (which may hold a
 * path prefix, for registries behind a gateway).
 */
final class RegistryUrl {

    private static final Pattern BY_ID = Pattern.compile("^(.*?)/schemas/ids/(\\d+)/?$");
    private static final Pattern BY_SUBJECT = Pattern.compile("^(.*?)/subjects/([^/]+)(?:/versions/([^/]+))?/?$");

    final URI base;
    /** The schema id the URL names, or -1. */
    final int id;
    /** The subject the URL names, or null. */
    final String subject;
    /** The subject version the URL names: a number or {@code latest}; null when no subject. */
    final String version;

    private RegistryUrl(URI base, int id, String subject, String version) {
        this.base = base;
        this.id = id;
        this.subject = subject;
        this.version = version;
    }

    static RegistryUrl parse(String url) {
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("SchemaRegistry.url: '" + Urls.mask(url) + "' is not a URL: "
                    + (e.getCause() instanceof java.net.URISyntaxException u ? u.getReason() + " at index " + u.getIndex()
                    : "malformed"));
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                || uri.getHost() == null) {
            throw new IllegalArgumentException("SchemaRegistry.url: '" + Urls.mask(url) + "' must be http(s)://host[:port][/path], "
                    + "e.g. https://registry:8081 or https://registry:8081/subjects/orders-value");
        }
        if (uri.getUserInfo() != null) {
            throw new IllegalArgumentException("SchemaRegistry.url: put credentials in .basicAuth(user, password), "
                    + "not in the URL");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String origin = uri.getScheme() + "://" + uri.getRawAuthority();
        Matcher m = BY_ID.matcher(path);
        if (m.matches()) {
            return new RegistryUrl(base(origin, m.group(1)), Integer.parseInt(m.group(2)), null, null);
        }
        m = BY_SUBJECT.matcher(path);
        if (m.matches()) {
            String version = m.group(3) == null ? "latest" : m.group(3);
            if (!version.equals("latest") && !version.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("SchemaRegistry.url: version '" + version
                        + "' must be a number or 'latest'");
            }
            return new RegistryUrl(base(origin, m.group(1)), -1,
                    URLDecoder.decode(m.group(2), StandardCharsets.UTF_8), version);
        }
        return new RegistryUrl(base(origin, path), -1, null, null);
    }

    private static URI base(String origin, String prefix) {
        String p = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        return URI.create(origin + p);
    }

    /** True when the URL names a schema, which then decodes messages without a Confluent header. */
    boolean namesSchema() {
        return id >= 0 || subject != null;
    }

    /** {@code /schemas/ids/N}, with {@code ?format=F} unless the format is null. */
    URI schemaById(int schemaId, String format) {
        return URI.create(base + "/schemas/ids/" + schemaId + query(format));
    }

    URI subjectVersion(String subjectName, String subjectVersion) {
        return subjectVersion(subjectName, subjectVersion, null);
    }

    URI subjectVersion(String subjectName, String subjectVersion, String format) {
        return URI.create(base + "/subjects/" + URLEncoder.encode(subjectName, StandardCharsets.UTF_8).replace("+", "%20")
                + "/versions/" + subjectVersion + query(format));
    }

    private static String query(String format) {
        return format == null ? "" : "?format=" + URLEncoder.encode(format, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        if (id >= 0) {
            return base + "/schemas/ids/" + id;
        }
        return subject == null ? base.toString() : base + "/subjects/" + subject + "/versions/" + version;
    }
}
