package dev.clickpipes.source.objectstore;

import java.time.Instant;

/**
 * An object as a listing shows it.
 *
 * @param key          its key in the bucket (for local files, the path below the root folder)
 * @param size         its size in bytes
 * @param lastModified when it was last written
 */
public record ObjectInfo(String key, long size, Instant lastModified) {
}
