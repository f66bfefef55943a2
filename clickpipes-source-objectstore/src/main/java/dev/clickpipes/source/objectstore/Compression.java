package dev.clickpipes.source.objectstore;

import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import net.jpountz.lz4.LZ4FrameInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * How a text object is compressed. Decompression streams: memory stays at the codec's window,
 * whatever the object's size. Parquet objects are never wrapped (their pages carry their own codec).
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
        InputStream in = new BufferedInputStream(raw, BUFFER);
        return switch (this) {
            case NONE, AUTO -> in;
            case GZIP -> new GZIPInputStream(in, BUFFER);
            case ZSTD -> new ZstdInputStream(in);
            case BZIP2 -> new BZip2CompressorInputStream(in, true);
            case XZ -> new XZInputStream(in);
            case LZ4 -> new LZ4FrameInputStream(in);
        };
    }

    /** The usual extension, for messages. */
    public String extension() {
        return extension;
    }
}
