package dev.clickpipes.source.objectstore;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads a stream ahead of its reader on a thread the host lent, so that decompressing an object and
 * decoding its lines run on two cores instead of one. The bytes come out in order, exactly as the
 * wrapped stream gives them; a read error comes out at the place it happened, as the same exception.
 *
 * <p>At most {@value #DEPTH} chunks of {@value #CHUNK} bytes wait between the two threads, and their
 * buffers are reused. The wrapped stream is only ever read by one thread: the lent one once it has
 * started, or the reader itself when the executor refused the task or has not started it by the
 * first read (a busy executor never leaves the reader waiting on a task that may not run).
 */
final class ReadAheadStream extends InputStream {

    static final int CHUNK = 256 * 1024;
    static final int DEPTH = 4;
    private static final int NOT_STARTED = 0;
    private static final int AHEAD = 1;
    private static final int INLINE = 2;
    /** How long the reading thread waits for a free slot before it looks again at whether the reader closed. */
    private static final long OFFER_WAIT_MS = 100;
    /** How long close() waits for the reading thread's last read before it closes the stream under it (which ends a network read). */
    private static final long CLOSE_WAIT_S = 10;

    private final InputStream in;
    private final AtomicInteger mode = new AtomicInteger(NOT_STARTED);
    private final BlockingQueue<Chunk> filled = new ArrayBlockingQueue<>(DEPTH);
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(DEPTH + 1);
    private final CountDownLatch aheadDone = new CountDownLatch(1);
    private volatile boolean closed;
    private Chunk current;
    private int position;

    /** Bytes of the stream; {@code end} when the stream ended after them, with {@code error} when it failed there. */
    private record Chunk(byte[] bytes, int length, boolean end, Throwable error) {
    }

    private static final Chunk END = new Chunk(new byte[0], 0, true, null);

    ReadAheadStream(InputStream in, Executor executor) {
        this.in = in;
        try {
            executor.execute(this::readAhead);
        } catch (RejectedExecutionException e) {
            mode.set(INLINE);
        }
    }

    private void readAhead() {
        if (!mode.compareAndSet(NOT_STARTED, AHEAD)) {
            return; // the reader started reading the stream itself
        }
        try {
            while (!closed) {
                Chunk chunk = fill();
                while (!closed && !filled.offer(chunk, OFFER_WAIT_MS, TimeUnit.MILLISECONDS)) {
                    // the reader is behind: wait for a free slot, or for close()
                }
                if (chunk.end) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            filled.clear();
            filled.offer(new Chunk(END.bytes, 0, true, new InterruptedIOException("reading ahead was interrupted")));
            Thread.currentThread().interrupt();
        } finally {
            aheadDone.countDown();
        }
    }

    /** The next chunk of the stream: a buffer filled as far as the stream goes, with how it ended if it did. */
    private Chunk fill() {
        byte[] buffer = free.poll();
        buffer = buffer != null ? buffer : new byte[CHUNK];
        int n = 0;
        try {
            while (n < buffer.length) {
                int r = in.read(buffer, n, buffer.length - n);
                if (r < 0) {
                    return new Chunk(buffer, n, true, null);
                }
                n += r;
            }
            return new Chunk(buffer, n, false, null);
        } catch (Throwable e) {
            return new Chunk(buffer, n, true, e); // the bytes before the error still come out first
        }
    }

    /** True when the chunk to read from has bytes left; false at the stream's end; the stream's error where it failed. */
    private boolean ready() throws IOException {
        while (true) {
            if (current != null) {
                if (position < current.length) {
                    return true;
                }
                if (current.end) {
                    Throwable e = current.error;
                    current = END;
                    if (e != null) {
                        rethrow(e);
                    }
                    return false;
                }
                free.offer(current.bytes);
            }
            current = next();
            position = 0;
        }
    }

    /** Throws a failure caught on the reading thread, as it was thrown there. */
    static void rethrow(Throwable e) throws IOException {
        if (e instanceof IOException io) {
            throw io;
        }
        if (e instanceof RuntimeException re) {
            throw re;
        }
        if (e instanceof Error err) {
            throw err;
        }
        throw new UncheckedIOException(new IOException(e));
    }

    private Chunk next() throws IOException {
        if (mode.get() == INLINE || mode.compareAndSet(NOT_STARTED, INLINE)) {
            return fill();
        }
        try {
            return filled.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the stream read ahead");
        }
    }

    @Override
    public int read() throws IOException {
        return ready() ? current.bytes[position++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!ready()) {
            return -1;
        }
        int n = Math.min(len, current.length - position);
        System.arraycopy(current.bytes, position, b, off, n);
        position += n;
        return n;
    }

    @Override
    public int available() {
        return current == null ? 0 : current.length - position;
    }

    /** Stops the reading thread, then closes the wrapped stream (never while that thread reads it). */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (mode.compareAndSet(NOT_STARTED, INLINE) || mode.get() == INLINE) {
            in.close();
            return;
        }
        try {
            filled.clear();
            // the thread finishes the read it is in (one chunk at most) and sees `closed`
            aheadDone.await(CLOSE_WAIT_S, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            in.close();
        }
    }
}
