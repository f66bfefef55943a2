package dev.clickpipes.clickhouse.sink;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Reads a Native body front to back: varints, little-endian integers, strings; fails past its end. */
final class NativeCursor {

    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    final byte[] bytes;
    private final int end;
    private int pos;

    NativeCursor(byte[] bytes, int pos, int end) {
        this.bytes = bytes;
        this.pos = pos;
        this.end = end;
    }

    int position() {
        return pos;
    }

    boolean atEnd() {
        return pos == end;
    }

    /** Moves past {@code n} bytes and returns where they start. */
    int skip(long n) {
        if (n < 0 || n > end - pos) {
            throw new IllegalStateException("Native body ends inside a column: " + n + " bytes wanted at " + pos
                    + ", " + (end - pos) + " left");
        }
        int start = pos;
        pos += (int) n;
        return start;
    }

    long readVarUInt() {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = bytes[skip(1)];
            v |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return v;
            }
        }
        throw new IllegalStateException("varint over 10 bytes at " + pos);
    }

    long readLong() {
        return (long) LONG.get(bytes, skip(8));
    }

    String readString() {
        int length = (int) readVarUInt();
        return new String(bytes, skip(length), length, StandardCharsets.UTF_8);
    }

    static int intAt(byte[] bytes, int at) {
        return (int) INT.get(bytes, at);
    }

    static void putInt(byte[] bytes, int at, int v) {
        INT.set(bytes, at, v);
    }

    static void putLong(byte[] bytes, int at, long v) {
        LONG.set(bytes, at, v);
    }

    static long longAt(byte[] bytes, int at) {
        return (long) LONG.get(bytes, at);
    }
}
