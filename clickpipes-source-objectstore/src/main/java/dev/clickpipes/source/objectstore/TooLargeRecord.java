package dev.clickpipes.source.objectstore;

import java.nio.charset.StandardCharsets;

/**
 * Stands for an object over the size cap: {@link ObjectDecoder} files it in the error table as
 * FILE_TOO_LARGE, so the object is accounted for and marked done, not silently skipped.
 */
final class TooLargeRecord extends ObjectRecord {

    private final String message;
    private final byte[] data;

    TooLargeRecord(ObjectFile file, long cap) {
        super(file, new ObjectPosition(file.info().key(), 0, -1, true));
        this.message = "object " + file.path() + " is " + file.info().size() + " bytes, over the cap of " + cap
                + " bytes (ObjectStoreSource.maxObjectSize); it was not loaded";
        this.data = message.getBytes(StandardCharsets.UTF_8);
    }

    String message() {
        return message;
    }

    @Override
    public byte[] data() {
        return data;
    }

    @Override
    public int offset() {
        return 0;
    }

    @Override
    public int length() {
        return data.length;
    }
}
