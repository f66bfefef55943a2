package dev.clickpipes.source.kafka;

import dev.clickpipes.core.spi.SourcePosition;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits the offsets of records that are in ClickHouse, synchronously, on the pipe's thread.
 *
 * <p>Only partitions this consumer still owns are committed: a partition that moved to another
 * worker is read again from its last commit there, so committing an older offset for it here could
 * only move that worker back. A commit the broker cannot take right now (coordinator moving, a
 * rebalance in progress, the broker restarting) is kept and retried with the next one: Kafka
 * offsets are cumulative, so the newer commit covers it. When no next one comes (the topic went
 * quiet after the batch whose commit failed), {@link #retryDue} retries it from the poll loop, at
 * most once per {@link #RETRY_INTERVAL}, so the group's lag does not stay wrong until new records
 * arrive. Not thread-safe: the pipe's thread only.
 */
final class OffsetCommitter {

    private static final Logger LOG = LoggerFactory.getLogger(OffsetCommitter.class);
    /** How long a commit the broker could not take waits before the poll loop tries it again. */
    static final Duration RETRY_INTERVAL = Duration.ofSeconds(1);

    private final Consumer<?, ?> consumer;
    private final String source;
    /** Offsets acknowledged by ClickHouse but not yet committed: the next offset to read, per partition. */
    private final Map<TopicPartition, OffsetAndMetadata> pending = new HashMap<>();
    /** {@link System#nanoTime} after which {@link #retryDue} tries a failed commit again. */
    private long retryAfterNanos = System.nanoTime();

    OffsetCommitter(Consumer<?, ?> consumer, String source) {
        this.consumer = consumer;
        this.source = source;
    }

    /** Adds the last acknowledged position of each partition; commits with {@link #commitPending}. */
    void add(Collection<SourcePosition> positions) {
        for (SourcePosition p : positions) {
            KafkaPosition k = (KafkaPosition) p;
            OffsetAndMetadata next = new OffsetAndMetadata(k.offset() + 1);
            pending.merge(k.topicPartition(), next, (a, b) -> a.offset() >= b.offset() ? a : b);
        }
    }

    /** True when some acknowledged offset is not committed yet. */
    boolean hasPending() {
        return !pending.isEmpty();
    }

    /**
     * Commits what is pending if the last commit failed at least {@link #RETRY_INTERVAL} ago; for the
     * poll loop, which otherwise commits only after the next insert.
     */
    void retryDue(Duration timeout) {
        if (!pending.isEmpty() && System.nanoTime() - retryAfterNanos >= 0) {
            commitPending(timeout);
        }
    }

    /** Forgets the offsets of partitions this consumer lost without a chance to commit them. */
    void forget(Collection<TopicPartition> partitions) {
        pending.keySet().removeAll(partitions);
    }

    /**
     * Commits every pending offset of a partition still assigned, waiting up to {@code timeout}.
     * Returns true when nothing is left pending.
     */
    boolean commitPending(Duration timeout) {
        if (pending.isEmpty()) {
            return true;
        }
        Set<TopicPartition> assigned = consumer.assignment();
        Map<TopicPartition, OffsetAndMetadata> owned = new HashMap<>();
        for (Iterator<Map.Entry<TopicPartition, OffsetAndMetadata>> it = pending.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<TopicPartition, OffsetAndMetadata> e = it.next();
            if (assigned.contains(e.getKey())) {
                owned.put(e.getKey(), e.getValue());
            } else {
                LOG.info("{}: {} is no longer assigned to this worker; not committing offset {} (its new owner "
                        + "resumes from the group's last commit, so some records may be read twice)",
                        source, e.getKey(), e.getValue().offset());
                it.remove();
            }
        }
        if (owned.isEmpty()) {
            return true;
        }
        try {
            consumer.commitSync(owned, timeout);
            owned.forEach((tp, offset) -> pending.remove(tp, offset));
            LOG.debug("{}: committed {}", source, owned);
            return pending.isEmpty();
        } catch (RebalanceInProgressException | RetriableException e) {
            retryAfterNanos = System.nanoTime() + RETRY_INTERVAL.toNanos();
            LOG.warn("{}: cannot commit offsets now ({}); retrying in {} s or with the next commit", source,
                    e.toString(), RETRY_INTERVAL.toSeconds());
            return false;
        } catch (CommitFailedException e) {
            // The group moved on without this worker: its partitions are someone else's now.
            LOG.warn("{}: the group rebalanced before offsets {} could be committed; the partitions' new owners "
                    + "read those records again (at-least-once): {}", source, owned, e.getMessage());
            owned.keySet().forEach(pending::remove);
            return pending.isEmpty();
        }
    }
}
