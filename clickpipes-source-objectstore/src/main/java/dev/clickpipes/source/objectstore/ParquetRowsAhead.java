package dev.clickpipes.source.objectstore;

import dev.clickpipes.format.parquet.ParquetRow;
import dev.clickpipes.format.parquet.ParquetRowReader;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Reads a Parquet object's rows ahead of the pipe's thread on a thread the host lent, so that
 * reading its pages (decompressing, decoding the columns) and handing its rows to the pipe run on
 * two cores. The rows come out in file order, exactly as the reader gives them, and a read error
 * comes out after the rows before it, as the same exception: positions and resumption are those of
 * the reader.
 *
 * <p>At most {@value #DEPTH} runs of {@value #RUN} rows wait between the two threads. Until the lent
 * thread starts, the pipe's thread reads rows itself (a busy executor never leaves it waiting on a
 * task that may not run); the lent thread then takes over from the next row. The reader is only ever
 * used by one thread at a time: a lock hands it over.
 */
final class ParquetRowsAhead implements AutoCloseable {

    static final int RUN = 1024;
    static final int DEPTH = 4;
    /** How long the lent thread waits for a free slot before it looks again at whether the reader closed. */
    private static final long OFFER_WAIT_MS = 100;
    /**
     * How long the first row waits for the lent thread to start before the pipe's thread reads it
     * itself: a thread that starts at once then reads the first row group's pages too.
     */
    private static final long START_WAIT_MS = 20;
    /** How long close() waits for the lent thread's last read before closing the file under it. */
    private static final long CLOSE_WAIT_S = 10;

    private final ParquetRowReader rows;
    private final BlockingQueue<Run> filled = new ArrayBlockingQueue<>(DEPTH);
    private final CountDownLatch aheadDone = new CountDownLatch(1);
    private final CountDownLatch started = new CountDownLatch(1);
    private boolean waitedForStart;
    /** Guards {@link #ahead} and {@link #closed} and, until the lent thread took it, the reader. */
    private final Object lock = new Object();
    private boolean ahead;
    private volatile boolean closed;
    private Run current;
    private int position;

    /** Rows of the file; {@code end} when the file ended after them, with {@code error} when reading failed there. */
    private record Run(ParquetRow[] rows, int count, boolean end, Throwable error) {
    }

    ParquetRowsAhead(ParquetRowReader rows, Executor executor) {
        this.rows = rows;
        try {
            executor.execute(this::readAhead);
        } catch (RejectedExecutionException e) {
            aheadDone.countDown(); // the pipe's thread reads every row itself
            started.countDown();
        }
    }

    private void readAhead() {
        try {
            synchronized (lock) {
                if (closed) {
                    return;
                }
                ahead = true;
            }
            started.countDown();
            while (!closed) {
                Run run = fill();
                while (!closed && !filled.offer(run, OFFER_WAIT_MS, TimeUnit.MILLISECONDS)) {
                    // the pipe is behind: wait for a free slot, or for close()
                }
                if (run.end) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            filled.clear();
            filled.offer(new Run(new ParquetRow[0], 0, true, new InterruptedIOException("reading ahead was interrupted")));
            Thread.currentThread().interrupt();
        } finally {
            started.countDown();
            aheadDone.countDown();
        }
    }

    private Run fill() {
        ParquetRow[] run = new ParquetRow[RUN];
        int n = 0;
        try {
            while (n < RUN) {
                ParquetRow row = rows.next();
                if (row == null) {
                    return new Run(run, n, true, null);
                }
                run[n++] = row;
            }
            return new Run(run, n, false, null);
        } catch (Throwable e) {
            return new Run(run, n, true, e); // the rows before the error still come out first
        }
    }

    /** The next row, or null after the last; the reader's error where it failed. */
    ParquetRow next() throws IOException {
        if (current == null) {
            if (!waitedForStart) {
                waitedForStart = true;
                try {
                    started.await(START_WAIT_MS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for the Parquet rows read ahead");
                }
            }
            synchronized (lock) {
                if (!ahead) {
                    return rows.next(); // the lent thread has not started (or never will): read here
                }
            }
            current = take();
            position = 0;
        }
        while (position == current.count) {
            if (current.end) {
                if (current.error != null) {
                    Throwable e = current.error;
                    current = new Run(current.rows, current.count, true, null);
                    ReadAheadStream.rethrow(e);
                }
                return null;
            }
            current = take();
            position = 0;
        }
        ParquetRow row = current.rows[position];
        current.rows[position++] = null; // the pipe may keep the row; the run need not
        return row;
    }

    private Run take() throws IOException {
        try {
            return filled.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the Parquet rows read ahead");
        }
    }

    /** Stops the lent thread (after the row it reads), then closes the reader. */
    @Override
    public void close() throws IOException {
        boolean wait;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            wait = ahead;
        }
        try {
            if (wait) {
                filled.clear();
                aheadDone.await(CLOSE_WAIT_S, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            rows.close();
        }
    }
}
