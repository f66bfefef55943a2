package dev.clickpipes.source.objectstore;

import java.nio.charset.StandardCharsets;

/**
 * Stands for an object over the size cap: {@link ObjectDecoder} files it in the error table as
 * FILE_TOO_LARGE, so the object is accounted for and marked done, not silently skipped.
 */
final class TooLargeRecord extends ObjectRecord {

    TooLargeRecord(ObjectFile file, long cap) {
        this(file, ("object " + file.path() + " is " + file.info().size() + " bytes, over the cap of " + cap
                + " bytes (ObjectStoreSource.maxObjectSize); it was not loaded").getBytes(StandardCharsets.UTF_8));
    }

    private TooLargeRecord(ObjectFile file, byte[] message) {
        super(file, 0, -1, message, 0, message.length);
        markLast();
    }

    String message() {
        return new String(data(), StandardCharsets.UTF_8);
    }
}
