package dev.clickpipes.source.objectstore;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The raw (still compressed) bytes {@code [start, end)} of one object version, surviving network
 * failures: when a read fails (a connection reset, a response cut short, any IOException but
 * {@link ObjectChangedException}) it requests the rest again from the byte it got to, after a
 * backoff, and carries on; decompressors above it see one unbroken stream. It gives up after
 * {@value #MAX_RESUMES} resumes in a row without a byte read in between. The store's requests pin
 * the listed version, so a resumed stream never mixes two versions.
 */
final class ResumableObjectStream extends InputStream {

    private static final Logger LOG = LoggerFactory.getLogger(ResumableObjectStream.class);
    /** Resumes in a row (no byte read in between) before a read fails. */
    static final int MAX_RESUMES = 5;
    private static final long FIRST_BACKOFF_MS = 200;
    private static final long MAX_BACKOFF_MS = 5_000;

    /** One request for the object's bytes from an offset to the stream's end. */
    @FunctionalInterface
    interface Opener {
        InputStream open(long offset) throws IOException;
    }

    private final String url;
    private final Opener opener;
    private final long end;
    private long position;
    private InputStream current;
    private int resumesInARow;
    private long resumes;

    /**
     * Makes the first request now (its errors are thrown as they are: the store's client retried
     * them already), unless the range is empty and not the whole object.
     *
     * @param url    the object's URL, for messages
     * @param opener the request, from an offset
     * @param start  the first byte
     * @param end    the byte after the last one (the object's size for a whole object)
     */
    ResumableObjectStream(String url, Opener opener, long start, long end) throws IOException {
        this.url = url;
        this.opener = opener;
        this.position = start;
        this.end = end;
        if (start < end || start == 0) {
            current = opener.open(start);
        }
    }

    @Override
    public int read() throws IOException {
        return InputStreams.readOneByte(this);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (position >= end) {
            return -1;
        }
        int wanted = (int) Math.min(len, end - position);
        while (true) {
            IOException failure;
            try {
                if (current == null) {
                    current = opener.open(position);
                }
                int n = current.read(b, off, wanted);
                if (n >= 0) {
                    position += n;
                    resumesInARow = n > 0 ? 0 : resumesInARow;
                    return n;
                }
                failure = new EOFException("the response ended at byte " + position + " of " + end);
            } catch (ObjectChangedException e) {
                throw e;
            } catch (IOException e) {
                failure = e;
            } catch (UncheckedIOException e) {
                failure = e.getCause();
            }
            resume(failure);
        }
    }

    /** Drops the broken request and waits before the next one; throws once there were too many in a row. */
    private void resume(IOException failure) throws IOException {
        closeCurrent();
        if (resumesInARow == MAX_RESUMES) {
            throw new IOException(url + ": reading failed at byte " + position + " of " + end + " after " + MAX_RESUMES
                    + " resumes in a row without progress (" + resumes + " in all): " + failure, failure);
        }
        resumesInARow++;
        resumes++;
        long backoff = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS << (resumesInARow - 1));
        long delay = backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1); // jitter: spread retries of many readers
        LOG.warn("{}: read failed at byte {} of {} ({}); requesting the rest in {} ms (resume {} of {} in a row)",
                url, position, end, failure.toString(), delay, resumesInARow, MAX_RESUMES);
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException stop = new InterruptedIOException(url + ": interrupted while resuming a read");
            stop.addSuppressed(failure);
            throw stop;
        }
    }

    /** Resumes made so far, for tests and messages. */
    long resumes() {
        return resumes;
    }

    private void closeCurrent() {
        if (current != null) {
            try {
                current.close();
            } catch (IOException | RuntimeException e) {
                // the request is broken already: nothing to release but the connection, which the client drops
            }
            current = null;
        }
    }

    @Override
    public void close() throws IOException {
        InputStream c = current;
        current = null;
        if (c != null) {
            c.close();
        }
    }
}
