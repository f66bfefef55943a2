package dev.clickpipes.format.avro;

import java.io.IOException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.util.Utf8;

/**
 * One thread's reading state: Avro's binary decoder over the current message and scratch buffers
 * reused from message to message, so that reading a string or bytes value allocates nothing.
 */
final class AvroInput {

    private static final ThreadLocal<AvroInput> PER_THREAD = ThreadLocal.withInitial(AvroInput::new);

    BinaryDecoder in;
    private final Utf8 text = new Utf8();
    private byte[] bytes = new byte[64];
    /** The message's length: no value in it can be longer. */
    private int limit;

    private AvroInput() {
    }

    /** This thread's input, positioned on {@code data[offset, offset + length)}. */
    static AvroInput over(byte[] data, int offset, int length) {
        AvroInput input = PER_THREAD.get();
        input.in = DecoderFactory.get().binaryDecoder(data, offset, length, input.in);
        input.limit = length;
        return input;
    }

    /** Reads a string; the returned holder is valid until the next read. */
    Utf8 readUtf8() throws IOException {
        return in.readString(text);
    }

    /** Reads a {@code bytes} value into the scratch array; returns its length (see {@link #bytes()}). */
    int readBytes() throws IOException {
        long n = in.readLong();
        if (n < 0 || n > limit) {
            throw new IOException("invalid bytes length " + n + " in a message of " + limit + " bytes");
        }
        int len = (int) n;
        ensure(len);
        in.readFixed(bytes, 0, len);
        return len;
    }

    /** Reads a {@code fixed} value of {@code size} bytes into the scratch array. */
    void readFixed(int size) throws IOException {
        if (size > limit) {
            throw new IOException("a fixed of " + size + " bytes in a message of " + limit + " bytes");
        }
        ensure(size);
        in.readFixed(bytes, 0, size);
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
