package dev.clickpipes.source.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * A commit the broker could not take is retried from the poll loop even when no new batch comes.
 * The consumer is kafka-clients' own {@link MockConsumer} with its first commits refused the way a
 * slow coordinator refuses them (a {@link TimeoutException}, which is retriable): a real broker
 * cannot be made to refuse exactly one commit on cue. Before the retry, a refused last commit on a
 * topic gone quiet stayed uncommitted until new records came.
 */
class OffsetCommitterTest {

    private static final TopicPartition TP = new TopicPartition("orders", 0);
    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    /** A consumer whose first {@code refusals} commits time out. */
    private static final class RefusingConsumer extends MockConsumer<byte[], byte[]> {
        private int refusals;

        RefusingConsumer(int refusals) {
            super("earliest");
            this.refusals = refusals;
            assign(List.of(TP));
        }

        @Override
        public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
            if (refusals > 0) {
                refusals--;
                throw new TimeoutException("the coordinator did not answer in " + timeout);
            }
            super.commitSync(offsets, timeout);
        }

        long committedOffset() {
            OffsetAndMetadata o = committed(Set.of(TP)).get(TP);
            return o == null ? -1 : o.offset();
        }
    }

    @Test
    void aRefusedCommitIsRetriedByThePollLoopAfterTheIntervalWithoutANewBatch() throws Exception {
        RefusingConsumer consumer = new RefusingConsumer(1);
        OffsetCommitter committer = new OffsetCommitter(consumer, "test");
        committer.add(List.of(new KafkaPosition(TP, TP.toString(), 41)));

        assertThat(committer.commitPending(TIMEOUT)).as("the refused commit").isFalse();
        committer.retryDue(TIMEOUT);
        assertThat(consumer.committedOffset()).as("right after the refusal, nothing is retried yet").isEqualTo(-1);
        assertThat(committer.hasPending()).isTrue();

        Thread.sleep(OffsetCommitter.RETRY_INTERVAL.toMillis() + 50);
        committer.retryDue(TIMEOUT);
        assertThat(consumer.committedOffset()).as("the next offset to read, committed by the retry").isEqualTo(42);
        assertThat(committer.hasPending()).isFalse();
    }

    @Test
    void aCommitRefusedAgainWaitsAnotherIntervalAndANewerBatchCoversTheOlderOffset() throws Exception {
        RefusingConsumer consumer = new RefusingConsumer(2);
        OffsetCommitter committer = new OffsetCommitter(consumer, "test");
        committer.add(List.of(new KafkaPosition(TP, TP.toString(), 9)));
        assertThat(committer.commitPending(TIMEOUT)).isFalse();

        Thread.sleep(OffsetCommitter.RETRY_INTERVAL.toMillis() + 50);
        committer.retryDue(TIMEOUT); // refused a second time
        assertThat(committer.hasPending()).isTrue();
        committer.retryDue(TIMEOUT); // too soon after that refusal: not tried
        assertThat(consumer.committedOffset()).isEqualTo(-1);

        committer.add(List.of(new KafkaPosition(TP, TP.toString(), 19)));
        assertThat(committer.commitPending(TIMEOUT)).as("a newer batch's commit is not held back").isTrue();
        assertThat(consumer.committedOffset()).isEqualTo(20);
    }
}
