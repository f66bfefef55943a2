package dev.clickpipes.format.parquet;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.parquet.io.ParquetDecodingException;

/**
 * Decodes Parquet's RLE/bit-packed hybrid encoding (definition levels, dictionary indices) in bulk,
 * runs at a time, from a range of a page's bytes. It reads like parquet-java's
 * {@code RunLengthBitPackingHybridDecoder}: a bit-packed run whose last groups are cut short by the
 * end of the bytes reads zeros there; a run header or a repeated value past the end is an error.
 * Not thread-safe.
 */
final class RleBitPackedHybrid {

    private final ByteBuffer bytes;
    private final int end;
    private final int width;
    private final int mask;
    private int pos;
    /** Values left in the current repeated run. */
    private int repeatLeft;
    private int repeatValue;
    /** The unpacked values of the current bit-packed run, {@link #packedPos} the next. */
    private int[] packed = new int[0];
    private int packedPos;
    private int packedCount;

    /** The runs in {@code bytes[pos, end)}, values of {@code width} bits (0 to 32). */
    RleBitPackedHybrid(ByteBuffer bytes, int pos, int end, int width) {
        this.bytes = bytes;
        this.pos = pos;
        this.end = end;
        this.width = width;
        this.mask = width == 32 ? -1 : (1 << width) - 1;
    }

    /** Reads the next {@code n} values into {@code out[off, off + n)}. */
    void read(int[] out, int off, int n) {
        while (n > 0) {
            if (repeatLeft > 0) {
                int k = Math.min(n, repeatLeft);
                Arrays.fill(out, off, off + k, repeatValue);
                repeatLeft -= k;
                off += k;
                n -= k;
            } else if (packedPos < packedCount) {
                int k = Math.min(n, packedCount - packedPos);
                System.arraycopy(packed, packedPos, out, off, k);
                packedPos += k;
                off += k;
                n -= k;
            } else {
                nextRun();
            }
        }
    }

    private void nextRun() {
        int header = 0;
        int shift = 0;
        int b;
        do {
            if (pos >= end || shift > 28) {
                throw new ParquetDecodingException("RLE/bit-packed values: the page ends inside a run header");
            }
            b = bytes.get(pos++) & 0xff;
            header |= (b & 0x7f) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        if ((header & 1) == 0) {
            int byteWidth = (width + 7) / 8;
            if (pos + byteWidth > end) {
                throw new ParquetDecodingException("RLE/bit-packed values: the page ends inside a repeated value");
            }
            int v = 0;
            for (int i = 0; i < byteWidth; i++) {
                v |= (bytes.get(pos + i) & 0xff) << (8 * i);
            }
            pos += byteWidth;
            repeatValue = v;
            repeatLeft = header >>> 1;
        } else {
            unpack((header >>> 1) * 8);
        }
    }

    /** Unpacks a bit-packed run of {@code count} values, least significant bit first. */
    private void unpack(int count) {
        if (count < 0) {
            throw new ParquetDecodingException("RLE/bit-packed values: a bit-packed run of " + count + " values");
        }
        if (packed.length < count) {
            packed = new int[count];
        }
        int runBytes = (int) Math.min((long) count * width / 8, end - pos);
        int limit = pos + runBytes;
        int p = pos;
        long buffer = 0;
        int bits = 0;
        for (int i = 0; i < count; i++) {
            while (bits < width) {
                buffer |= (long) (p < limit ? bytes.get(p) & 0xff : 0) << bits;
                p++;
                bits += 8;
            }
            packed[i] = (int) buffer & mask;
            buffer >>>= width;
            bits -= width;
        }
        pos = limit;
        packedPos = 0;
        packedCount = count;
    }
}
