package dev.clickpipes.testservices;

import com.clickhouse.data.ClickHouseCityHash;
import com.github.luben.zstd.Zstd;
import java.io.ByteArrayOutputStream;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4FastDecompressor;

/**
 * Reads a request body sent with {@code decompress=1}: ClickHouse's compressed blocks (16-byte
 * CityHash128 of the rest of the block, method byte, compressed size with the 9 header bytes,
 * uncompressed size, data), as the server's {@code CompressedReadBuffer} does, with its checks.
 */
final class CompressedRequestBody {

    private static final int MAX_BLOCK = 1 << 30; // the server's DBMS_MAX_COMPRESSED_SIZE
    private static final LZ4FastDecompressor LZ4 = LZ4Factory.fastestInstance().fastDecompressor();

    private CompressedRequestBody() {
    }

    /** The uncompressed body; a damaged or unknown block is a {@link CompressionError} with the server's code. */
    static byte[] decompress(byte[] body) throws CompressionError {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length * 4);
        int pos = 0;
        while (pos < body.length) {
            if (body.length - pos < 25) {
                throw new CompressionError(271, "Cannot decompress: " + (body.length - pos) + " bytes left, less than"
                        + " a block header (CANNOT_DECOMPRESS)");
            }
            int method = body[pos + 16] & 0xFF;
            long compressed = intAt(body, pos + 17) & 0xFFFFFFFFL;
            long size = intAt(body, pos + 21) & 0xFFFFFFFFL;
            if (compressed < 9 || compressed > MAX_BLOCK || size > MAX_BLOCK || pos + 16 + compressed > body.length) {
                throw new CompressionError(271, "Cannot decompress: block at " + pos + " has compressed size "
                        + compressed + " and size " + size + " (CANNOT_DECOMPRESS)");
            }
            long[] hash = ClickHouseCityHash.cityHash128(body, pos + 16, (int) compressed);
            if (hash[0] != longAt(body, pos) || hash[1] != longAt(body, pos + 8)) {
                throw new CompressionError(40, "Checksum doesn't match: corrupted data, block at " + pos
                        + " (CHECKSUM_DOESNT_MATCH)");
            }
            byte[] block = new byte[(int) size];
            int data = pos + 25;
            int dataLength = (int) compressed - 9;
            switch (method) {
                case 0x02 -> System.arraycopy(body, data, block, 0, dataLength);
                case 0x82 -> {
                    try {
                        if (LZ4.decompress(body, data, block, 0, block.length) != dataLength) {
                            throw new LZ4Exception("block length mismatch");
                        }
                    } catch (LZ4Exception e) {
                        throw new CompressionError(271, "Cannot decompress LZ4 block at " + pos + " (CANNOT_DECOMPRESS)");
                    }
                }
                case 0x90 -> {
                    long n = Zstd.decompressByteArray(block, 0, block.length, body, data, dataLength);
                    if (Zstd.isError(n) || n != size) {
                        throw new CompressionError(271, "Cannot decompress ZSTD block at " + pos + " (CANNOT_DECOMPRESS)");
                    }
                }
                default -> throw new CompressionError(89, "Unknown compression method: " + method
                        + " (UNKNOWN_COMPRESSION_METHOD)");
            }
            out.write(block, 0, block.length);
            pos += 16 + (int) compressed;
        }
        return out.toByteArray();
    }

    private static int intAt(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }

    private static long longAt(byte[] b, int at) {
        return (intAt(b, at) & 0xFFFFFFFFL) | (long) intAt(b, at + 4) << 32;
    }

    /** A body the server would refuse, with its code. */
    static final class CompressionError extends Exception {
        final int code;

        CompressionError(int code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }
}
