package dev.clickpipes.source.objectstore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The objects of {@link ObjectStoreSource} with records handed out to the pipe and not yet committed,
 * and the empty objects waiting to be recorded done: what the source must not let go of, nor record
 * done, before the pipe commits.
 *
 * <p>Not thread-safe: only the pipe's thread calls it, as it calls the source. The last run of records
 * handed out is held back ({@link #hand}) until {@link #flushHanded()}, and is in neither map until
 * then: callers flush before they ask what is in flight.
 */
final class InFlightObjects {

    /** Objects with records handed out but not committed: key -> the last row handed out. */
    private final Map<String, Long> outstanding = new HashMap<>();
    /** The objects of {@link #outstanding} and {@link #emptyDone}, as listed. */
    private final Map<String, ObjectInfo> inFlight = new HashMap<>();
    /**
     * The object of the records handed out last and the last one's row, not yet in {@link #outstanding} and
     * {@link #inFlight} ({@link #flushHanded}): two map updates per record were a tenth of a Parquet load's
     * pipe thread, and only the last record of a run of one object counts.
     */
    private ObjectInfo handedObject;
    private String handedKey;
    private long handedRow;
    /** Empty objects, recorded done once everything handed out before them is committed. */
    private final List<ObjectPosition> emptyDone = new ArrayList<>();

    /** A record of {@code object} (the one being read) at {@code row} was handed out. */
    void hand(ObjectInfo object, String key, long row) {
        if (handedObject != null && (handedObject != object || !handedKey.equals(key))) {
            flushHanded();
        }
        handedObject = object;
        handedKey = key;
        handedRow = row;
    }

    /** Records the records handed out since the last call in {@link #outstanding} and {@link #inFlight}. */
    void flushHanded() {
        if (handedObject != null) {
            outstanding.put(handedKey, handedRow);
            inFlight.put(handedObject.key(), handedObject);
            handedObject = null;
        }
    }

    /** Whether records of the object are in flight, or it waits to be recorded done as empty. */
    boolean holds(String key) {
        return inFlight.containsKey(key);
    }

    /**
     * The object being read ended with no row handed out of it: {@code done} is recorded once everything
     * handed out before it is committed ({@link #takeEmptyDone}).
     */
    void empty(ObjectPosition done, ObjectInfo object) {
        emptyDone.add(done);
        inFlight.put(object.key(), object);
    }

    /** Forgets the object as in flight; the object, or null when it was not. */
    ObjectInfo remove(String key) {
        return inFlight.remove(key);
    }

    /**
     * Forgets what of the object is outstanding or waits as empty (another worker holds it now);
     * apart from {@link #remove}, as the source forgets these after it closed the object's reader.
     */
    void forget(String key) {
        outstanding.remove(key);
        emptyDone.removeIf(p -> p.key().equals(key));
    }

    /** The pipe committed {@code op}: the object is no longer in flight once its last row handed out is. */
    void committed(ObjectPosition op) {
        Long lastHanded = outstanding.get(op.key());
        if (lastHanded != null && lastHanded == op.row()) {
            outstanding.remove(op.key());
            inFlight.remove(op.key());
        }
    }

    /** The empty objects to record done now, taken out of the wait: none while anything handed out is uncommitted. */
    List<ObjectPosition> takeEmptyDone() {
        if (!emptyDone.isEmpty() && outstanding.isEmpty()) {
            List<ObjectPosition> done = new ArrayList<>(emptyDone);
            emptyDone.clear();
            return done;
        }
        return List.of();
    }

    /** Whether no empty object waits to be recorded done. */
    boolean noEmptyWaiting() {
        return emptyDone.isEmpty();
    }

    /** The keys of the objects in flight in {@code partition} (as {@link ObjectPosition#partitionOf} names it). */
    List<String> keysIn(String partition) {
        List<String> keys = new ArrayList<>();
        inFlight.values().stream().filter(o -> ObjectPosition.partitionOf(o.key(), o.version()).equals(partition))
                .forEach(o -> keys.add(o.key()));
        return keys;
    }
}
