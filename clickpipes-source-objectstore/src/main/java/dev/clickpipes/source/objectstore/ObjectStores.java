package dev.clickpipes.source.objectstore;

import dev.clickpipes.core.Urls;
import dev.clickpipes.source.objectstore.azure.AzureBlobStore;
import dev.clickpipes.source.objectstore.azure.AzureConnectionString;
import dev.clickpipes.source.objectstore.azure.SharedKey;
import dev.clickpipes.source.objectstore.file.LocalObjectStore;
import dev.clickpipes.source.objectstore.s3.S3ObjectStore;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;

/**
 * Opens the {@link ObjectStore} an {@link ObjectUrl} names: a local folder, S3 or an S3-compatible
 * store, GCS through its XML API (HMAC keys, or an {@code https://storage.googleapis.com} URL) or
 * through its JSON API (service-account keys; needs google-cloud-storage on the class path), Azure
 * Blob Storage through its REST API (shared key, SAS token, connection string, or anonymous).
 */
final class ObjectStores {

    /**
     * How to reach the store, as the source's builder was given it.
     *
     * @param endpoint              overrides the URL's endpoint, or null
     * @param region                the AWS region, or null for the URL's (else us-east-1)
     * @param pathStyle             bucket in the path, or null for as the URL is written
     * @param checksumsWhenRequired checksums only where required, or null for the store's default
     */
    record Settings(ObjectAuth auth, URI endpoint, String region, Boolean pathStyle, Boolean checksumsWhenRequired) {
    }

    private ObjectStores() {
    }

    static ObjectStore open(ObjectUrl url, Settings s) throws IOException {
        switch (url.kind()) {
            case FILE:
                return new LocalObjectStore(Path.of(url.bucket()));
            case GCS:
                if (s.auth().s3Style() || url.endpoint() != null) {
                    URI endpoint = s.endpoint() != null ? s.endpoint()
                            : url.endpoint() != null ? url.endpoint() : URI.create("https://storage.googleapis.com");
                    String region = s.region() != null ? s.region() : "auto";
                    boolean whenRequired = s.checksumsWhenRequired() == null || s.checksumsWhenRequired();
                    return new S3ObjectStore(S3Clients.build(endpoint, region, true, whenRequired, s.auth(), true),
                            url.bucket(), "gs", "GCS XML API " + Urls.mask(endpoint.toString()) + " bucket " + url.bucket() + " (" + s.auth() + ")");
                }
                return gcsNative(url, s);
            case AZURE:
                return azure(url, s);
            case S3:
            default:
                URI endpoint = s.endpoint() != null ? s.endpoint() : url.endpoint();
                String region = s.region() != null ? s.region() : url.region() != null ? url.region() : "us-east-1";
                boolean regionKnown = s.region() != null || url.region() != null;
                boolean pathStyle = s.pathStyle() != null ? s.pathStyle() : url.pathStyle();
                boolean whenRequired = s.checksumsWhenRequired() != null && s.checksumsWhenRequired();
                String where = endpoint == null ? "S3 " + region : "S3-compatible " + Urls.mask(endpoint.toString());
                return new S3ObjectStore(S3Clients.build(endpoint, region, pathStyle, whenRequired, s.auth(), regionKnown),
                        url.bucket(), "s3", where + " bucket " + url.bucket() + " (" + s.auth() + ")");
        }
    }

    /** Blobs per List Blobs page: the service's maximum. */
    private static final int AZURE_PAGE = 5000;

    /**
     * Refuses, at build(), credentials that cannot read an Azure URL and a shared key of another
     * account than the URL's.
     */
    static void checkAzure(ObjectUrl url, ObjectAuth auth) {
        if (url.kind() != ObjectUrl.Kind.AZURE) {
            if (auth.azure()) {
                throw new IllegalArgumentException("ObjectStoreSource.auth: " + auth + " reads Azure Blob Storage; the URL "
                        + "is not Azure's: write https://account.blob.core.windows.net/container/path or "
                        + "abfss://container@account.dfs.core.windows.net/path");
            }
            return;
        }
        if (!auth.azure() && auth.kind != ObjectAuth.Kind.ANONYMOUS) {
            throw new IllegalArgumentException("ObjectStoreSource.auth: " + auth + " cannot read Azure Blob Storage; use "
                    + "ObjectAuth.azureSharedKey(account, key), ObjectAuth.azureSas(token), "
                    + "ObjectAuth.azureConnectionString(...) or ObjectAuth.anonymous() for a public container");
        }
        String urlAccount = azureAccount(url);
        boolean key = auth.kind == ObjectAuth.Kind.AZURE_SHARED_KEY;
        String authAccount = key || auth.kind == ObjectAuth.Kind.AZURE_CONNECTION_STRING ? auth.keyId : null;
        if (authAccount != null && !authAccount.equals(urlAccount)) {
            throw new IllegalArgumentException("ObjectStoreSource.auth: the " + (key ? "shared key" : "connection string")
                    + " is of account " + authAccount + " but the URL names account " + urlAccount);
        }
    }

    /** The account an Azure URL names: its host's first label, or the path's last segment (path-style). */
    private static String azureAccount(ObjectUrl url) {
        if (url.pathStyle()) {
            String path = url.endpoint().getPath();
            return path.substring(path.lastIndexOf('/') + 1);
        }
        String host = url.endpoint().getHost();
        return host.substring(0, host.indexOf('.'));
    }

    private static ObjectStore azure(ObjectUrl url, Settings s) {
        checkAzure(url, s.auth());
        String account = azureAccount(url);
        URI endpoint = url.endpoint();
        SharedKey key = null;
        String sas = null;
        switch (s.auth().kind) {
            case AZURE_SHARED_KEY -> key = new SharedKey(account, s.auth().secret);
            case AZURE_SAS -> sas = s.auth().secret;
            case AZURE_CONNECTION_STRING -> {
                AzureConnectionString cs = AzureConnectionString.parse(s.auth().secret);
                if (cs.blobEndpoint() != null) {
                    endpoint = cs.blobEndpoint();
                }
                if (cs.accountKey() != null) {
                    key = new SharedKey(cs.accountName(), cs.accountKey());
                } else {
                    sas = cs.sas();
                }
            }
            default -> {
                // anonymous: a public container
            }
        }
        if (s.endpoint() != null) {
            endpoint = azureEndpoint(s.endpoint(), account);
        }
        return new AzureBlobStore(endpoint, url.bucket(), key, sas, s.auth().toString(), AZURE_PAGE);
    }

    /**
     * An endpoint override as the account's Blob endpoint: one of an IP address or localhost with no
     * path is an emulator's (Azurite), which takes the account in the path; others are used as given.
     */
    static URI azureEndpoint(URI override, String account) {
        String host = override.getHost() == null ? "" : override.getHost();
        boolean ipStyle = host.equals("localhost") || host.matches("[0-9.]+") || host.startsWith("[");
        String path = override.getPath() == null ? "" : override.getPath();
        if (ipStyle && (path.isEmpty() || path.equals("/"))) {
            String e = override.toString();
            return URI.create((e.endsWith("/") ? e : e + "/") + account);
        }
        return override;
    }

    private static ObjectStore gcsNative(ObjectUrl url, Settings s) throws IOException {
        try {
            Class.forName("com.google.cloud.storage.Storage");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("gs:// with " + s.auth() + " reads through GCS's JSON API, which needs "
                    + "com.google.cloud:google-cloud-storage on the class path; add it, or use ObjectAuth.hmac(...) "
                    + "to read through GCS's XML API");
        }
        URI endpoint = s.endpoint() != null ? s.endpoint() : url.endpoint();
        return dev.clickpipes.source.objectstore.gcs.GcsObjectStore.create(url.bucket(), endpoint,
                s.auth().keyFile, s.auth().kind == ObjectAuth.Kind.ANONYMOUS);
    }
}
