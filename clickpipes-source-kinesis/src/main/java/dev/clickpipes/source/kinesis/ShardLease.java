package dev.clickpipes.source.kinesis;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.kinesis.exceptions.InvalidStateException;
import software.amazon.kinesis.exceptions.KinesisClientLibDependencyException;
import software.amazon.kinesis.exceptions.ShutdownException;
import software.amazon.kinesis.exceptions.ThrottlingException;
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;

/**
 * One shard as held by this worker: from KCL's {@code initialize} until the lease is lost, the shard
 * ends or the worker stops. A shard taken again later is a new ShardLease, so a checkpoint of a
 * record read under an old lease never goes through the new one.
 *
 * <p>KCL's checkpointer methods are {@code synchronized} and write the lease row conditionally on
 * the lease's concurrency token, so the pipe thread calls them directly (see {@link #checkpoint}):
 * handing checkpoints back to the KCL thread would delay them until the shard's next records.
 */
final class ShardLease {

    private static final Logger LOG = LoggerFactory.getLogger(ShardLease.class);
    private static final int THROTTLE_RETRIES = 5;

    private final String shardId;
    private volatile RecordProcessorCheckpointer checkpointer;
    private volatile boolean lost;
    /** The last position checkpointed; touched only by the pipe thread. */
    private KinesisPosition checkpointed;

    ShardLease(String shardId) {
        this.shardId = shardId;
    }

    String shardId() {
        return shardId;
    }

    void checkpointer(RecordProcessorCheckpointer value) {
        checkpointer = value;
    }

    /** The lease is gone (lost, shard ended, worker stopping): its queued records are dropped, nothing more is checkpointed. */
    void markLost() {
        lost = true;
    }

    boolean lost() {
        return lost;
    }

    KinesisPosition checkpointed() {
        return checkpointed;
    }

    /**
     * Checkpoints the shard at {@code position} (a record that is in ClickHouse). A lease that was
     * lost meanwhile is skipped: KCL refuses, and the new owner resumes from the last checkpoint.
     * Throttling is retried; a failing DynamoDB is logged and left to the next commit.
     */
    void checkpoint(KinesisPosition position) throws InterruptedException, InvalidStateException {
        RecordProcessorCheckpointer c = checkpointer;
        if (lost || c == null) {
            LOG.debug("not checkpointing {}: the lease is no longer held", position);
            return;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                c.checkpoint(position.sequenceNumber(), position.subSequenceNumber());
                checkpointed = position;
                return;
            } catch (ShutdownException e) {
                LOG.info("not checkpointing {}: the lease moved to another worker", position);
                lost = true;
                return;
            } catch (ThrottlingException e) {
                if (attempt >= THROTTLE_RETRIES) {
                    LOG.warn("checkpointing {} throttled {} times; the next commit checkpoints further", position, attempt);
                    return;
                }
                Thread.sleep(100L << attempt);
            } catch (KinesisClientLibDependencyException e) {
                LOG.warn("checkpointing {} failed ({}); the next commit checkpoints further", position, e.getMessage());
                return;
            } catch (IllegalArgumentException e) {
                // Outside the range KCL allows (older than its last checkpoint): nothing to move forward.
                LOG.debug("not checkpointing {}: {}", position, e.getMessage());
                return;
            }
        }
    }

    @Override
    public String toString() {
        return shardId + (lost ? " (lost)" : "");
    }
}
