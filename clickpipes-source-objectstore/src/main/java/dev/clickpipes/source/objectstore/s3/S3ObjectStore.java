package dev.clickpipes.source.objectstore.s3;

import dev.clickpipes.source.objectstore.InputStreams;
import dev.clickpipes.source.objectstore.ObjectChangedException;
import dev.clickpipes.source.objectstore.ObjectInfo;
import dev.clickpipes.source.objectstore.ObjectStore;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A bucket of S3 or of an S3-compatible store (MinIO, R2, GCS's XML API, S3Proxy): ListObjectsV2
 * paged lazily from StartAfter, GetObject with a Range header for streams from an offset and for
 * ranged reads, and If-Match with the listed ETag (a 412 or a missing key is an
 * {@link ObjectChangedException}).
 * Errors become IOExceptions that name the bucket, the key and what to check; never a secret.
 */
public final class S3ObjectStore implements ObjectStore {

    private final S3Client client;
    private final String bucket;
    private final String scheme;
    private final String description;

    /**
     * A store over {@code client}.
     *
     * @param client      the SDK client (closed with the store)
     * @param bucket      the bucket
     * @param scheme      {@code s3} or {@code gs}, for the URLs of {@code _path}
     * @param description what it is, for messages (endpoint, credentials kind; no secret)
     */
    public S3ObjectStore(S3Client client, String bucket, String scheme, String description) {
        this.client = client;
        this.bucket = bucket;
        this.scheme = scheme;
        this.description = description;
    }

    @Override
    public Iterator<ObjectInfo> list(String prefix, String startAfter) throws IOException {
        ListObjectsV2Request.Builder request = ListObjectsV2Request.builder().bucket(bucket).prefix(prefix);
        if (startAfter != null) {
            request.startAfter(startAfter);
        }
        Iterator<S3Object> pages;
        try {
            pages = client.listObjectsV2Paginator(request.build()).contents().iterator();
            pages.hasNext(); // the first page now, so a refused listing fails here with a clear message
        } catch (SdkException e) {
            throw failure("list " + scheme + "://" + bucket + "/" + prefix, e);
        }
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                try {
                    return pages.hasNext();
                } catch (SdkException e) {
                    throw new IllegalStateException(failure("list " + scheme + "://" + bucket + "/" + prefix, e).getMessage(), e);
                }
            }

            @Override
            public ObjectInfo next() {
                S3Object o = pages.next();
                // Some S3-compatible stores list no ETag: the version is empty then, and reads are not pinned.
                return new ObjectInfo(o.key(), o.size() == null ? 0 : o.size(), o.lastModified(),
                        o.eTag() == null ? "" : o.eTag());
            }
        };
    }

    @Override
    public InputStream openRange(ObjectInfo object, long start, long end) throws IOException {
        GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(bucket).key(object.key());
        if (!object.version().isEmpty()) {
            request.ifMatch(object.version());
        }
        if (start > 0 || end < object.size()) {
            request.range("bytes=" + start + "-" + (end - 1));
        }
        try {
            return new Body(client.getObject(request.build()), end - start);
        } catch (S3Exception e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            if (e.statusCode() == 412 || "NoSuchKey".equals(code)) {
                throw new ObjectChangedException(url(object.key()), object.key(), object.version(), currentVersion(object.key()));
            }
            throw failure("read " + url(object.key()), e);
        } catch (SdkException e) {
            throw failure("read " + url(object.key()), e);
        }
    }

    /** The object's ETag now, or null when it is gone (or cannot be asked): for the message of a changed object. */
    private String currentVersion(String key) {
        try {
            return client.headObject(r -> r.bucket(bucket).key(key)).eTag();
        } catch (SdkException e) {
            return null;
        }
    }

    @Override
    public String url(String key) {
        return scheme + "://" + bucket + "/" + key;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        client.close();
    }

    /**
     * A response body: SDK errors of its reads become IOExceptions (so a broken download is resumed),
     * and closing it before its end aborts the connection instead of draining the rest of the object.
     */
    private static final class Body extends FilterInputStream {
        private long left;

        Body(ResponseInputStream<GetObjectResponse> in, long length) {
            super(in);
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            return InputStreams.readOneByte(this);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                int n = in.read(b, off, len);
                if (n > 0) {
                    left -= n;
                }
                return n;
            } catch (SdkException e) {
                throw new IOException(e.getMessage(), e);
            }
        }

        @Override
        public void close() throws IOException {
            if (left > 0) {
                ((ResponseInputStream<?>) in).abort();
            }
            try {
                in.close();
            } catch (SdkException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
    }

    private IOException failure(String what, SdkException e) {
        if (e instanceof S3Exception s3) {
            String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
            String hint = switch (code == null ? "" : code) {
                case "InvalidAccessKeyId" -> "the access key id is not known to the store: check it";
                case "SignatureDoesNotMatch" -> "the secret does not match the access key id: check the secret";
                case "AccessDenied" -> "the credentials may not do this: check the bucket policy or the role";
                case "NoSuchBucket" -> "there is no bucket " + bucket + ": check the URL";
                case "NoSuchKey" -> "there is no such object (deleted since it was listed?)";
                case "PermanentRedirect", "AuthorizationHeaderMalformed" ->
                        "the bucket is in another region: set .region(...) or use the bucket's regional URL";
                default -> "HTTP " + s3.statusCode();
            };
            return new IOException(description + ": cannot " + what + ": " + (code == null ? "HTTP " + s3.statusCode() : code)
                    + " (" + hint + ")", e);
        }
        return new IOException(description + ": cannot " + what + ": " + e.getMessage(), e);
    }
}
