package dev.clickpipes.format.registry;

import dev.clickpipes.core.ErrorKind;
import dev.clickpipes.core.spi.DecodeException;

/**
 * The header of the Confluent wire format, ahead of each registry-framed message: the magic byte 0,
 * then the writer schema's registry id as 4 big-endian bytes (Protobuf's message indexes follow).
 * For the decoders of that format.
 */
public final class ConfluentHeader {

    /** The magic byte and the schema id: the bytes before the message (or before Protobuf's message indexes). */
    public static final int LENGTH = 5;

    private ConfluentHeader() {
    }

    /** The schema id of the header at {@code data[offset]}: the 4 big-endian bytes after the magic byte. */
    public static int schemaId(byte[] data, int offset) {
        return ((data[offset + 1] & 0xff) << 24) | ((data[offset + 2] & 0xff) << 16)
                | ((data[offset + 3] & 0xff) << 8) | (data[offset + 4] & 0xff);
    }

    /**
     * The error of a message without the header when the registry URL names no schema to read it with.
     *
     * @param framing what the header would have held, as the message says it
     *                ({@code "magic byte 0 and a 4-byte schema id"})
     */
    public static DecodeException missing(byte[] data, int offset, int length, String framing, SchemaRegistry registry) {
        return new DecodeException(ErrorKind.DATA_PARSING_ERROR, length == 0 ? "empty message"
                : "no Confluent header (" + framing + "; the first byte is " + (data[offset] & 0xff)
                + "), and the registry URL " + registry.describe() + " names no schema to read it with");
    }
}
