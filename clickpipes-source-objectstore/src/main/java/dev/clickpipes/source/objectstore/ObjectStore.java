package dev.clickpipes.source.objectstore;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;

/**
 * One bucket (or local folder) of an object store: list by prefix, read a whole object as a
 * stream, read byte ranges. Implementations: S3 and S3-compatible stores (GCS's XML API too), GCS's
 * JSON API, Azure Blob Storage, local folders. Listing pages lazily, so any number of objects is fine. Used from the
 * pipe's one thread.
 *
 * <p><b>Versions.</b> Reads take the {@link ObjectInfo} a listing returned and pin its
 * {@link ObjectInfo#version() version}: S3 and Azure send {@code If-Match} with the ETag, GCS's JSON API
 * {@code ifGenerationMatch}, local files compare size and modification time. When the
 * object was overwritten or deleted since it was listed, {@link #open} and {@link #read} (and the
 * reads of a stream {@link #open} returned, when they resume) throw {@link ObjectChangedException}:
 * catch it to list the key again and read the new version as a new object.
 *
 * <p><b>Network failures.</b> {@link #open} and {@link #read} survive a connection reset or a
 * response cut short: they request the rest of the object (a Range from the raw, still compressed,
 * bytes already read, pinned to the version) up to 5 times in a row (without a byte
 * read in between) with exponential backoff and jitter, then throw an IOException that says how often they
 * tried. An implementation provides only {@link #openRange}, one request without retries.
 */
public interface ObjectStore extends AutoCloseable {

    /**
     * The objects whose keys start with {@code prefix}, in key order, after {@code startAfter}
     * (exclusive; null for all), fetched page by page as the iterator is consumed. The store skips
     * what is at or before {@code startAfter} (S3 {@code StartAfter}, GCS {@code startOffset}, Azure
     * {@code startFrom}, a local
     * folder's subfolders sorted before it are not read), so a listing costs what is after it.
     */
    Iterator<ObjectInfo> list(String prefix, String startAfter) throws IOException;

    /**
     * One request for the bytes {@code start} (inclusive) to {@code end} (exclusive, at most the
     * object's size) of the listed version, streamed; no retries (see {@link #open} for those).
     *
     * @throws ObjectChangedException when the store no longer holds that version
     */
    InputStream openRange(ObjectInfo object, long start, long end) throws IOException;

    /**
     * The object's bytes from {@code offset} to its end (its listed size), streamed; resumed after
     * network failures as the interface's documentation says. The first request is made now.
     *
     * @throws ObjectChangedException now or from the stream's reads: the store no longer holds the
     *                                listed version
     */
    default InputStream open(ObjectInfo object, long offset) throws IOException {
        return new ResumableObjectStream(url(object.key()), at -> openRange(object, at, object.size()), offset,
                object.size());
    }

    /**
     * Reads exactly {@code length} bytes of the object at {@code position} (one ranged request,
     * resumed after network failures).
     *
     * @throws ObjectChangedException the store no longer holds the listed version
     */
    default void read(ObjectInfo object, long position, byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return;
        }
        long end = position + length;
        if (end > object.size()) {
            throw new EOFException(url(object.key()) + ": asked for " + length + " bytes at " + position
                    + ", the object has " + object.size());
        }
        try (InputStream in = new ResumableObjectStream(url(object.key()), at -> openRange(object, at, end), position, end)) {
            in.readNBytes(buffer, offset, length); // the stream fails rather than end early
        }
    }

    /**
     * The object under exactly {@code key} as the store lists it now (its current version), or
     * null when there is none: one listing of the key.
     */
    default ObjectInfo current(String key) throws IOException {
        Iterator<ObjectInfo> listed = list(key, null);
        ObjectInfo first = listed.hasNext() ? listed.next() : null;
        return first != null && first.key().equals(key) ? first : null;
    }

    /** A URL naming the object, for the {@code _path} column and messages (never a secret). */
    String url(String key);

    /** What this store is, for messages (never a secret). */
    String describe();

    /** Releases clients and connections. */
    @Override
    void close();
}
