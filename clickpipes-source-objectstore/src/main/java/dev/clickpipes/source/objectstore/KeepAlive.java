package dev.clickpipes.source.objectstore;

/**
 * Calls a callback at most ten times a second while a reader drops rows it must read past (resuming
 * a compressed object at row N reads and drops N rows), so that the caller can keep its lease on
 * the object alive during a long skip (the callback renews only when a third of the lease has
 * passed, so short leases are renewed in time too).
 */
final class KeepAlive {

    static final long INTERVAL_NANOS = 100_000_000L;
    private static final Runnable NONE = () -> { };

    private final Runnable callback;
    private long last = System.nanoTime();

    KeepAlive(Runnable callback) {
        this.callback = callback == null ? NONE : callback;
    }

    /** Runs the callback when 100 ms have passed since it last ran (or since this was made). */
    void tick() {
        long now = System.nanoTime();
        if (now - last >= INTERVAL_NANOS) {
            last = now;
            callback.run();
        }
    }
}
