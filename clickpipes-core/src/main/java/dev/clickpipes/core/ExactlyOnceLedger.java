package dev.clickpipes.core;

import dev.clickpipes.core.spi.DeliveryState;
import dev.clickpipes.core.spi.Offsets;
import dev.clickpipes.core.spi.PartitionState;
import dev.clickpipes.core.spi.PartitionLostException;
import dev.clickpipes.core.spi.SinkException;
import dev.clickpipes.core.spi.SourceRecord;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly-once bookkeeping of one pipe, per partition, on its {@link DeliveryState}: before a
 * batch is inserted its range is written as pending; after ClickHouse acknowledged it, the mark
 * moves to its last record. A restarted pipe drops records at or below the mark and rebuilds the
 * pending range exactly (same records, same deduplication token), so an insert whose first
 * attempt landed is dropped by the server and one that did not lands now. Touched only by the
 * pipe's thread.
 */
final class ExactlyOnceLedger {

    private static final Logger LOG = LoggerFactory.getLogger(ExactlyOnceLedger.class);

    private final String pipeName;
    private final DeliveryState store;
    private final RetryPolicy retry;
    private final BooleanSupplier aborted;
    private final Map<String, PartitionState> states = new HashMap<>();
    /** Partitions whose records seen since the state was read are all past its mark. */
    private final Set<String> pastMark = new HashSet<>();

    ExactlyOnceLedger(String pipeName, DeliveryState store, RetryPolicy retry, BooleanSupplier aborted) {
        this.pipeName = pipeName;
        this.store = store;
        this.retry = retry;
        this.aborted = aborted;
    }

    /** True when the record is already in ClickHouse: the pipe drops it. */
    boolean alreadyIn(SourceRecord record) throws InterruptedException {
        String partition = record.partition();
        if (pastMark.contains(partition)) {
            return false; // a partition's records come in order: once past the mark, always past it
        }
        PartitionState s = state(partition);
        if (s.mark() != null && s.covers(record.position().offsetText())) {
            return true;
        }
        pastMark.add(partition);
        return false;
    }

    /** True when the record lies past the partition's pending range: the rebuilt range ends before it. */
    boolean pastPending(SourceRecord record) throws InterruptedException {
        PartitionState s = states.get(record.partition()); // read by alreadyIn, just before
        return s.hasPending() && Offsets.compare(record.position().offsetText(), s.pendingLast()) > 0;
    }

    /** True when the record is the last of the partition's pending range: the rebuilt batch is complete. */
    boolean endsPending(SourceRecord record) throws InterruptedException {
        PartitionState s = state(record.partition());
        return s.hasPending() && Offsets.compare(record.position().offsetText(), s.pendingLast()) >= 0;
    }

    /** True while the partition's open batch rebuilds a pending range: it is cut only at its end. */
    boolean rebuilding(String partition) {
        PartitionState s = states.get(partition);
        return s != null && s.hasPending();
    }

    /** Records the batch (one partition's records) as pending, unless it is the pending range being rebuilt. */
    void begin(Batch batch) throws InterruptedException {
        List<SourceRecord> records = batch.records;
        String partition = records.get(0).partition();
        String first = records.get(0).position().offsetText();
        String last = records.get(records.size() - 1).position().offsetText();
        PartitionState s = state(partition);
        if (s.hasPending()) {
            LOG.info("pipe {}: inserting the interrupted batch {}..{} of {} again", pipeName, first, last, partition);
            return; // the same records as before: the same token
        }
        write(partition, s.begin(first, last));
    }

    /** Moves the partition's mark to the batch's last record: everything up to it is in. */
    void complete(Batch batch) throws InterruptedException {
        List<SourceRecord> records = batch.records;
        String partition = records.get(0).partition();
        String last = records.get(records.size() - 1).position().offsetText();
        write(partition, state(partition).complete(last));
    }

    /**
     * Forgets what it read: after the source's partitions were revoked, another worker may have
     * moved them on; they are read again when their next record comes.
     */
    void forget() {
        states.clear();
        pastMark.clear();
    }

    private PartitionState state(String partition) throws InterruptedException {
        PartitionState s = states.get(partition);
        if (s == null) {
            s = withRetry(() -> store.read(partition), "reading the state of " + partition);
            states.put(partition, s);
            if (s != PartitionState.INITIAL) {
                LOG.info("pipe {}: {} of {} ({})", pipeName, s, partition, store.describe());
            }
        }
        return s;
    }

    private void write(String partition, PartitionState next) throws InterruptedException {
        withRetry(() -> {
            store.write(partition, next);
            return null;
        }, "writing the state of " + partition);
        states.put(partition, next);
    }

    private <T> T withRetry(StoreCall<T> call, String what) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.run();
            } catch (PartitionLostException e) {
                states.remove(e.partition()); // another worker's now: read again if it ever comes back
                pastMark.remove(e.partition());
                throw new Lost(e);
            } catch (SinkException e) {
                if (e.kind() == SinkException.Kind.FATAL || !retry.allowsAnotherAfter(attempt) || aborted.getAsBoolean()) {
                    throw new PipeException("pipe " + pipeName + ": " + what + " in " + store.describe() + " failed: "
                            + e.getMessage() + " (nothing of this partition past its mark was committed)", e);
                }
                long backoff = retry.backoff(attempt).toMillis();
                LOG.warn("pipe {}: {} failed (attempt {}), retrying in {} ms: {}", pipeName, what, attempt, backoff,
                        e.getMessage());
                Thread.sleep(backoff);
            }
        }
    }

    /**
     * Thrown by {@link #begin} and {@link #complete}: another worker moved the partition on; the
     * pipe drops the batch and asks the source to let the partition go.
     */
    static final class Lost extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient PartitionLostException reason;

        Lost(PartitionLostException reason) {
            super(reason.getMessage(), reason, false, false);
            this.reason = reason;
        }
    }

    /** A call to the store that may fail. */
    @FunctionalInterface
    private interface StoreCall<T> {
        T run() throws SinkException;
    }
}
