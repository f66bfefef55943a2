package dev.clickpipes.clickhouse.http;

import com.clickhouse.data.ClickHouseCityHash;
import com.github.luben.zstd.Zstd;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;

/**
 * Frames a request body in ClickHouse's compressed blocks (see {@link InsertCompression}).
 * Stateless and thread-safe.
 */
final class CompressedBody {

    /** Uncompressed bytes per block: ClickHouse's own {@code max_compress_block_size}. */
    static final int BLOCK = 1 << 20;
    /** Checksum (16) + method (1) + compressed size (4) + uncompressed size (4). */
    static final int HEADER = 25;
    private static final int ZSTD_LEVEL = 1;
    private static final LZ4Compressor LZ4 = LZ4Factory.fastestInstance().fastCompressor();

    private CompressedBody() {
    }

    /** {@code body[0, length)} compressed with {@code codec}; the framed body is the result's first {@code outLength[0]} bytes. */
    static byte[] compress(InsertCompression codec, byte[] body, int length, int[] outLength) {
        int blocks = Math.max(1, (length + BLOCK - 1) / BLOCK);
        byte[] out = new byte[blocks * HEADER + bound(codec, length) + blocks * 64];
        int pos = 0;
        int from = 0;
        do {
            int n = Math.min(BLOCK, length - from);
            int data = pos + HEADER;
            int written = switch (codec) {
                case LZ4 -> LZ4.compress(body, from, n, out, data, out.length - data);
                case ZSTD -> checked(Zstd.compressByteArray(out, data, out.length - data, body, from, n, ZSTD_LEVEL));
                case NONE -> throw new IllegalArgumentException("nothing to compress with NONE");
            };
            out[pos + 16] = codec.method;
            putInt(out, pos + 17, written + 9); // the size counts the method and size bytes
            putInt(out, pos + 21, n);
            long[] hash = ClickHouseCityHash.cityHash128(out, pos + 16, written + 9);
            putLong(out, pos, hash[0]);
            putLong(out, pos + 8, hash[1]);
            pos = data + written;
            from += n;
        } while (from < length);
        outLength[0] = pos;
        return out;
    }

    private static int bound(InsertCompression codec, int length) {
        return codec == InsertCompression.LZ4 ? LZ4.maxCompressedLength(length)
                : (int) Math.min(Integer.MAX_VALUE - 1024, Zstd.compressBound(length));
    }

    private static int checked(long zstdResult) {
        if (Zstd.isError(zstdResult)) {
            throw new IllegalStateException("zstd compression failed: " + Zstd.getErrorName(zstdResult));
        }
        return (int) zstdResult;
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }

    private static void putLong(byte[] b, int at, long v) {
        putInt(b, at, (int) v);
        putInt(b, at + 4, (int) (v >>> 32));
    }
}
