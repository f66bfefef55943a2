package dev.clickpipes.source.objectstore;

import java.time.Duration;
import java.util.HashSet;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this worker's leases ({@link Coordination#leases()}) from ending while it works: every
 * object it holds is renewed every third of the lease, from the poll loop and each commit and, when
 * the host lends a scheduler ({@link ObjectStoreSource.Builder#leaseRenewal}), on that scheduler too.
 *
 * <p>Why the scheduler: between two calls into the source the pipe's thread inserts a batch (with
 * its retries) or runs listeners, and renews nothing. A worker silent past its lease loses the
 * objects it has read and not yet committed; another worker loads them again from their last saved
 * row, so an at-least-once pipe writes those rows twice (exactly-once drops them by the delivery
 * state). The background renewal closes that window. It stops while the source has not been polled
 * for the given silence (default {@link #DEFAULT_MAX_POLL_SILENCE}, as Kafka's {@code max.poll.interval.ms}),
 * so a pipe stuck for good lets its objects go; a stopped or crashed process renews nothing, and
 * its leases end as before.
 */
final class LeaseKeeper implements AutoCloseable {

    /** How long the source may go unpolled before background renewals stop: 5 minutes. */
    static final Duration DEFAULT_MAX_POLL_SILENCE = Duration.ofMinutes(5);

    private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);

    private final ObjectStates states;
    private final String describe;
    private final long intervalNanos;
    private final long maxPollSilenceNanos;
    /** Objects a background renewal found lost, handed to the poll loop. */
    private final Queue<String> lostMeanwhile = new ConcurrentLinkedQueue<>();
    private final ScheduledFuture<?> background;
    private volatile long lastRenewal = System.nanoTime();
    private volatile long lastPoll = System.nanoTime();
    private volatile boolean silenceReported;

    /**
     * @param scheduler null to renew only from the poll loop
     */
    LeaseKeeper(ObjectStates states, Duration lease, ScheduledExecutorService scheduler, Duration maxPollSilence,
            String describe) {
        this.states = states;
        this.describe = describe;
        // nothing to renew without shared leases: never due
        this.intervalNanos = lease == null || !states.shared() ? Long.MAX_VALUE : lease.toNanos() / 3;
        this.maxPollSilenceNanos = maxPollSilence.toNanos();
        this.background = scheduler == null || intervalNanos == Long.MAX_VALUE ? null
                : scheduler.scheduleWithFixedDelay(this::renewInBackground, intervalNanos, intervalNanos,
                        TimeUnit.NANOSECONDS);
    }

    /**
     * From the poll loop (and a long resume skip, which is the poll loop too) and from each commit:
     * renews when due and returns the objects this worker lost since it last asked. Either call
     * counts as a poll for the longest poll silence (the pipe's thread is alive in both).
     */
    Set<String> renewDue() throws Exception {
        if (background != null) {
            // only the background renewal reads these; the poll loop asks once per record
            lastPoll = System.nanoTime();
            if (silenceReported) {
                silenceReported = false;
            }
        }
        boolean due = due();
        if (!due && lostMeanwhile.isEmpty()) {
            return Set.of(); // most times nothing is due
        }
        Set<String> lost = new HashSet<>();
        if (due) {
            lastRenewal = System.nanoTime();
            lost.addAll(states.renewAll());
        }
        for (String key; (key = lostMeanwhile.poll()) != null; ) {
            lost.add(key);
        }
        return lost;
    }

    private boolean due() {
        return System.nanoTime() - lastRenewal >= intervalNanos;
    }

    private void renewInBackground() {
        long silence = System.nanoTime() - lastPoll;
        if (silence > maxPollSilenceNanos) {
            if (!silenceReported) {
                silenceReported = true;
                LOG.warn("{}: not polled for {} s; its leases are no longer renewed and end, so other workers may take"
                        + " its objects", describe, TimeUnit.NANOSECONDS.toSeconds(silence));
            }
            return;
        }
        if (!due()) {
            return;
        }
        try {
            lastRenewal = System.nanoTime();
            lostMeanwhile.addAll(states.renewAll());
        } catch (Exception e) {
            // the poll loop renews too, and a refused save says what was lost
            // (caught: anything thrown here would end the scheduled renewals for good, silently)
            LOG.warn("{}: renewing the leases in the background failed: {}", describe, e.toString());
        } catch (Throwable t) {
            // an Error is a bug or a broken JVM, not a refused renewal: logged in full, and the next run tries again
            LOG.error("{}: renewing the leases in the background failed; renewals go on", describe, t);
        }
    }

    @Override
    public void close() {
        if (background != null) {
            background.cancel(false);
        }
    }
}
