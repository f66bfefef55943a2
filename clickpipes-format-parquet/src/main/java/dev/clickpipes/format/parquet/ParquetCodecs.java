package dev.clickpipes.format.parquet;

import com.github.luben.zstd.Zstd;
import io.airlift.compress.lz4.Lz4Decompressor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.zip.GZIPInputStream;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

/**
 * Page decompression without Hadoop's codec classes (which would pull in Hadoop's Configuration
 * and its XML stack): snappy (snappy-java), gzip (the JDK, concatenated members too), zstd
 * (zstd-jni), lz4_raw and Hadoop-framed lz4 (aircompressor; raw lz4 blocks too, as some writers
 * produce them), brotli (org.brotli:dec). LZO is not supported. Read-only: compressing fails.
 *
 * <p>Hostile input: a page header's uncompressed size is checked before its buffer is allocated,
 * against {@link #MAX_PAGE_BYTES} and against the most the codec can expand the page's compressed
 * bytes to (snappy's own length header must agree; streamed codecs read into a buffer that grows
 * only as the stream delivers).
 */
final class ParquetCodecs implements CompressionCodecFactory {

    static final ParquetCodecs INSTANCE = new ParquetCodecs();

    /** The largest uncompressed page read: writers cut pages at 1 MB by default, row groups at 128 MB. */
    static final int MAX_PAGE_BYTES = 128 << 20;

    private ParquetCodecs() {
    }

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codecName) {
        throw new UnsupportedOperationException("this reader does not write Parquet");
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        return new Decompressor(codec);
    }

    @Override
    public void release() {
    }

    private static final class Decompressor implements BytesInputDecompressor {
        private final CompressionCodecName codec;

        Decompressor(CompressionCodecName codec) {
            this.codec = codec;
        }

        @Override
        public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
            if (codec == CompressionCodecName.UNCOMPRESSED) {
                return bytes;
            }
            byte[] in = bytes.toByteArray();
            checkSize(codec, in, uncompressedSize);
            if (codec == CompressionCodecName.BROTLI) {
                return BytesInput.from(streamed(in, uncompressedSize));
            }
            byte[] out = new byte[uncompressedSize];
            if (uncompressedSize > 0 || in.length > 0) {
                inflate(in, out);
            }
            return BytesInput.from(out);
        }

        @Override
        public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize)
                throws IOException {
            if (compressedSize < 0 || compressedSize > input.remaining()) {
                throw new IOException("a page of " + compressedSize + " compressed bytes, " + input.remaining()
                        + " are there");
            }
            byte[] in = new byte[compressedSize];
            input.get(in);
            checkSize(codec, in, uncompressedSize);
            if (codec == CompressionCodecName.BROTLI) {
                output.put(streamed(in, uncompressedSize));
                return;
            }
            byte[] out = new byte[uncompressedSize];
            if (codec == CompressionCodecName.UNCOMPRESSED) {
                System.arraycopy(in, 0, out, 0, Math.min(in.length, out.length));
            } else if (uncompressedSize > 0 || in.length > 0) {
                inflate(in, out);
            }
            output.put(out);
        }

        /**
         * Refuses an uncompressed size no page of {@code in} can have, before anything is allocated:
         * over the cap, over what the codec can expand {@code in} to, or unlike snappy's own header.
         */
        static void checkSize(CompressionCodecName codec, byte[] in, int uncompressedSize) throws IOException {
            if (uncompressedSize < 0 || uncompressedSize > MAX_PAGE_BYTES) {
                throw new IOException("a page header gives " + uncompressedSize + " uncompressed bytes; pages of up to "
                        + MAX_PAGE_BYTES + " bytes are read");
            }
            long most = switch (codec) {
                case UNCOMPRESSED -> in.length;
                case SNAPPY -> Snappy.isValidCompressedBuffer(in) ? Snappy.uncompressedLength(in) : -1;
                // deflate: 1032:1 at most; lz4: 255:1; zstd: a 3-byte RLE block header and a byte give 128 KB
                case GZIP -> 1032L * in.length + 64;
                case LZ4, LZ4_RAW -> 256L * in.length + 64;
                case ZSTD -> 32_768L * in.length + 131_072;
                default -> Long.MAX_VALUE; // brotli: streamed into a buffer that grows with the output (see readAll)
            };
            if (codec == CompressionCodecName.SNAPPY ? most != uncompressedSize : uncompressedSize > most) {
                throw new IOException("a " + codec + " page of " + in.length + " bytes cannot hold the " + uncompressedSize
                        + " uncompressed bytes its header gives" + (codec == CompressionCodecName.SNAPPY
                        ? " (its snappy header says " + most + ")" : ""));
            }
        }

        private void inflate(byte[] in, byte[] out) throws IOException {
            if (out.length == 0) {
                return; // an empty page: some writers leave its (empty) compressed body out
            }
            switch (codec) {
                case SNAPPY -> Snappy.uncompress(in, 0, in.length, out, 0);
                case GZIP -> readAll(new GZIPInputStream(new ByteArrayInputStream(in)), out);
                case ZSTD -> {
                    long n = Zstd.decompressByteArray(out, 0, out.length, in, 0, in.length);
                    if (Zstd.isError(n)) {
                        throw new IOException("zstd: " + Zstd.getErrorName(n));
                    }
                }
                case LZ4_RAW -> new Lz4Decompressor().decompress(in, 0, in.length, out, 0, out.length);
                case LZ4 -> lz4(in, out);
                case BROTLI -> readAll(new org.brotli.dec.BrotliInputStream(new ByteArrayInputStream(in)), out);
                default -> throw new IOException("pages compressed with " + codec + " cannot be read");
            }
        }

        /** Hadoop's lz4 framing (blocks of: uncompressed size, compressed size, lz4 block), else one raw block. */
        private static void lz4(byte[] in, byte[] out) throws IOException {
            try {
                int inPos = 0;
                int outPos = 0;
                while (inPos + 4 <= in.length && outPos < out.length) {
                    int blockEnd = outPos + ByteBuffer.wrap(in, inPos, 4).getInt();
                    inPos += 4;
                    if (blockEnd > out.length || blockEnd <= outPos) {
                        throw new IllegalStateException("not Hadoop framing");
                    }
                    while (outPos < blockEnd) {
                        int compressed = ByteBuffer.wrap(in, inPos, 4).getInt();
                        inPos += 4;
                        outPos += new Lz4Decompressor().decompress(in, inPos, compressed, out, outPos, blockEnd - outPos);
                        inPos += compressed;
                    }
                }
                if (outPos == out.length && inPos == in.length) {
                    return;
                }
            } catch (RuntimeException e) {
                // not Hadoop-framed: read it as one raw block below
            }
            new Lz4Decompressor().decompress(in, 0, in.length, out, 0, out.length);
        }

        /** Brotli can expand a few bytes to any size: read what the stream gives, then check it against the header. */
        private static byte[] streamed(byte[] in, int uncompressedSize) throws IOException {
            if (uncompressedSize == 0) {
                return new byte[0];
            }
            byte[] out;
            try (InputStream s = new org.brotli.dec.BrotliInputStream(new ByteArrayInputStream(in))) {
                out = s.readNBytes(uncompressedSize); // grows with what arrives, never past the size given
                if (out.length == uncompressedSize && s.read() >= 0) {
                    throw new IOException("the page holds more than the " + uncompressedSize + " bytes its header says");
                }
            }
            if (out.length != uncompressedSize) {
                throw new IOException("the page holds " + out.length + " bytes, its header says " + uncompressedSize);
            }
            return out;
        }

        private static void readAll(InputStream in, byte[] out) throws IOException {
            try (in) {
                int n = in.readNBytes(out, 0, out.length);
                if (n != out.length) {
                    throw new IOException("the page holds " + n + " bytes, its header says " + out.length);
                }
            }
        }

        @Override
        public void release() {
        }
    }
}
