package dev.clickpipes.source.objectstore;

import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.zip.GZIPInputStream;
import net.jpountz.lz4.LZ4FrameInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * How a text object is compressed. Decompression streams: memory stays at the codec's window,
 * whatever the object's size. Parquet objects are never wrapped (their pages carry their own codec).
 *
 * <p>Hostile input: the window is bounded whatever the stream declares — xz at
 * {@value #XZ_MEMORY_LIMIT_KIB} KiB (xz -9 needs 65 MiB), zstd at a window of 2^{@value #ZSTD_WINDOW_LOG_MAX}
 * (128 MiB, what {@code zstd --long} writes); gzip, bzip2 and lz4 frames have small fixed windows.
 * What the stream expands to is bounded per record by the source's {@code maxRecordBytes}. A stream
 * that turns out corrupt (or over a limit) fails its reads with {@link CorruptInputException},
 * which the reader files in the error table instead of failing the pipe; errors of the store's own
 * stream are passed on as they are (they are retried).
 */
public enum Compression {
    /** From each object's extension: {@code .gz}, {@code .zst}, {@code .bz2}, {@code .xz}, {@code .lz4}; none otherwise. */
    AUTO(""),
    /** Not compressed. */
    NONE(""),
    /** gzip (the JDK's; concatenated members too). */
    GZIP(".gz"),
    /** Zstandard (zstd-jni). */
    ZSTD(".zst"),
    /** bzip2 (commons-compress; concatenated streams too). */
    BZIP2(".bz2"),
    /** xz (org.tukaani:xz). */
    XZ(".xz"),
    /** LZ4 frame format (lz4-java). */
    LZ4(".lz4");

    private static final int BUFFER = 256 * 1024;
    /** The most memory an xz stream may need, in KiB: 96 MiB. */
    static final int XZ_MEMORY_LIMIT_KIB = 96 * 1024;
    /** The largest zstd window accepted, as a power of two: 2^27 = 128 MiB. */
    static final int ZSTD_WINDOW_LOG_MAX = 27;
    private final String extension;

    Compression(String extension) {
        this.extension = extension;
    }

    /** The compression an object's name says, NONE when it has no known extension. */
    public static Compression fromName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".gz") || n.endsWith(".gzip")) {
            return GZIP;
        }
        if (n.endsWith(".zst") || n.endsWith(".zstd")) {
            return ZSTD;
        }
        if (n.endsWith(".bz2")) {
            return BZIP2;
        }
        if (n.endsWith(".xz")) {
            return XZ;
        }
        if (n.endsWith(".lz4")) {
            return LZ4;
        }
        return NONE;
    }

    /** The name without its compression extension. */
    static String stripExtension(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (String ext : new String[]{".gzip", ".gz", ".zstd", ".zst", ".bz2", ".xz", ".lz4"}) {
            if (n.endsWith(ext)) {
                return name.substring(0, name.length() - ext.length());
            }
        }
        return name;
    }

    /** The compression of an object named {@code key}: this one, or the name's when AUTO. */
    Compression resolve(String key) {
        return this == AUTO ? fromName(key) : this;
    }

    /** True when the object is read as it is stored, so byte offsets in it can be resumed from. */
    boolean seekable() {
        return this == NONE;
    }

    /** Wraps {@code raw} in this codec's decompressing stream (AUTO must be resolved first). */
    InputStream decompress(InputStream raw) throws IOException {
        return decompress(raw, null);
    }

    /**
     * Wraps {@code raw} in this codec's decompressing stream, which decompresses ahead of its reader
     * on {@code readAhead} when that is given and the object is compressed (AUTO must be resolved first).
     */
    InputStream decompress(InputStream raw, Executor readAhead) throws IOException {
        if (this == NONE || this == AUTO) {
            return new BufferedInputStream(raw, BUFFER);
        }
        InputStream decompressing = new Decompressing(this, new StoreStream(new BufferedInputStream(raw, BUFFER)));
        return readAhead == null ? decompressing : new ReadAheadStream(decompressing, readAhead);
    }

    /** The codec's stream over {@code in}, its memory bounded. */
    private InputStream codec(InputStream in) throws IOException {
        return switch (this) {
            case NONE, AUTO -> in;
            case GZIP -> new GZIPInputStream(in, BUFFER);
            case ZSTD -> new ZstdInputStream(in).setLongMax(ZSTD_WINDOW_LOG_MAX);
            case BZIP2 -> new BZip2CompressorInputStream(in, true);
            case XZ -> new XZInputStream(in, XZ_MEMORY_LIMIT_KIB);
            case LZ4 -> new LZ4FrameInputStream(in);
        };
    }

    /** A read failed because the compressed bytes are corrupt, truncated or over a memory limit. */
    static final class CorruptInputException extends IOException {
        CorruptInputException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The store's stream, remembering whether it failed itself (so a codec's error can be told from it). */
    private static final class StoreStream extends java.io.FilterInputStream {
        boolean failed;

        StoreStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException | RuntimeException e) {
                failed = true;
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException | RuntimeException e) {
                failed = true;
                throw e;
            }
        }
    }

    /** The codec's stream, opened at the first read (gzip reads its header then); its own errors become CorruptInputException. */
    private static final class Decompressing extends InputStream {
        private final Compression compression;
        private final StoreStream store;
        private InputStream codec;
        private long produced;

        Decompressing(Compression compression, StoreStream store) {
            this.compression = compression;
            this.store = store;
        }

        @Override
        public int read() throws IOException {
            return InputStreams.readOneByte(this);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                if (codec == null) {
                    codec = compression.codec(store);
                }
                int n = codec.read(b, off, len);
                if (n > 0) {
                    produced += n;
                }
                return n;
            } catch (IOException | RuntimeException e) {
                if (store.failed) {
                    throw e;
                }
                throw new CorruptInputException("the " + compression.name().toLowerCase(Locale.ROOT) + " stream cannot be read"
                        + " after " + produced + " decompressed bytes: " + e, e);
            }
        }

        @Override
        public void close() throws IOException {
            if (codec != null) {
                codec.close();
            } else {
                store.close();
            }
        }
    }

    /** The usual extension, for messages. */
    public String extension() {
        return extension;
    }
}
