package dev.clickpipes.source.objectstore;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a pipe keeps how far it got in each object, and which worker loads which: in memory or a
 * MergeTree log for one worker ({@link SingleWorkerStates}), a KeeperMap table for workers sharing
 * objects under leases ({@link LeasedObjectStates}). Called from the pipe's one thread.
 */
interface ObjectStates extends AutoCloseable {

    /**
     * What is recorded of an object.
     *
     * @param done          every row of {@code objectVersion} is in the table
     * @param lastRow       the last committed row, -1 for none
     * @param nextOffset    the byte offset after it, -1 when unknown
     * @param objectVersion the object's ETag or generation when the progress was recorded ("" if unknown)
     * @param heldElsewhere another live worker holds the object now
     */
    record Progress(boolean done, long lastRow, long nextOffset, String objectVersion, boolean heldElsewhere) {
        static final Progress NONE = new Progress(false, -1, -1, "", false);

        /** Whether this progress is of the object as listed now (an unknown version on either side counts as the same). */
        boolean sameVersion(ObjectInfo object) {
            return objectVersion.isEmpty() || object.version() == null || object.version().isEmpty()
                    || objectVersion.equals(object.version());
        }
    }

    /** Creates what the store needs (its table) and loads what it keeps in memory. */
    void open() throws Exception;

    /** What is recorded of these objects; keys with no record are absent. */
    Map<String, Progress> read(List<String> keys) throws Exception;

    /**
     * Takes the object for this worker: returns the progress to resume from ({@link Progress#NONE}
     * when {@code fresh}: the object was rewritten since), or null when another live worker holds it.
     */
    Progress take(ObjectInfo object, boolean fresh) throws Exception;

    /**
     * Records a late object (continuous lexical mode: listed first below a key already done) as
     * done without loading it, so no worker loads it and the watermark can pass it; false when a
     * worker took it first (it is then loaded).
     */
    boolean skipLate(ObjectInfo object) throws Exception;

    /** Records committed positions of objects this worker holds; returns the keys whose progress was refused (lost). */
    Set<String> save(Collection<ObjectPosition> positions) throws Exception;

    /**
     * Renews this worker's hold on every object it holds; returns those another worker moved on
     * (this one was silent past its lease), which it no longer holds. May be called from another
     * thread than the rest ({@link LeaseKeeper}'s background renewal).
     */
    Set<String> renewAll() throws Exception;

    /** Lets go of an object this worker holds without finishing it. */
    void release(String key) throws Exception;

    /** In lexical order, the key up to which every listed object is done; null for none yet. */
    String watermark() throws Exception;

    /** Moves the watermark from {@code from} to {@code to}, past the done objects {@code passed}. */
    void advanceWatermark(String from, String to, List<String> passed) throws Exception;

    /** True when other workers may hold objects: a one-time load then waits for theirs to be done. */
    boolean shared();

    /** What this store is, for messages. */
    String describe();

    @Override
    void close();
}
