package dev.clickpipes.source.objectstore;

import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;

/**
 * One bucket (or local folder) of an object store: list by prefix, read a whole object as a
 * stream, read byte ranges. Implementations: S3 and S3-compatible stores (GCS's XML API too), GCS's
 * JSON API, local folders. Listing pages lazily, so any number of objects is fine. Used from the
 * pipe's one thread.
 */
public interface ObjectStore extends AutoCloseable {

    /**
     * The objects whose keys start with {@code prefix}, in key order, after {@code startAfter}
     * (exclusive; null for all), fetched page by page as the iterator is consumed.
     */
    Iterator<ObjectInfo> list(String prefix, String startAfter) throws IOException;

    /** The object's bytes from {@code offset} to its end, streamed. */
    InputStream open(String key, long offset) throws IOException;

    /** Reads exactly {@code length} bytes of the object at {@code position} (one ranged request). */
    void read(String key, long position, byte[] buffer, int offset, int length) throws IOException;

    /** A URL naming the object, for the {@code _path} column and messages (never a secret). */
    String url(String key);

    /** What this store is, for messages (never a secret). */
    String describe();

    /** Releases clients and connections. */
    @Override
    void close();
}
