package dev.clickpipes.format.json;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Field names by their UTF-8 bytes: the same bytes give the same String instance every time, with
 * no String built, so {@code RowBuffer}'s lookup by identity hits. Holds at most {@value #LIMIT}
 * names (a stream of ever-new names, say map keys, gets fresh Strings past that). Not thread-safe.
 */
final class NameCache {

    private static final int LIMIT = 1024;
    private static final int SLOTS = 2 * LIMIT; // a power of two, at most half full

    private final byte[][] keys = new byte[SLOTS][];
    private final String[] names = new String[SLOTS];
    private int size;

    /** The name whose strictly valid UTF-8 bytes are {@code bytes[offset, offset + length)}. */
    String get(byte[] bytes, int offset, int length) {
        int h = 1;
        for (int i = offset; i < offset + length; i++) {
            h = 31 * h + bytes[i];
        }
        int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
        while (true) {
            byte[] key = keys[slot];
            if (key == null) {
                String name = new String(bytes, offset, length, StandardCharsets.UTF_8);
                if (size < LIMIT) {
                    keys[slot] = Arrays.copyOfRange(bytes, offset, offset + length);
                    names[slot] = name;
                    size++;
                }
                return name;
            }
            if (key.length == length && Arrays.equals(key, 0, length, bytes, offset, offset + length)) {
                return names[slot];
            }
            slot = (slot + 1) & (SLOTS - 1);
        }
    }
}
