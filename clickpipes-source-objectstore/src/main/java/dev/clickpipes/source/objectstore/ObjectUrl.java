package dev.clickpipes.source.objectstore;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A URL as users write them, split into where the store is, the bucket and the key pattern:
 * <ul>
 *   <li>{@code s3://bucket/path/*.parquet}</li>
 *   <li>{@code https://bucket.s3.region.amazonaws.com/path/**.ndjson.gz} (virtual-hosted),
 *       {@code https://s3.region.amazonaws.com/bucket/path} (path-style)</li>
 *   <li>{@code gs://bucket/path}, {@code https://storage.googleapis.com/bucket/path}</li>
 *   <li>{@code https://host:port/bucket/path} for any other S3-compatible store (MinIO, R2, ...): path-style</li>
 *   <li>{@code file:///folder/**.csv} for local files</li>
 * </ul>
 *
 * @param kind     which API serves it
 * @param endpoint the store's endpoint when the URL names one (null: the provider's default)
 * @param region   the AWS region the host names, or null
 * @param bucket   the bucket (for files: the root folder, the part before the first wildcard's folder)
 * @param pattern  the key pattern inside the bucket
 * @param pathStyle true when the bucket is in the path rather than the host name
 */
record ObjectUrl(Kind kind, URI endpoint, String region, String bucket, String pattern, boolean pathStyle) {

    /** The APIs. */
    enum Kind { S3, GCS, FILE }

    private static final Pattern AWS_VIRTUAL = Pattern.compile(
            "(?<bucket>.+)\\.s3(?:[.-](?<region>(?!amazonaws)[a-z0-9-]+))?(?:\\.dualstack)?\\.amazonaws\\.com(?:\\.cn)?");
    private static final Pattern AWS_PATH = Pattern.compile(
            "s3(?:[.-](?<region>(?!amazonaws)[a-z0-9-]+))?(?:\\.dualstack)?\\.amazonaws\\.com(?:\\.cn)?");
    private static final String GCS_HOST = "storage.googleapis.com";

    static ObjectUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("ObjectStoreSource.url is not set: e.g. s3://bucket/path/*.parquet");
        }
        int schemeEnd = url.indexOf("://");
        if (schemeEnd < 0) {
            throw new IllegalArgumentException("ObjectStoreSource.url '" + url
                    + "' has no scheme: write s3://, gs://, https:// or file://");
        }
        String scheme = url.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        String rest = url.substring(schemeEnd + 3);
        switch (scheme) {
            case "s3", "s3a" -> {
                return bucketAndKey(Kind.S3, null, null, rest, false, url);
            }
            case "gs", "gcs" -> {
                return bucketAndKey(Kind.GCS, null, null, rest, true, url);
            }
            case "file" -> {
                String path = URLDecoder.decode(rest.startsWith("/") ? rest : "/" + rest.substring(rest.indexOf('/') + 1),
                        StandardCharsets.UTF_8);
                int wildcard = firstWildcard(path);
                int cut = path.lastIndexOf('/', wildcard < 0 ? path.length() - 1 : wildcard);
                String root = cut <= 0 ? "/" : path.substring(0, cut);
                return new ObjectUrl(Kind.FILE, null, null, root, path.substring(cut + 1), true);
            }
            case "http", "https" -> {
                int slash = rest.indexOf('/');
                String authority = slash < 0 ? rest : rest.substring(0, slash);
                String path = slash < 0 ? "" : rest.substring(slash + 1);
                String host = authority.contains(":") ? authority.substring(0, authority.indexOf(':')) : authority;
                URI base = URI.create(scheme + "://" + authority);
                Matcher m = AWS_VIRTUAL.matcher(host);
                if (m.matches()) {
                    return new ObjectUrl(Kind.S3, null, m.group("region"), m.group("bucket"), decode(path), false);
                }
                m = AWS_PATH.matcher(host);
                if (m.matches()) {
                    return bucketAndKey(Kind.S3, null, m.group("region"), path, true, url);
                }
                if (host.equals(GCS_HOST)) {
                    return bucketAndKey(Kind.GCS, base, null, path, true, url);
                }
                if (host.endsWith("." + GCS_HOST)) {
                    return new ObjectUrl(Kind.GCS, URI.create(scheme + "://" + GCS_HOST), null,
                            host.substring(0, host.length() - GCS_HOST.length() - 1), decode(path), true);
                }
                return bucketAndKey(Kind.S3, base, null, path, true, url);
            }
            default -> throw new IllegalArgumentException("ObjectStoreSource.url '" + url + "': scheme " + scheme
                    + " is not supported; write s3://, gs://, https:// or file://");
        }
    }

    private static ObjectUrl bucketAndKey(Kind kind, URI endpoint, String region, String rest, boolean pathStyle,
                                          String url) {
        int slash = rest.indexOf('/');
        if (slash <= 0) {
            throw new IllegalArgumentException("ObjectStoreSource.url '" + url
                    + "' names no bucket and key: write e.g. s3://bucket/path/*.ndjson");
        }
        return new ObjectUrl(kind, endpoint, region, rest.substring(0, slash), decode(rest.substring(slash + 1)), pathStyle);
    }

    private static String decode(String path) {
        // Users paste keys percent-encoded from consoles; '+' stays a '+' in a key.
        return URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static int firstWildcard(String p) {
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '*' || c == '?' || c == '{') {
                return i;
            }
        }
        return -1;
    }
}
