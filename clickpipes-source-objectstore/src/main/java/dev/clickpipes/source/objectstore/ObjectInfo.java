package dev.clickpipes.source.objectstore;

import java.time.Instant;

/**
 * An object as a listing shows it.
 *
 * @param key          its key in the bucket (for local files, the path below the root folder)
 * @param size         its size in bytes
 * @param lastModified when it was last written
 * @param version      what changes when the object is rewritten (S3: the ETag; GCS: the generation); "" if unknown
 */
public record ObjectInfo(String key, long size, Instant lastModified, String version) {

    /** An object whose version is unknown. */
    public ObjectInfo(String key, long size, Instant lastModified) {
        this(key, size, lastModified, "");
    }
}
