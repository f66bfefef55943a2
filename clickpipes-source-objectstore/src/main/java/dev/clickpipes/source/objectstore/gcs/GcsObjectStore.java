package dev.clickpipes.source.objectstore.gcs;

import com.google.api.gax.paging.Page;
import com.google.cloud.ReadChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import dev.clickpipes.core.Urls;
import dev.clickpipes.source.objectstore.LookaheadIterator;
import dev.clickpipes.source.objectstore.ObjectChangedException;
import dev.clickpipes.source.objectstore.ObjectInfo;
import dev.clickpipes.source.objectstore.ObjectStore;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.time.Instant;
import java.util.Iterator;

/**
 * A GCS bucket through google-cloud-storage (the JSON API), with service-account or
 * application-default credentials: objects.list paged by pageToken from startOffset, media downloads
 * with Range and ifGenerationMatch on the listed generation (a 412 or 404 is an
 * {@link ObjectChangedException}).
 */
public final class GcsObjectStore implements ObjectStore {

    private final Storage storage;
    private final String bucket;
    private final String description;

    /**
     * A store over {@code storage}.
     *
     * @param storage     the client (closed with the store)
     * @param bucket      the bucket
     * @param description what it is, for messages (no secret)
     */
    public GcsObjectStore(Storage storage, String bucket, String description) {
        this.storage = storage;
        this.bucket = bucket;
        this.description = description;
    }

    /**
     * A store for {@code bucket} through the JSON API.
     *
     * @param endpoint   the API's root, e.g. {@code https://storage.googleapis.com} (null: that default)
     * @param keyFile    a service-account JSON key, or null
     * @param anonymous  true for unsigned requests (public buckets)
     */
    public static GcsObjectStore create(String bucket, java.net.URI endpoint, java.nio.file.Path keyFile,
                                        boolean anonymous) throws IOException {
        com.google.cloud.storage.StorageOptions.Builder options = com.google.cloud.storage.StorageOptions.http();
        if (endpoint != null) {
            options.setHost(endpoint.toString());
        }
        String credentials;
        if (anonymous) {
            options.setCredentials(com.google.cloud.NoCredentials.getInstance());
            // No credentials to take a project from; listing and reading a bucket do not need one,
            // and without it the client would probe the metadata server for one.
            options.setProjectId("clickpipes-anonymous");
            credentials = "anonymous";
        } else if (keyFile != null) {
            try (InputStream in = java.nio.file.Files.newInputStream(keyFile)) {
                options.setCredentials(com.google.auth.oauth2.ServiceAccountCredentials.fromStream(in));
            }
            credentials = "service account key " + keyFile.getFileName();
        } else {
            options.setCredentials(com.google.auth.oauth2.GoogleCredentials.getApplicationDefault());
            credentials = "application-default credentials";
        }
        String where = endpoint == null ? "https://storage.googleapis.com" : Urls.mask(endpoint.toString());
        return new GcsObjectStore(options.build().getService(), bucket,
                "GCS JSON API " + where + " bucket " + bucket + " (" + credentials + ")");
    }

    @Override
    public Iterator<ObjectInfo> list(String prefix, String startAfter) throws IOException {
        Page<Blob> first;
        try {
            first = startAfter == null
                    ? storage.list(bucket, Storage.BlobListOption.prefix(prefix), Storage.BlobListOption.pageSize(1000))
                    // startOffset is inclusive: the server lists from startAfter, which is dropped below
                    : storage.list(bucket, Storage.BlobListOption.prefix(prefix), Storage.BlobListOption.pageSize(1000),
                            Storage.BlobListOption.startOffset(startAfter));
        } catch (StorageException e) {
            throw failure("list gs://" + bucket + "/" + prefix, e);
        }
        Iterator<Blob> blobs = first.iterateAll().iterator();
        return new LookaheadIterator<>() {
            @Override
            protected ObjectInfo findNext() {
                while (blobs.hasNext()) {
                    Blob b = blobs.next();
                    if (b.getName().endsWith("/") && (b.getSize() == null || b.getSize() == 0)) {
                        continue; // a folder placeholder
                    }
                    if (startAfter != null && b.getName().compareTo(startAfter) <= 0) {
                        continue;
                    }
                    Instant updated = b.getUpdateTimeOffsetDateTime() == null ? Instant.EPOCH
                            : b.getUpdateTimeOffsetDateTime().toInstant();
                    return new ObjectInfo(b.getName(), b.getSize() == null ? 0 : b.getSize(), updated,
                            b.getGeneration() == null ? "" : b.getGeneration().toString());
                }
                return null;
            }
        };
    }

    @Override
    public InputStream openRange(ObjectInfo object, long start, long end) throws IOException {
        try {
            ReadChannel channel = object.version().isEmpty() ? storage.reader(BlobId.of(bucket, object.key()))
                    : storage.reader(BlobId.of(bucket, object.key()),
                            Storage.BlobSourceOption.generationMatch(Long.parseLong(object.version())));
            if (start > 0) {
                channel.seek(start);
            }
            if (end < object.size()) {
                channel.limit(end); // a ranged read (Parquet)
            } else {
                channel.setChunkSize(2 * 1024 * 1024);
            }
            InputStream in = Channels.newInputStream(channel);
            return new FilterInputStream(in) {
                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    try {
                        return in.read(b, off, len);
                    } catch (IOException | StorageException e) {
                        throw translate(object, e);
                    }
                }
            };
        } catch (StorageException e) {
            throw translate(object, e);
        }
    }

    /** A failed read as the exception to throw: ObjectChangedException for a 412 (the generation moved) or a 404. */
    private IOException translate(ObjectInfo object, Exception e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof StorageException s && (s.getCode() == 412 || s.getCode() == 404)) {
                return new ObjectChangedException(url(object.key()), object.key(), object.version(),
                        currentVersion(object.key()));
            }
        }
        return e instanceof StorageException s ? failure("read " + url(object.key()), s)
                : e instanceof IOException io ? io : new IOException(e);
    }

    /** The object's generation now, or null when it is gone (or cannot be asked). */
    private String currentVersion(String key) {
        try {
            Blob b = storage.get(BlobId.of(bucket, key));
            return b == null || b.getGeneration() == null ? null : b.getGeneration().toString();
        } catch (StorageException e) {
            return null;
        }
    }

    @Override
    public String url(String key) {
        return "gs://" + bucket + "/" + key;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        try {
            storage.close();
        } catch (Exception e) {
            // nothing useful to do: the client holds no data
        }
    }

    private IOException failure(String what, StorageException e) {
        String hint = switch (e.getCode()) {
            case 401 -> "the credentials were refused: check the service-account key";
            case 403 -> "the credentials may not do this: grant storage.objects.list/get on the bucket";
            case 404 -> "no such bucket or object: check the URL";
            default -> "HTTP " + e.getCode();
        };
        return new IOException(description + ": cannot " + what + ": " + e.getMessage() + " (" + hint + ")", e);
    }
}
