package dev.clickpipes.format.json;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Field names by their UTF-8 bytes: the same bytes give the same String instance every time, with
 * no String built, so {@code RowBuffer}'s lookup by identity hits. Holds at most {@value #LIMIT}
 * names (a stream of ever-new names, say map keys, gets fresh Strings past that). Not thread-safe.
 *
 * <p>A name's first 16 bytes are read as two longs and kept in the table beside it, so the usual
 * short name is hashed and compared in a few word operations, with no byte loop and no pointer to
 * follow; only the bytes past 16 of a longer name are compared as bytes.
 */
final class NameCache {

    private static final int LIMIT = 1024;
    private static final int SLOTS = 2 * LIMIT; // a power of two, at most half full
    private static final int PACKED = 16; // bytes held in the two words
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final long[] first = new long[SLOTS];
    private final long[] second = new long[SLOTS];
    private final int[] lengths = new int[SLOTS];
    /** The bytes past the first 16 of a longer name; null for a short one. */
    private final byte[][] tails = new byte[SLOTS][];
    private final String[] names = new String[SLOTS];
    private int size;

    /** The name whose strictly valid UTF-8 bytes are {@code bytes[offset, offset + length)}. */
    String get(byte[] bytes, int offset, int length) {
        long w0 = word(bytes, offset, Math.min(length, 8));
        long w1 = length > 8 ? word(bytes, offset + 8, Math.min(length - 8, 8)) : 0;
        long h = (w0 * 0x9E3779B97F4A7C15L) ^ (w1 * 0xC2B2AE3D27D4EB4FL) ^ length;
        for (int i = offset + PACKED; i < offset + length; i++) {
            h = 31 * h + bytes[i]; // long names only: their tail must spread them too
        }
        int slot = (int) (h ^ (h >>> 29) ^ (h >>> 47)) & (SLOTS - 1);
        while (true) {
            String name = names[slot];
            if (name == null) {
                name = new String(bytes, offset, length, StandardCharsets.UTF_8);
                if (size < LIMIT) {
                    first[slot] = w0;
                    second[slot] = w1;
                    lengths[slot] = length;
                    tails[slot] = length > PACKED ? Arrays.copyOfRange(bytes, offset + PACKED, offset + length) : null;
                    names[slot] = name;
                    size++;
                }
                return name;
            }
            if (lengths[slot] == length && first[slot] == w0 && second[slot] == w1
                    && (length <= PACKED || Arrays.equals(tails[slot], 0, length - PACKED,
                            bytes, offset + PACKED, offset + length))) {
                return name;
            }
            slot = (slot + 1) & (SLOTS - 1);
        }
    }

    /** The {@code n} (0 to 8) bytes at {@code offset} as a little-endian long, higher bytes zero. */
    private static long word(byte[] bytes, int offset, int n) {
        if (n == 0) {
            return 0;
        }
        if (offset + 8 <= bytes.length) {
            long w = (long) LONG.get(bytes, offset);
            return n == 8 ? w : w & (-1L >>> (64 - 8 * n));
        }
        long w = 0; // near the end of the array: byte by byte
        for (int i = n - 1; i >= 0; i--) {
            w = (w << 8) | (bytes[offset + i] & 0xFF);
        }
        return w;
    }
}
