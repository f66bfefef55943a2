package dev.clickpipes.clickhouse.http;

/**
 * How {@link HttpTransport} compresses insert bodies: in ClickHouse's own block framing (what the
 * server reads with the {@code decompress=1} URL parameter and what its native protocol and
 * client-v2 speak), not HTTP {@code Content-Encoding}.
 *
 * <p>Each block of at most 1 MiB of the body is sent as a 16-byte CityHash128 checksum, a method
 * byte ({@code 0x82} LZ4, {@code 0x90} ZSTD), the compressed and uncompressed sizes, and the
 * compressed bytes; the server checks the checksum and refuses a damaged body (code 271
 * CANNOT_DECOMPRESS) before it inserts a row of it.
 */
public enum InsertCompression {
    /** Bodies as they are. */
    NONE((byte) 0x02),
    /**
     * LZ4 (lz4-java's fastest compressor): the least CPU, about 7 % more pipe CPU than none and 0.39
     * of the bytes on the JSON benchmark's events.
     */
    LZ4((byte) 0x82),
    /**
     * ZSTD level 1 (zstd-jni), {@link HttpTransport}'s default: 0.27 of the bytes on the JSON
     * benchmark's events, for about 10 % more pipe CPU than none ({@code scripts/compression-benchmark.sh}).
     */
    ZSTD((byte) 0x90);

    final byte method;

    InsertCompression(byte method) {
        this.method = method;
    }
}
