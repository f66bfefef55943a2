package dev.clickpipes.format.parquet;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.parquet.io.ParquetDecodingException;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * Decodes PLAIN values (a data page's, or a dictionary page's entries) in bulk from a page's bytes:
 * 64-bit values copied as a block (Parquet and the JVM's long arrays are both little-endian there),
 * narrower ones widened in a tight loop. Values past the end of the bytes are an error, except
 * booleans, which read as false there, as parquet-java reads them. Not thread-safe.
 */
final class PlainPageDecoder {

    private final ByteBuffer bytes;
    private final int end;
    private final PrimitiveTypeName physical;
    private final int fixedLength;
    private final boolean unsigned32;
    private int pos;
    /** The next boolean's bit within {@code bytes[pos]}. */
    private int bit;

    /**
     * The values in {@code bytes[pos, end)} of a column of type {@code physical} ({@code fixedLength}
     * bytes each for FIXED_LEN_BYTE_ARRAY); {@code unsigned32}: INT32 values are unsigned.
     */
    PlainPageDecoder(ByteBuffer bytes, int pos, int end, PrimitiveTypeName physical, int fixedLength, boolean unsigned32) {
        this.bytes = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        this.pos = pos;
        this.end = end;
        this.physical = physical;
        this.fixedLength = fixedLength;
        this.unsigned32 = unsigned32;
    }

    /** The two's-complement big-endian integer in {@code b}'s remaining 1 to 8 bytes (a decimal's unscaled value). */
    static long bigEndian(ByteBuffer b) {
        return bigEndian(b, b.position(), b.remaining());
    }

    private static long bigEndian(ByteBuffer b, int pos, int length) {
        long v = b.get(pos); // the sign byte, sign-extended
        for (int i = 1; i < length; i++) {
            v = v << 8 | (b.get(pos + i) & 0xFF);
        }
        return v;
    }

    /** Reads {@code n} INT64, INT32, BOOLEAN (0 or 1) or FIXED_LEN_BYTE_ARRAY (big-endian, up to 8 bytes) values into {@code out[off, off + n)}. */
    void readLongs(long[] out, int off, int n) {
        switch (physical) {
            case INT64 -> {
                need(8L * n);
                bytes.slice(pos, 8 * n).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(out, off, n);
                pos += 8 * n;
            }
            case INT32 -> {
                need(4L * n);
                for (int i = 0; i < n; i++, pos += 4) {
                    int v = bytes.getInt(pos);
                    out[off + i] = unsigned32 ? Integer.toUnsignedLong(v) : v;
                }
            }
            case BOOLEAN -> {
                for (int i = 0; i < n; i++) {
                    out[off + i] = pos < end ? (bytes.get(pos) >>> bit) & 1 : 0;
                    if (++bit == 8) {
                        bit = 0;
                        pos++;
                    }
                }
            }
            case FIXED_LEN_BYTE_ARRAY -> {
                need((long) fixedLength * n);
                for (int i = 0; i < n; i++, pos += fixedLength) {
                    out[off + i] = bigEndian(bytes, pos, fixedLength);
                }
            }
            default -> throw new IllegalStateException("not a long column: " + physical);
        }
    }

    /** Reads {@code n} DOUBLE or FLOAT values into {@code out[off, off + n)}. */
    void readDoubles(double[] out, int off, int n) {
        if (physical == PrimitiveTypeName.DOUBLE) {
            need(8L * n);
            bytes.slice(pos, 8 * n).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(out, off, n);
            pos += 8 * n;
        } else {
            need(4L * n);
            for (int i = 0; i < n; i++, pos += 4) {
                out[off + i] = bytes.getFloat(pos);
            }
        }
    }

    /**
     * Reads {@code n} values into {@code out[off, off + n)}, each through {@code converter} (as
     * parquet-java hands it a value), taking what it made from {@code made} after each.
     */
    void readObjects(Object[] out, int off, int n, PrimitiveConverter converter, java.util.function.Supplier<Object> made) {
        for (int i = 0; i < n; i++) {
            switch (physical) {
                case INT32 -> {
                    need(4);
                    converter.addInt(bytes.getInt(pos));
                    pos += 4;
                }
                case INT64 -> {
                    need(8);
                    converter.addLong(bytes.getLong(pos));
                    pos += 8;
                }
                case BINARY -> {
                    need(4);
                    int length = bytes.getInt(pos);
                    pos += 4;
                    if (length < 0) {
                        throw new ParquetDecodingException("a byte array of " + length + " bytes");
                    }
                    need(length);
                    converter.addBinary(Binary.fromConstantByteBuffer(bytes, pos, length));
                    pos += length;
                }
                case FIXED_LEN_BYTE_ARRAY -> {
                    need(fixedLength);
                    converter.addBinary(Binary.fromConstantByteBuffer(bytes, pos, fixedLength));
                    pos += fixedLength;
                }
                default -> throw new IllegalStateException("not an object column: " + physical);
            }
            out[off + i] = made.get();
        }
    }

    private void need(long n) {
        if (n > end - pos) {
            throw new ParquetDecodingException("PLAIN " + physical + " values: " + n + " bytes wanted, "
                    + (end - pos) + " left in the page");
        }
    }
}
