package dev.clickpipes.source.objectstore;

import java.nio.charset.StandardCharsets;

/**
 * Stands for the unreadable rest of a compressed object (a corrupt or truncated stream, or one
 * over the codec's memory limit): {@link ObjectDecoder} files it as DATA_PARSING_ERROR, so the
 * object ends accounted for instead of failing the pipe on every restart.
 */
final class CorruptObjectRecord extends ObjectRecord {

    CorruptObjectRecord(ObjectFile file, long row, String message) {
        this(file, row, message.getBytes(StandardCharsets.UTF_8));
    }

    private CorruptObjectRecord(ObjectFile file, long row, byte[] message) {
        super(file, row, -1, message, 0, message.length);
    }

    String message() {
        return new String(data(), StandardCharsets.UTF_8);
    }
}
