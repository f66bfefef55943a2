package dev.clickpipes.source.kinesis;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded queue between KCL's record-processor threads and the pipe's thread. A processor that
 * finds it full waits (back-pressure on KCL's fetching, never unbounded memory); a chunk larger than
 * the whole capacity is let in when the queue is empty, so it cannot wait forever.
 *
 * <p>Besides records it carries barriers: "flush everything before me, then tell me" requests that a
 * processor puts when its shard ends or its lease is handed over, answered by the pipe's thread.
 * And, beside the queue, how far behind each shard's last fetch was (millisBehindLatest), for the
 * source's lag.
 */
final class Handoff {

    /** Records of one shard, in order, from one processRecords call. */
    record Chunk(ShardLease lease, List<KinesisRecord> records, long bytes) {
    }

    /** A flush request: completed once every record queued before it is in ClickHouse and committed. */
    record Barrier(ShardLease lease, String reason, CompletableFuture<Void> done) {
    }

    private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final int maxRecords;
    private final long maxBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private final ArrayDeque<Object> items = new ArrayDeque<>();
    /** Per shard this worker holds, the millisBehindLatest of its last fetch. */
    private final java.util.concurrent.ConcurrentHashMap<String, Long> behind = new java.util.concurrent.ConcurrentHashMap<>();
    private int queuedRecords;
    private long queuedBytes;
    private boolean closed;

    Handoff(int maxRecords, long maxBytes) {
        this.maxRecords = maxRecords;
        this.maxBytes = maxBytes;
    }

    /**
     * Queues a chunk, waiting while the queue is full. Returns false, dropping the chunk, when the
     * handoff is closed or the chunk's lease is lost while waiting.
     */
    boolean put(Chunk chunk) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (!closed && !chunk.lease().lost() && !items.isEmpty()
                    && (queuedRecords + chunk.records().size() > maxRecords || queuedBytes + chunk.bytes() > maxBytes)) {
                // Timed: a lost lease is flagged without a signal.
                notFull.awaitNanos(RECHECK_NANOS);
            }
            if (closed || chunk.lease().lost()) {
                return false;
            }
            items.addLast(chunk);
            queuedRecords += chunk.records().size();
            queuedBytes += chunk.bytes();
            notEmpty.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Queues a barrier behind the records already queued (barriers take no capacity); false when closed. */
    boolean put(Barrier barrier) {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            items.addLast(barrier);
            notEmpty.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The first item, waiting up to {@code maxWait} for one; null when none came. Leaves it queued. */
    Object peek(Duration maxWait) throws InterruptedException {
        long nanos = maxWait.toNanos();
        lock.lockInterruptibly();
        try {
            while (items.isEmpty() && !closed && nanos > 0) {
                nanos = notEmpty.awaitNanos(nanos);
            }
            return items.peekFirst();
        } finally {
            lock.unlock();
        }
    }

    /** Removes the first item (the one {@link #peek} returned) and frees its capacity. */
    void remove(Object item) {
        lock.lock();
        try {
            if (items.peekFirst() != item) {
                throw new IllegalStateException("handoff: removing an item that is not first");
            }
            items.removeFirst();
            if (item instanceof Chunk c) {
                queuedRecords -= c.records().size();
                queuedBytes -= c.bytes();
                notFull.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Records queued now (for metrics and tests). */
    int queuedRecords() {
        lock.lock();
        try {
            return queuedRecords;
        } finally {
            lock.unlock();
        }
    }

    /** Refuses everything from now on, drops what is queued, and releases every waiting thread and barrier. */
    void close() {
        lock.lock();
        try {
            closed = true;
            for (Object item : items) {
                if (item instanceof Barrier b) {
                    b.done().cancel(false);
                }
            }
            items.clear();
            queuedRecords = 0;
            queuedBytes = 0;
            notFull.signalAll();
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A processor's last fetch of {@code shardId} was this far behind the shard's newest record; null: the shard is no longer held. */
    void behind(String shardId, Long millis) {
        if (millis == null) {
            behind.remove(shardId);
        } else {
            behind.put(shardId, millis);
        }
    }

    /** millisBehindLatest of each shard held, as of its last fetch. */
    java.util.Map<String, Long> behind() {
        return java.util.Map.copyOf(behind);
    }
}
