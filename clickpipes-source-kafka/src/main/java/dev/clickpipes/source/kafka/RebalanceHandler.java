package dev.clickpipes.source.kafka;

import dev.clickpipes.core.spi.SourceContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps delivery whole across rebalances. Kafka calls it on the pipe's thread from inside
 * {@code poll()}: when partitions are revoked it has the pipe insert and commit its open batch
 * ({@link SourceContext#flush()}), so the next owner resumes exactly after what is in ClickHouse;
 * when partitions are assigned without a committed offset and the start is a timestamp, it seeks
 * there.
 */
final class RebalanceHandler implements ConsumerRebalanceListener {

    private static final Logger LOG = LoggerFactory.getLogger(RebalanceHandler.class);

    private final Consumer<?, ?> consumer;
    private final OffsetCommitter committer;
    private final SourceContext context;
    private final StartPosition start;
    private final Duration commitTimeout;
    private final String source;
    private boolean closing;
    private RuntimeException failure;

    RebalanceHandler(Consumer<?, ?> consumer, OffsetCommitter committer, SourceContext context,
                     StartPosition start, Duration commitTimeout, String source) {
        this.consumer = consumer;
        this.committer = committer;
        this.context = context;
        this.start = start;
        this.commitTimeout = commitTimeout;
        this.source = source;
    }

    /** From now on revocations only commit what is already acknowledged: the pipe is stopping. */
    void closing() {
        closing = true;
    }

    /** A failure of the pipe's flush during a rebalance, to rethrow from {@code poll}; cleared when read. */
    RuntimeException takeFailure() {
        RuntimeException f = failure;
        failure = null;
        return f;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        LOG.info("{}: partitions revoked: {}", source, partitions);
        if (!closing) {
            try {
                context.flush(); // inserts the open batch, then commits it through KafkaSource.commit
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptException(e);
            } catch (RuntimeException e) {
                failure = e; // Kafka wraps what a listener throws; poll() rethrows the pipe's own exception
                throw e;
            }
        }
        committer.commitPending(commitTimeout);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        // Another worker may own them already: committing now could move it back.
        LOG.warn("{}: partitions lost (this worker was out of the group): {}; their uncommitted records will be "
                + "read again by their new owner", source, partitions);
        committer.forget(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        LOG.info("{}: partitions assigned: {}", source, partitions);
        if (start.timestamp() != null) {
            seekToTimestamp(partitions, start.timestamp());
        }
    }

    private void seekToTimestamp(Collection<TopicPartition> partitions, Instant time) {
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions), commitTimeout);
        Map<TopicPartition, Long> query = new HashMap<>();
        for (TopicPartition tp : partitions) {
            if (committed.get(tp) == null) {
                query.put(tp, time.toEpochMilli());
            }
        }
        if (query.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, commitTimeout);
        Set<TopicPartition> toEnd = new HashSet<>();
        for (TopicPartition tp : query.keySet()) {
            OffsetAndTimestamp o = found.get(tp);
            if (o == null) {
                toEnd.add(tp); // every record is older than the start: begin at the end
            } else {
                consumer.seek(tp, o.offset());
            }
        }
        if (!toEnd.isEmpty()) {
            consumer.seekToEnd(toEnd);
        }
        LOG.info("{}: started at {} on {}", source, time, query.keySet());
    }
}
