package dev.clickpipes.source.kinesis;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.kinesis.exceptions.KinesisClientLibException;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.LeaseLostInput;
import software.amazon.kinesis.lifecycle.events.ProcessRecordsInput;
import software.amazon.kinesis.lifecycle.events.ShardEndedInput;
import software.amazon.kinesis.lifecycle.events.ShutdownRequestedInput;
import software.amazon.kinesis.processor.ShardRecordProcessor;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

/**
 * KCL's processor of one shard, on KCL's threads: turns its records into {@link KinesisRecord}s and
 * puts them in the {@link Handoff} (waiting while it is full). It never checkpoints records itself;
 * the pipe does that after ClickHouse has them. At a shard's end it waits until the pipe has
 * committed all of the shard's records and only then checkpoints SHARD_END, so that KCL starts the
 * child shards after their parent is completely in ClickHouse.
 *
 * <p>A chunk that could not be handed over (the KCL thread was interrupted while the queue was
 * full, say) must never be checkpointed past, and KCL does not deliver it again by itself: it moves
 * on to the shard's next records. So the processor gives the shard up: its lease is marked lost
 * (nothing of it is queued or checkpointed any more) and KCL is asked to drop the lease, so that
 * it, or another worker, takes the shard again from its last checkpoint and reads the dropped
 * records again.
 */
final class ShardProcessor implements ShardRecordProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(ShardProcessor.class);
    private static final Duration BARRIER_RECHECK = Duration.ofMillis(500);

    private final Handoff handoff;
    private final String stream;
    private final BooleanSupplier stopping;
    private final Duration handoffWait;
    private final Consumer<String> releaseLease;
    private ShardLease lease;

    /**
     * @param releaseLease asks KCL to drop this worker's lease of the shard with that id, so the
     *                     shard is taken again from its last checkpoint
     */
    ShardProcessor(Handoff handoff, String stream, BooleanSupplier stopping, Duration handoffWait,
            Consumer<String> releaseLease) {
        this.handoff = handoff;
        this.stream = stream;
        this.stopping = stopping;
        this.handoffWait = handoffWait;
        this.releaseLease = releaseLease;
    }

    @Override
    public void initialize(InitializationInput input) {
        lease = new ShardLease(input.shardId());
        LOG.info("stream {}: took shard {} at {}", stream, input.shardId(), input.extendedSequenceNumber());
    }

    @Override
    public void processRecords(ProcessRecordsInput input) {
        lease.checkpointer(input.checkpointer());
        if (input.millisBehindLatest() != null) {
            handoff.behind(lease.shardId(), input.millisBehindLatest());
        }
        List<KinesisClientRecord> in = input.records();
        if (in.isEmpty()) {
            return;
        }
        List<KinesisRecord> out = new ArrayList<>(in.size());
        long bytes = 0;
        for (KinesisClientRecord r : in) {
            byte[] data = bytes(r.data());
            bytes += data.length;
            out.add(new KinesisRecord(data, 0, data.length,
                    new KinesisPosition(lease, r.sequenceNumber(), r.subSequenceNumber()),
                    r.partitionKey(), r.approximateArrivalTimestamp(), stream));
        }
        boolean handedOver;
        try {
            handedOver = handoff.put(new Handoff.Chunk(lease, out, bytes));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            handedOver = false;
        }
        if (!handedOver) {
            giveUp(out);
        }
    }

    /** The chunk did not reach the pipe: nothing after it may be checkpointed, and KCL must read it again. */
    private void giveUp(List<KinesisRecord> dropped) {
        boolean wasLost = lease.lost();
        lease.markLost();
        if (wasLost || stopping.getAsBoolean()) {
            LOG.debug("stream {}: dropped {} records of {} (stopping or lease lost)", stream, dropped.size(), lease);
            return;
        }
        LOG.warn("stream {}: {} records of shard {} from {} could not be handed to the pipe; giving the shard up"
                        + " so that it is read again from its last checkpoint", stream, dropped.size(), lease.shardId(),
                dropped.get(0).position());
        try {
            releaseLease.accept(lease.shardId());
        } catch (RuntimeException e) {
            // The lease then expires when its renewals fail or the worker stops; it is not checkpointed meanwhile.
            LOG.warn("stream {}: dropping the lease of {} failed ({})", stream, lease.shardId(), e.toString());
        }
    }

    private static byte[] bytes(ByteBuffer data) {
        ByteBuffer b = data.duplicate();
        byte[] copy = new byte[b.remaining()];
        b.get(copy);
        return copy;
    }

    @Override
    public void leaseLost(LeaseLostInput input) {
        if (lease != null) {
            lease.markLost();
            handoff.behind(lease.shardId(), null);
            LOG.info("stream {}: lost the lease of {}; its records not yet in ClickHouse are dropped", stream, lease.shardId());
        }
    }

    @Override
    public void shardEnded(ShardEndedInput input) {
        if (!flushThrough("shard end", null)) {
            return; // not checkpointing SHARD_END: KCL retries the shard's end later, here or on another worker
        }
        try {
            input.checkpointer().checkpoint();
            LOG.info("stream {}: shard {} ended and is completely in ClickHouse", stream, lease.shardId());
        } catch (KinesisClientLibException | RuntimeException e) {
            LOG.warn("stream {}: checkpointing the end of shard {} failed ({}); KCL retries", stream, lease.shardId(), e.toString());
        } finally {
            lease.markLost();
            handoff.behind(lease.shardId(), null);
        }
    }

    @Override
    public void shutdownRequested(ShutdownRequestedInput input) {
        // KCL hands the lease to another worker (or the worker stops): let the pipe insert and checkpoint
        // what it has of this shard first, so the next owner starts right after it.
        flushThrough("lease handoff", handoffWait);
    }

    /**
     * Puts a barrier behind this shard's queued records and waits until the pipe has inserted and
     * committed them all (up to {@code limit}, or without limit when null). False when the source
     * is stopping, the pipe failed, or the time ran out.
     */
    private boolean flushThrough(String reason, Duration limit) {
        if (lease == null || stopping.getAsBoolean()) {
            return false;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!handoff.put(new Handoff.Barrier(lease, reason, done))) {
            return false;
        }
        long deadline = limit == null ? Long.MAX_VALUE : System.nanoTime() + limit.toNanos();
        try {
            while (true) {
                try {
                    done.get(BARRIER_RECHECK.toMillis(), TimeUnit.MILLISECONDS);
                    return true;
                } catch (TimeoutException e) {
                    if (stopping.getAsBoolean() || System.nanoTime() > deadline) {
                        LOG.info("stream {}: {} of {}: the pipe did not flush in time", stream, reason, lease.shardId());
                        return false;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | CancellationException e) {
            LOG.info("stream {}: {} of {}: the pipe did not flush ({})", stream, reason, lease.shardId(), e.toString());
            return false;
        }
    }
}
