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
 *   <li>{@code https://account.blob.core.windows.net/container/path} (Azure Blob Storage; also
 *       {@code abfss://container@account.dfs.core.windows.net/path} and {@code wasbs://container@account.blob...},
 *       read through the same account's Blob endpoint); with Azure credentials, {@code http://host:port/account/container/path}
 *       is an emulator's path-style URL (Azurite)</li>
 *   <li>{@code file:///folder/**.csv} for local files</li>
 * </ul>
 *
 * @param kind     which API serves it
 * @param endpoint the store's endpoint when the URL names one (null: the provider's default); for Azure the
 *                 account's Blob endpoint ({@code https://account.blob.core.windows.net}, or with the account in the path)
 * @param region   the AWS region the host names, or null
 * @param bucket   the bucket or Azure container (for files: the root folder, the part before the first wildcard's folder)
 * @param pattern  the key pattern inside the bucket
 * @param pathStyle true when the bucket is in the path rather than the host name
 */
record ObjectUrl(Kind kind, URI endpoint, String region, String bucket, String pattern, boolean pathStyle) {

    /** The APIs. */
    enum Kind { S3, GCS, AZURE, FILE }

    private static final Pattern AWS_VIRTUAL = Pattern.compile(
            "(?<bucket>.+)\\.s3(?:[.-](?<region>(?!amazonaws)[a-z0-9-]+))?(?:\\.dualstack)?\\.amazonaws\\.com(?:\\.cn)?");
    private static final Pattern AWS_PATH = Pattern.compile(
            "s3(?:[.-](?<region>(?!amazonaws)[a-z0-9-]+))?(?:\\.dualstack)?\\.amazonaws\\.com(?:\\.cn)?");
    private static final String GCS_HOST = "storage.googleapis.com";
    /** An Azure storage account's Blob or Data Lake (dfs) host, in any of Azure's clouds. */
    private static final Pattern AZURE_HOST = Pattern.compile(
            "(?<account>[a-z0-9]{3,24})\\.(?:blob|dfs)\\.(?<suffix>core\\.[a-z0-9.-]+)");

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
            case "abfs", "abfss", "wasb", "wasbs" -> {
                return azureHadoop(scheme, rest, url);
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
                m = AZURE_HOST.matcher(host);
                if (m.matches()) {
                    URI endpoint = URI.create("https://" + m.group("account") + ".blob." + m.group("suffix")
                            + (authority.contains(":") ? authority.substring(authority.indexOf(':')) : ""));
                    return bucketAndKey(Kind.AZURE, endpoint, null, path, false, url);
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
                    + " is not supported; write s3://, gs://, https://, abfss:// or file://");
        }
    }

    /** {@code abfss://container@account.dfs.core.windows.net/path}, as Hadoop and Spark write it; read through Blob. */
    private static ObjectUrl azureHadoop(String scheme, String rest, String url) {
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        int at = authority.indexOf('@');
        Matcher m = AZURE_HOST.matcher(at < 0 ? "" : authority.substring(at + 1));
        if (at <= 0 || slash < 0 || !m.matches()) {
            throw new IllegalArgumentException("ObjectStoreSource.url '" + url + "': write " + scheme
                    + "://container@account.dfs.core.windows.net/path/*.ndjson");
        }
        URI endpoint = URI.create("https://" + m.group("account") + ".blob." + m.group("suffix"));
        return new ObjectUrl(Kind.AZURE, endpoint, null, authority.substring(0, at), decode(rest.substring(slash + 1)), false);
    }

    /**
     * This URL read as an Azure emulator's path-style one, {@code http://host:port/account/container/path}
     * (it parses as an S3-compatible path-style URL, whose bucket is then the account): for Azure
     * credentials. Other URLs are returned as they are.
     */
    ObjectUrl asAzurePathStyle() {
        if (kind != Kind.S3 || endpoint == null) {
            return this;
        }
        int slash = pattern.indexOf('/');
        if (slash <= 0) {
            throw new IllegalArgumentException("ObjectStoreSource.url: an Azure emulator's URL is "
                    + "http://host:port/account/container/path; this one names no container after account " + bucket);
        }
        return new ObjectUrl(Kind.AZURE, URI.create(endpoint + "/" + bucket), null, pattern.substring(0, slash),
                pattern.substring(slash + 1), true);
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
