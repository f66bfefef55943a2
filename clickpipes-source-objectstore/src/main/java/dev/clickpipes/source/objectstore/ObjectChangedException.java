package dev.clickpipes.source.objectstore;

import java.io.IOException;

/**
 * The object was overwritten or deleted after it was listed: the version a read pinned
 * ({@link ObjectInfo#version()}) is no longer the one the store holds under its key. Thrown by
 * {@link ObjectStore#open} and {@link ObjectStore#read}, and by reads of an open stream when it is
 * resumed after a network failure; never retried by the store (the bytes already read belong to
 * the listed version, the rest would not). List the key again to read the new version as a new object.
 */
public final class ObjectChangedException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String key;
    private final String listedVersion;
    private final String currentVersion;

    /**
     * @param url            the object's URL, for the message
     * @param key            its key
     * @param listedVersion  the version the listing showed
     * @param currentVersion the version the store holds now, or null when the object is gone (or the
     *                       store did not say)
     */
    public ObjectChangedException(String url, String key, String listedVersion, String currentVersion) {
        super(url + " changed since it was listed: listed version " + listedVersion + ", "
                + (currentVersion == null ? "now gone or of an unknown version" : "now version " + currentVersion)
                + "; list it again to read the new version");
        this.key = key;
        this.listedVersion = listedVersion;
        this.currentVersion = currentVersion;
    }

    /** The ObjectChangedException {@code e} is or was caused by (a codec may wrap its source's errors), or null. */
    static ObjectChangedException in(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof ObjectChangedException changed) {
                return changed;
            }
        }
        return null;
    }

    /** The object's key. */
    public String key() {
        return key;
    }

    /** The version the listing showed (and the read pinned). */
    public String listedVersion() {
        return listedVersion;
    }

    /** The version the store holds now, or null when the object is gone or the store did not say. */
    public String currentVersion() {
        return currentVersion;
    }
}
