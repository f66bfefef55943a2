package dev.clickpipes.format.parquet;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * parquet-java's view of a {@link RandomAccessInput}. Large reads (a row group's column chunks)
 * become one ranged read each, of exactly the bytes asked for; small reads (the footer, page
 * headers) are served from a window read ahead, so they do not turn into many tiny requests.
 */
final class RangedInputFile implements InputFile {

    /** How much a small read fetches at once. */
    static final int WINDOW = 64 * 1024;

    private final RandomAccessInput input;
    private final long length;

    RangedInputFile(RandomAccessInput input) throws IOException {
        this.input = input;
        this.length = input.length();
    }

    @Override
    public long getLength() {
        return length;
    }

    @Override
    public SeekableInputStream newStream() {
        return new Stream();
    }

    @Override
    public String toString() {
        return input.name();
    }

    private final class Stream extends SeekableInputStream {
        private long pos;
        private byte[] window = new byte[0];
        private long windowStart;

        @Override
        public long getPos() {
            return pos;
        }

        @Override
        public void seek(long newPos) {
            pos = newPos;
        }

        @Override
        public int read() throws IOException {
            if (pos >= length) {
                return -1;
            }
            if (!inWindow(pos, 1)) {
                fill(pos, 1);
            }
            return window[(int) (pos++ - windowStart)] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (pos >= length) {
                return -1;
            }
            int n = (int) Math.min(len, length - pos);
            readFully(b, off, n);
            return n;
        }

        @Override
        public void readFully(byte[] bytes) throws IOException {
            readFully(bytes, 0, bytes.length);
        }

        @Override
        public void readFully(byte[] bytes, int off, int len) throws IOException {
            if (pos + len > length) {
                throw new EOFException(input.name() + ": reading " + len + " bytes at " + pos + " passes its end at " + length);
            }
            if (inWindow(pos, len)) {
                System.arraycopy(window, (int) (pos - windowStart), bytes, off, len);
            } else if (len >= WINDOW) {
                input.readFully(pos, bytes, off, len); // a column chunk: exactly its range, no copy
            } else {
                fill(pos, len);
                // near the file's end the window reaches back before pos, so pos is not its start
                System.arraycopy(window, (int) (pos - windowStart), bytes, off, len);
            }
            pos += len;
        }

        @Override
        public int read(ByteBuffer buf) throws IOException {
            if (pos >= length) {
                return -1;
            }
            int n = (int) Math.min(buf.remaining(), length - pos);
            copyInto(buf, n);
            return n;
        }

        @Override
        public void readFully(ByteBuffer buf) throws IOException {
            copyInto(buf, buf.remaining());
        }

        private void copyInto(ByteBuffer buf, int n) throws IOException {
            if (buf.hasArray()) {
                readFully(buf.array(), buf.arrayOffset() + buf.position(), n);
                buf.position(buf.position() + n);
            } else {
                byte[] tmp = new byte[n];
                readFully(tmp, 0, n);
                buf.put(tmp);
            }
        }

        private boolean inWindow(long at, int len) {
            return at >= windowStart && at + len <= windowStart + window.length;
        }

        /** Reads a window holding {@code [at, at + atLeast)}; near the end it reaches back, so one read covers the footer. */
        private void fill(long at, int atLeast) throws IOException {
            int want = Math.max(WINDOW, atLeast);
            long start = at + want > length ? Math.max(0, Math.min(at, length - want)) : at;
            int size = (int) Math.min(want, length - start);
            byte[] w = window.length == size ? window : new byte[size];
            input.readFully(start, w, 0, size);
            window = w;
            windowStart = start;
        }

        @Override
        public void close() {
            window = new byte[0];
        }
    }
}
