package dev.clickpipes.source.objectstore;

import java.time.Duration;

/**
 * How the workers of one object-store pipe divide the objects between them, and what each
 * guarantees. Set with {@link ObjectStoreSource.Builder#coordination}; immutable.
 *
 * <ul>
 *   <li>{@link #singleWorker()} (the default): one worker loads every object. Progress is a log
 *       in a MergeTree table (any ClickHouse server) or in memory; nothing is claimed, so a second
 *       worker started by mistake loads everything again.</li>
 *   <li>{@link #staticShare(int, int)}: worker {@code i} of {@code n} loads the objects whose key
 *       hashes to {@code i} ({@code floorMod(key.hashCode(), n)}), with the progress log of
 *       single-worker mode. No coordination at run time; right for hosts that restart workers
 *       under a fixed index (a Kubernetes StatefulSet). Changing {@code n} while objects are half
 *       loaded moves them to a worker that does not know their progress: stop all, change, start.</li>
 *   <li>{@link #leases(Duration)}: any number of workers share the objects through a KeeperMap
 *       table in the destination (ClickHouse Cloud; a server with Keeper or ZooKeeper). Each object
 *       is taken with a compare-and-set and held under a lease on the server's clock, renewed while
 *       the worker loads it (from the poll loop and each commit, and on a scheduler the host lends with
 *       {@link ObjectStoreSource.Builder#leaseRenewal}, so that a long insert does not count as
 *       silence). At most one worker loads an object at a time; a dead worker's objects
 *       are taken over when its lease ends; a worker that lost an object (stalled past its lease)
 *       finds out at its next write and stops loading it: its progress is refused, and what it
 *       inserted after the loss is a duplicate (at-least-once) or fenced by the exactly-once
 *       ledger. One-time loads finish only when every listed object is done, by any worker.</li>
 * </ul>
 */
public final class Coordination {

    /** The default lease of {@link #leases()}: 2 minutes. */
    public static final Duration DEFAULT_LEASE = Duration.ofMinutes(2);

    enum Kind { SINGLE, STATIC, LEASES }

    private static final Coordination SINGLE = new Coordination(Kind.SINGLE, 0, 1, null);

    private final Kind kind;
    private final int index;
    private final int count;
    private final Duration lease;

    private Coordination(Kind kind, int index, int count, Duration lease) {
        this.kind = kind;
        this.index = index;
        this.count = count;
        this.lease = lease;
    }

    /** One worker loads everything; no coordination. The default. */
    public static Coordination singleWorker() {
        return SINGLE;
    }

    /**
     * This worker is {@code index} (from 0) of {@code count}: it loads the objects whose key's
     * {@code String.hashCode()} is {@code index} modulo {@code count}.
     */
    public static Coordination staticShare(int index, int count) {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("Coordination.staticShare needs 0 <= index < count, was index " + index
                    + " of " + count);
        }
        return new Coordination(Kind.STATIC, index, count, null);
    }

    /** Workers share objects under leases of 2 minutes ({@link #DEFAULT_LEASE}) in a KeeperMap state table. */
    public static Coordination leases() {
        return leases(DEFAULT_LEASE);
    }

    /**
     * Workers share objects under leases in a KeeperMap state table: a silent worker keeps its
     * objects for {@code lease}, then others take them over. Renewed every third of it while loading;
     * without {@link ObjectStoreSource.Builder#leaseRenewal}, make it longer than the longest insert
     * with its retries.
     */
    public static Coordination leases(Duration lease) {
        if (lease == null || lease.toMillis() < 1) {
            throw new IllegalArgumentException("Coordination.leases needs a positive lease, was " + lease);
        }
        return new Coordination(Kind.LEASES, 0, 1, lease);
    }

    Kind kind() {
        return kind;
    }

    Duration lease() {
        return lease;
    }

    /** Whether this worker's share includes the object. */
    boolean owns(String key) {
        return kind != Kind.STATIC || Math.floorMod(key.hashCode(), count) == index;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case SINGLE -> "single worker";
            case STATIC -> "static share " + index + " of " + count;
            case LEASES -> "leases of " + lease;
        };
    }
}
