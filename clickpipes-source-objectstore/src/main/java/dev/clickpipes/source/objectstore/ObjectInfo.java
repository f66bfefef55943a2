package dev.clickpipes.source.objectstore;

import java.time.Instant;
import java.util.Objects;

/**
 * An object as a listing shows it: one version of it. Reading it ({@link ObjectStore#open},
 * {@link ObjectStore#read}) pins that version; when the object was overwritten or deleted since it
 * was listed, the read fails with {@link ObjectChangedException} instead of mixing versions.
 *
 * @param key          its key in the bucket (for local files, the path below the root folder)
 * @param size         its size in bytes
 * @param lastModified when it was last written
 * @param version      what tells this version from the next one written under the same key, as the
 *                     store says it: S3 (and GCS's XML API) the ETag as listed (with its quotes), Azure
 *                     the ETag as listed (without quotes), GCS's
 *                     JSON API the generation, local files size and modification time (ns);
 *                     "" when the store does not say (reads are then not pinned, rewrites not seen).
 *                     Never null; compare with {@code equals}.
 */
public record ObjectInfo(String key, long size, Instant lastModified, String version) {

    /** Checks that the key and the version are there. */
    public ObjectInfo {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(version, () -> "the version of " + key);
    }

    /** An object whose version is unknown (a store that cannot say): reads are not pinned. */
    public ObjectInfo(String key, long size, Instant lastModified) {
        this(key, size, lastModified, "");
    }
}
