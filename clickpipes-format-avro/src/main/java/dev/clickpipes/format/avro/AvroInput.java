package dev.clickpipes.format.avro;

import java.io.IOException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.util.Utf8;

/**
 * One thread's reading state: Avro's binary decoder over the current message and scratch buffers
 * reused from message to message, so that reading a string or bytes value allocates nothing.
 *
 * <p>Hostile input: every length and item count read from the message is checked against the
 * bytes left in it before anything is allocated or looped over (Avro's own decoder allocates a
 * string of the declared length first). Items that take no bytes (nulls, empty records) are
 * limited to {@link #zeroByteItemBudget} per message, and records nest at most {@link #MAX_DEPTH}
 * deep (a recursive schema would otherwise overflow the stack).
 */
final class AvroInput {

    /** Deepest nesting of records in one message. */
    static final int MAX_DEPTH = 512;

    private static final ThreadLocal<AvroInput> PER_THREAD = ThreadLocal.withInitial(AvroInput::new);

    BinaryDecoder in;
    private final Utf8 text = new Utf8();
    private byte[] bytes = new byte[64];
    private byte[] data;
    private int offset;
    /** The message's length: no value in it can be longer. */
    private int limit;
    /** Array and map items of zero bytes each (nulls, empty records) still allowed in this message. */
    private long zeroByteItems;
    private int depth;

    private AvroInput() {
    }

    /** This thread's input, positioned on {@code data[offset, offset + length)}. */
    static AvroInput over(byte[] data, int offset, int length) {
        AvroInput input = PER_THREAD.get();
        input.in = DecoderFactory.get().binaryDecoder(data, offset, length, input.in);
        input.data = data;
        input.offset = offset;
        input.limit = length;
        input.zeroByteItems = zeroByteItemBudget(length);
        input.depth = 0;
        return input;
    }

    /** How many zero-byte array or map items a message of {@code length} bytes may hold: 8 a byte, and 4096. */
    static long zeroByteItemBudget(int length) {
        return 4096 + 8L * length;
    }

    /** The bytes of the message not read yet. */
    int remaining() throws IOException {
        return Math.min(limit, in.inputStream().available());
    }

    /** Where the decoder stands, as an index in the message's array. */
    int position() throws IOException {
        return offset + limit - remaining();
    }

    byte[] data() {
        return data;
    }

    /** Reads a length prefix (string, bytes) and checks it against what is left of the message. */
    private int readLength(String what) throws IOException {
        long n = in.readLong();
        if (n < 0 || n > remaining()) {
            throw new IOException("invalid " + what + " length " + n + ": " + remaining() + " bytes are left in the message of "
                    + limit + " bytes");
        }
        return (int) n;
    }

    /** Reads a string; the returned holder is valid until the next read. */
    Utf8 readUtf8() throws IOException {
        int len = readLength("string");
        text.setByteLength(len);
        in.readFixed(text.getBytes(), 0, len);
        return text;
    }

    /** Skips a string or bytes value, its length checked. */
    void skipString() throws IOException {
        in.skipFixed(readLength("string"));
    }

    /** Reads a {@code bytes} value into the scratch array; returns its length (see {@link #bytes()}). */
    int readBytes() throws IOException {
        int len = readLength("bytes");
        ensure(len);
        in.readFixed(bytes, 0, len);
        return len;
    }

    /** Reads a {@code fixed} value of {@code size} bytes into the scratch array. */
    void readFixed(int size) throws IOException {
        if (size > remaining()) {
            throw new IOException("a fixed of " + size + " bytes with " + remaining() + " bytes left in a message of "
                    + limit + " bytes");
        }
        ensure(size);
        in.readFixed(bytes, 0, size);
    }

    /**
     * Checks a block's item count (of an array or map) before it is looped over: items of
     * {@code minBytes} each must fit in what is left, zero-byte items in the message's budget.
     */
    long items(long n, int minBytes) throws IOException {
        if (n < 0) {
            throw new IOException("invalid item count " + n);
        }
        if (minBytes > 0) {
            if (n > remaining() / minBytes) {
                throw new IOException("a block of " + n + " items of at least " + minBytes + " bytes each, with "
                        + remaining() + " bytes left in the message");
            }
        } else {
            zeroByteItems -= n;
            if (zeroByteItems < 0) {
                throw new IOException("a block of " + n + " items of zero bytes each: over the " + zeroByteItemBudget(limit)
                        + " such items a message of " + limit + " bytes may hold");
            }
        }
        return n;
    }

    /** Enters a record; fails when records nest deeper than {@link #MAX_DEPTH}. */
    void enter() throws IOException {
        if (++depth > MAX_DEPTH) {
            throw new IOException("records nested more than " + MAX_DEPTH + " deep");
        }
    }

    void leave() {
        depth--;
    }

    /** The scratch array holding the last {@link #readBytes()} or {@link #readFixed} value. */
    byte[] bytes() {
        return bytes;
    }

    private void ensure(int len) {
        if (bytes.length < len) {
            bytes = new byte[Math.max(len, bytes.length * 2)];
        }
    }
}
