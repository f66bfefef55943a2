package dev.clickpipes.clickhouse.types;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable little-endian byte buffer: the bytes of one column in ClickHouse's Native layout, or
 * a whole Native block. Not thread-safe.
 */
public final class NativeBuffer {

    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private byte[] bytes;
    private int size;

    /** An empty buffer with room for {@code capacity} bytes before it grows. */
    public NativeBuffer(int capacity) {
        bytes = new byte[Math.max(16, capacity)];
    }

    /** An empty buffer. */
    public NativeBuffer() {
        this(256);
    }

    /** The number of bytes written. */
    public int size() {
        return size;
    }

    /** The backing array; bytes {@code [0, size())} are valid. */
    public byte[] array() {
        return bytes;
    }

    /** Drops bytes past {@code newSize} (used to roll a rejected row back). */
    public void truncate(int newSize) {
        if (newSize < 0 || newSize > size) {
            throw new IllegalArgumentException("truncate to " + newSize + " of " + size);
        }
        size = newSize;
    }

    /** Makes room for {@code capacity} bytes in all, so that writing up to that many does not grow the buffer. */
    public void reserve(int capacity) {
        if (capacity > bytes.length) {
            bytes = size == 0 ? new byte[capacity] : Arrays.copyOf(bytes, capacity); // an empty buffer has nothing to keep
        }
    }

    /** Empties the buffer, keeping its memory. */
    public void clear() {
        size = 0;
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            int wanted = Math.max(size + more, bytes.length * 2);
            if (wanted < 0) {
                throw new IllegalStateException("column buffer over 2 GB: lower Batching.maxBytes");
            }
            bytes = Arrays.copyOf(bytes, wanted);
        }
    }

    /** Appends one byte. */
    public void writeByte(int v) {
        ensure(1);
        bytes[size++] = (byte) v;
    }

    /** Appends a 16-bit little-endian value. */
    public void writeShort(int v) {
        ensure(2);
        SHORT.set(bytes, size, (short) v);
        size += 2;
    }

    /** Appends a 32-bit little-endian value. */
    public void writeInt(int v) {
        ensure(4);
        INT.set(bytes, size, v);
        size += 4;
    }

    /** Appends a 64-bit little-endian value. */
    public void writeLong(long v) {
        ensure(8);
        LONG.set(bytes, size, v);
        size += 8;
    }

    /** Appends the low {@code bytes} bytes (a multiple of 8) of a two's complement integer, little-endian. */
    public void writeLittleEndian(java.math.BigInteger v, int bytes) {
        for (int i = 0; i < bytes; i += 8) {
            writeLong(v.shiftRight(i * 8).longValue());
        }
    }

    /** Appends {@code n} zero bytes. */
    public void writeZeros(int n) {
        ensure(n);
        Arrays.fill(bytes, size, size + n, (byte) 0);
        size += n;
    }

    /** Appends bytes as they are. */
    public void writeBytes(byte[] src, int offset, int length) {
        ensure(length);
        System.arraycopy(src, offset, bytes, size, length);
        size += length;
    }

    /** Appends another buffer's bytes. */
    public void writeBuffer(NativeBuffer other) {
        writeBytes(other.bytes, 0, other.size);
    }

    /** Appends an unsigned LEB128 varint, as Native uses for lengths and counts. */
    public void writeVarUInt(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            bytes[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        bytes[size++] = (byte) v;
    }

    /** Appends a Native string: varint byte length, then the UTF-8 bytes. */
    public void writeString(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        writeVarUInt(utf8.length);
        writeBytes(utf8, 0, utf8.length);
    }

    /**
     * Appends a Native string from chars without an intermediate String: varint UTF-8 length,
     * then the UTF-8 bytes (unpaired surrogates become '?', as Java's encoder does).
     */
    public void writeUtf8(char[] chars, int offset, int length) {
        int utf8Length = utf8Length(chars, offset, length);
        writeVarUInt(utf8Length);
        ensure(utf8Length);
        int end = offset + length;
        int i = offset;
        byte[] b = bytes;
        int p = size;
        // ASCII fast path: most event text is ASCII.
        while (i < end && chars[i] < 0x80) {
            b[p++] = (byte) chars[i++];
        }
        while (i < end) {
            char c = chars[i++];
            if (c < 0x80) {
                b[p++] = (byte) c;
            } else if (c < 0x800) {
                b[p++] = (byte) (0xC0 | (c >> 6));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i < end && Character.isLowSurrogate(chars[i])) {
                int cp = Character.toCodePoint(c, chars[i++]);
                b[p++] = (byte) (0xF0 | (cp >> 18));
                b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                b[p++] = (byte) (0x80 | (cp & 0x3F));
            } else if (Character.isSurrogate(c)) {
                b[p++] = '?';
            } else {
                b[p++] = (byte) (0xE0 | (c >> 12));
                b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        size = p;
    }

    private static int utf8Length(char[] chars, int offset, int length) {
        int n = 0;
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            char c = chars[i];
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(chars[i + 1])) {
                n += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                n++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
