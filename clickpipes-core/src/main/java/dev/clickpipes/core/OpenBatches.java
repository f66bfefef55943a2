package dev.clickpipes.core;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The batches a pipe is filling: one for all partitions (at-least-once), or one per partition
 * (exactly-once, where every insert must hold one partition's range so that a restart, which may
 * own other partitions, can rebuild it exactly). Touched only by the pipe's thread.
 */
final class OpenBatches {

    private final boolean perPartition;
    private final BatchWriter writer;
    private final Map<String, Batch> open = new LinkedHashMap<>();
    private Batch spare;

    OpenBatches(boolean perPartition, BatchWriter writer) {
        this.perPartition = perPartition;
        this.writer = writer;
    }

    /** The batch a record of this partition goes to, started when there is none. */
    Batch forPartition(String partition) {
        String key = perPartition ? partition : "";
        Batch batch = open.get(key);
        if (batch == null) {
            batch = spare != null && spare.rows.schema() == writer.schema() ? spare : new Batch(writer.newRowBuffer());
            spare = null;
            open.put(key, batch);
        }
        return batch;
    }

    /** The open batch of this partition, or null. */
    Batch peek(String partition) {
        return open.get(perPartition ? partition : "");
    }

    /** Removes the batch from the open ones: it is about to be inserted. */
    void take(Batch batch) {
        for (Iterator<Batch> it = open.values().iterator(); it.hasNext(); ) {
            if (it.next() == batch) {
                it.remove();
                return;
            }
        }
    }

    /** Keeps a committed, cleared batch to fill again (saves its column buffers). */
    void recycle(Batch batch) {
        spare = batch;
    }

    /** The open batches, oldest first. */
    List<Batch> all() {
        return new ArrayList<>(open.values());
    }

    /** Nanoseconds since the first record of the oldest open batch, or 0 when none is open. */
    long oldestAgeNanos() {
        long oldest = 0;
        for (Batch b : open.values()) {
            oldest = Math.max(oldest, b.ageNanos());
        }
        return oldest;
    }
}
