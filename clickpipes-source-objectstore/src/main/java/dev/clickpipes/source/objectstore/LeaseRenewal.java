package dev.clickpipes.source.objectstore;

import java.io.IOException;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The renewals of {@link ObjectStoreSource}'s leases from the pipe's thread, and what comes of the
 * objects a renewal finds lost: the source stops loading them; during a resume skip
 * ({@link #keepAlive}) losing the object being read stops the skip ({@link LostWhileReading}).
 * {@link LeaseKeeper} decides when a renewal is due and renews in the background.
 */
final class LeaseRenewal implements AutoCloseable {

    /** The source's letting go of an object another worker holds now. */
    interface StopLoading {
        void stopLoading(String key) throws IOException;
    }

    private final LeaseKeeper leases;
    private final String describe;
    /** Whether the key is the object being read: its reader is in the middle of a call, so it is let go of once that unwinds. */
    private final Predicate<String> reading;
    private final StopLoading source;

    LeaseRenewal(LeaseKeeper leases, String describe, Predicate<String> reading, StopLoading source) {
        this.leases = leases;
        this.describe = describe;
        this.reading = reading;
        this.source = source;
    }

    /**
     * Renews the hold on every object this worker holds when due (leases only); stops loading those it lost.
     * From the poll loop and from each commit, the two ways the pipe's thread comes to the source.
     */
    void renewIfDue() throws Exception {
        for (String lost : leases.renewDue()) {
            source.stopLoading(lost);
        }
    }

    /**
     * Called by a reader while it reads past rows loaded before (resuming a compressed object, or
     * a Parquet row group, at row N reads N rows), so that the lease outlives a long skip. Losing
     * the object being read stops the skip ({@link LostWhileReading}).
     */
    void keepAlive() {
        Set<String> lost;
        try {
            lost = leases.renewDue();
        } catch (Exception e) {
            throw new IllegalStateException(describe + ": renewing the leases during a resume failed: " + e, e);
        }
        boolean currentLost = false;
        for (String key : lost) {
            if (reading.test(key)) {
                currentLost = true;
            } else {
                try {
                    source.stopLoading(key);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }
        if (currentLost) {
            throw new LostWhileReading();
        }
    }

    /** Thrown through a reader by {@link #keepAlive()}: another worker took the object being read. */
    static final class LostWhileReading extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LostWhileReading() {
            super("lost the object being read", null, false, false);
        }
    }

    /** Stops the background renewals. */
    @Override
    public void close() {
        leases.close();
    }
}
