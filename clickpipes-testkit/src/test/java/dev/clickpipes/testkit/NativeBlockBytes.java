package dev.clickpipes.testkit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes a ClickHouse Native block by hand, for tests: varuint column count, varuint row count,
 * then per column its name, its type name and its data (no serialization-kind byte, as the
 * engine reads it over HTTP and chDB).
 */
final class NativeBlockBytes {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    NativeBlockBytes(int columns, int rows) {
        varUInt(columns);
        varUInt(rows);
    }

    /** Starts a column: its name and type. */
    NativeBlockBytes column(String name, String type) {
        string(name);
        string(type);
        return this;
    }

    NativeBlockBytes varUInt(long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
        return this;
    }

    NativeBlockBytes string(String s) {
        return bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A String value: varuint length, then the bytes. */
    NativeBlockBytes bytes(byte[] b) {
        varUInt(b.length);
        out.write(b, 0, b.length);
        return this;
    }

    NativeBlockBytes uint8(int v) {
        out.write(v);
        return this;
    }

    NativeBlockBytes uint32(long v) {
        for (int i = 0; i < 4; i++) {
            out.write((int) (v >>> (8 * i)));
        }
        return this;
    }

    NativeBlockBytes uint64(long v) {
        for (int i = 0; i < 8; i++) {
            out.write((int) (v >>> (8 * i)));
        }
        return this;
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    /** One UInt64 column {@code name} holding {@code 0 .. rows-1}, written straight into an array. */
    static byte[] uint64Sequence(String name, int rows) {
        NativeBlockBytes header = new NativeBlockBytes(1, rows).column(name, "UInt64");
        byte[] head = header.toByteArray();
        byte[] block = new byte[head.length + rows * 8];
        System.arraycopy(head, 0, block, 0, head.length);
        java.nio.ByteBuffer data = java.nio.ByteBuffer.wrap(block, head.length, rows * 8)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (long i = 0; i < rows; i++) {
            data.putLong(i);
        }
        return block;
    }
}
