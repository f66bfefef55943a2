package dev.clickpipes.source.objectstore.gcs;

import com.google.api.gax.paging.Page;
import com.google.cloud.ReadChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import dev.clickpipes.core.Urls;
import dev.clickpipes.source.objectstore.ObjectInfo;
import dev.clickpipes.source.objectstore.ObjectStore;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.time.Instant;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A GCS bucket through google-cloud-storage (the JSON API), with service-account or
 * application-default credentials: objects.list paged by pageToken, media downloads with Range.
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
            first = storage.list(bucket, Storage.BlobListOption.prefix(prefix), Storage.BlobListOption.pageSize(1000));
        } catch (StorageException e) {
            throw failure("list gs://" + bucket + "/" + prefix, e);
        }
        Iterator<Blob> blobs = first.iterateAll().iterator();
        return new Iterator<>() {
            private ObjectInfo next;

            @Override
            public boolean hasNext() {
                while (next == null && blobs.hasNext()) {
                    Blob b = blobs.next();
                    if (b.getName().endsWith("/") && (b.getSize() == null || b.getSize() == 0)) {
                        continue; // a folder placeholder
                    }
                    if (startAfter != null && b.getName().compareTo(startAfter) <= 0) {
                        continue;
                    }
                    Instant updated = b.getUpdateTimeOffsetDateTime() == null ? Instant.EPOCH
                            : b.getUpdateTimeOffsetDateTime().toInstant();
                    next = new ObjectInfo(b.getName(), b.getSize() == null ? 0 : b.getSize(), updated);
                }
                return next != null;
            }

            @Override
            public ObjectInfo next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                ObjectInfo o = next;
                next = null;
                return o;
            }
        };
    }

    @Override
    public InputStream open(String key, long offset) throws IOException {
        try {
            ReadChannel channel = storage.reader(BlobId.of(bucket, key));
            channel.setChunkSize(2 * 1024 * 1024);
            if (offset > 0) {
                channel.seek(offset);
            }
            return Channels.newInputStream(channel);
        } catch (StorageException e) {
            throw failure("read " + url(key), e);
        }
    }

    @Override
    public void read(String key, long position, byte[] buffer, int offset, int length) throws IOException {
        try (ReadChannel channel = storage.reader(BlobId.of(bucket, key))) {
            channel.seek(position);
            channel.limit(position + length);
            ByteBuffer target = ByteBuffer.wrap(buffer, offset, length);
            while (target.hasRemaining()) {
                if (channel.read(target) < 0) {
                    throw new EOFException(url(key) + ": asked for " + length + " bytes at " + position
                            + ", got " + (length - target.remaining()));
                }
            }
        } catch (StorageException e) {
            throw failure("read " + url(key), e);
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
