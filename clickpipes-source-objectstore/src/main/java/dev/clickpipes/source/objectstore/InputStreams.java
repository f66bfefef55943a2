package dev.clickpipes.source.objectstore;

import java.io.IOException;
import java.io.InputStream;

/** What the stores' and the codecs' streams share. */
public final class InputStreams {

    private InputStreams() {
    }

    /**
     * The single-byte {@link InputStream#read()} of a stream that does its work in its array read:
     * one byte through {@code stream.read(byte[], int, int)}, so that the checks and the error
     * handling of that read (a range's end, a version check, an SDK error's translation) hold for
     * both reads.
     *
     * @return the byte, 0 to 255, or -1 at the end of the stream
     */
    public static int readOneByte(InputStream stream) throws IOException {
        byte[] one = new byte[1];
        int n = stream.read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }
}
