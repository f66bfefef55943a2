package dev.clickpipes.testkit;

import dev.clickpipes.core.Pipe;
import dev.clickpipes.core.PipeMetrics;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a pipe in a test until its source is drained, then closes it, so every row it read is
 * inserted and committed when the call returns.
 */
public final class PipeRuns {

    /** How long the record count must stay put before an open source counts as drained. */
    static final Duration QUIET = Duration.ofMillis(500);

    private PipeRuns() {}

    /** {@link #drain(Pipe, Duration)} with a 60 s timeout. */
    public static PipeMetrics drain(Pipe pipe) {
        return drain(pipe, Duration.ofSeconds(60));
    }

    /**
     * Runs the pipe on a thread of its own until its source is drained and returns the final
     * metrics. A bounded source (such as {@code MemorySource.of(...)} or a file) is drained when
     * {@link Pipe#run()} returns; an open one (Kafka, Kinesis, {@code MemorySource.open()}) when
     * it has read at least one record and then nothing more for 500 ms; the pipe is then closed,
     * which inserts and commits its open batch. For a source that delivers slowly, use
     * {@link #drain(Pipe, long, Duration)}.
     *
     * @throws AssertionError when the pipe is not drained within {@code timeout}
     * @throws dev.clickpipes.core.PipeException when the pipe failed
     */
    public static PipeMetrics drain(Pipe pipe, Duration timeout) {
        return run(pipe, 0, timeout);
    }

    /**
     * Runs the pipe on a thread of its own until it has read {@code records} records (or its
     * source finished), then closes it and returns the final metrics.
     *
     * @throws AssertionError when fewer were read within {@code timeout}
     * @throws dev.clickpipes.core.PipeException when the pipe failed
     */
    public static PipeMetrics drain(Pipe pipe, long records, Duration timeout) {
        if (records < 1) {
            throw new IllegalArgumentException("records must be at least 1, got " + records);
        }
        return run(pipe, records, timeout);
    }

    private static PipeMetrics run(Pipe pipe, long records, Duration timeout) {
        Thread runner = new Thread(() -> {
            try {
                pipe.run();
            } catch (RuntimeException e) {
                // completion() carries it to the test thread
            }
        }, "pipe-" + pipe.name());
        runner.setDaemon(true);
        runner.start();
        long deadline = System.nanoTime() + timeout.toNanos();
        long seen = -1;
        long seenSince = System.nanoTime();
        try {
            while (!pipe.completion().isDone()) {
                long read = pipe.metrics().recordsRead();
                long now = System.nanoTime();
                if (read != seen) {
                    seen = read;
                    seenSince = now;
                }
                boolean enough = records > 0 ? read >= records : read > 0 && now - seenSince >= QUIET.toNanos();
                if (enough) {
                    pipe.close();
                    break;
                }
                if (now > deadline) {
                    pipe.close();
                    throw new AssertionError("pipe " + pipe.name() + " was not drained within " + timeout + ": read "
                            + read + (records > 0 ? " of " + records : "") + " records; " + pipe.metrics());
                }
                Thread.sleep(20);
            }
            return pipe.completion().get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pipe.close();
            throw new AssertionError("interrupted while draining pipe " + pipe.name(), e);
        } catch (ExecutionException | CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new AssertionError("pipe " + pipe.name() + " failed", e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("pipe " + pipe.name() + " did not stop within " + timeout + " of close()", e);
        }
    }
}
