package dev.clickpipes.source.objectstore;

import dev.clickpipes.core.Urls;
import dev.clickpipes.source.objectstore.file.LocalObjectStore;
import dev.clickpipes.source.objectstore.s3.S3ObjectStore;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;

/**
 * Opens the {@link ObjectStore} an {@link ObjectUrl} names: a local folder, S3 or an S3-compatible
 * store, GCS through its XML API (HMAC keys, or an {@code https://storage.googleapis.com} URL) or
 * through its JSON API (service-account keys; needs google-cloud-storage on the class path).
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
