package dev.clickpipes.source.objectstore;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which object this worker reads next: lists the store, looks the listed objects up in
 * the {@link ObjectStates} a batch at a time, and takes the first one not done and not held by
 * another live worker. One object is taken at a time, when the source is ready to read it, so no
 * taken object waits unrenewed in a queue.
 *
 * <ul>
 *   <li>One-time: lists once; objects held by other live workers are looked up again until they
 *       are done or their lease ends (then taken); {@link #exhausted()} only when none is left.</li>
 *   <li>Continuous, any order: lists the whole prefix at every interval; objects known done are
 *       remembered, so a poll that finds nothing new looks nothing up.</li>
 *   <li>Continuous, lexical: lists after the watermark, the key up to which every object is done;
 *       it moves on past the run of done objects at the start of each listing (never past an
 *       object taken and not finished, so none is skipped). A key that first appears below one
 *       already done (by any worker, as far as this one has seen in the states) is late, as in
 *       ClickPipes: it is recorded as skipped and never loaded. (Workers take objects in listing
 *       order, so a key below a done one that nobody took was written after that one was listed.)</li>
 * </ul>
 */
final class ObjectScheduler {

    private static final Logger LOG = LoggerFactory.getLogger(ObjectScheduler.class);

    /** An object to read, and the progress to resume it from. */
    record Assignment(ObjectInfo object, ObjectStates.Progress from) {
    }

    private record Candidate(ObjectInfo object, boolean absent, boolean fresh) {
    }

    private final ObjectStore store;
    private final Glob glob;
    private final ObjectStates states;
    private final Coordination coordination;
    private final Duration interval;
    private final boolean lexical;
    private final boolean reloadRewritten;
    private final int lookupBatch;
    private final Predicate<String> busy;
    private final long recheckNanos;

    private Iterator<ObjectInfo> listing;
    private boolean listedOnce;
    private long nextListingAt;
    private final Deque<Candidate> candidates = new ArrayDeque<>();
    /** One-time mode: objects another live worker holds, looked up again every recheck. */
    private final Map<String, ObjectInfo> waiting = new LinkedHashMap<>();
    private long nextRecheckAt;
    /** Objects known done (continuous, any order): a poll that finds nothing new looks nothing up. */
    private final Set<String> knownDone = new HashSet<>();
    private String watermark;
    /** Lexical: the highest key seen done in the states; an unrecorded key below it is late. */
    private String highestDone;
    private boolean prefixDone;
    private String prefixEnd;
    private final List<String> passed = new ArrayList<>();
    private long lookups;

    /**
     * @param interval null for a one-time load
     * @param busy     objects this worker is reading or has records of in flight: never taken again
     */
    ObjectScheduler(ObjectStore store, Glob glob, ObjectStates states, Coordination coordination, Duration interval,
            boolean lexical, boolean reloadRewritten, int lookupBatch, Predicate<String> busy) {
        this.store = store;
        this.glob = glob;
        this.states = states;
        this.coordination = coordination;
        this.interval = interval;
        this.lexical = interval != null && lexical;
        this.reloadRewritten = reloadRewritten;
        this.lookupBatch = lookupBatch;
        this.busy = busy;
        Duration lease = coordination.lease() == null ? Duration.ofSeconds(4) : coordination.lease();
        this.recheckNanos = Math.min(Duration.ofSeconds(1).toNanos(), lease.toNanos() / 4);
    }

    /** Lists for the first time, so that a wrong URL or key fails at start with the store's reason. */
    void start() throws Exception {
        startListing();
    }

    /** The next object to read, taken for this worker; null when there is none for now. */
    Assignment next() throws Exception {
        while (true) {
            Candidate c = candidates.poll();
            if (c != null) {
                Assignment a = take(c);
                if (a != null) {
                    return a;
                }
                continue;
            }
            if (listing != null && listing.hasNext()) {
                lookUpSome();
                continue;
            }
            if (listing != null) {
                listing = null;
                endOfListing();
            }
            if (interval == null) {
                if (!listedOnce) {
                    startListing();
                    continue;
                }
                if (!waiting.isEmpty() && System.nanoTime() >= nextRecheckAt) {
                    recheckWaiting();
                    if (!candidates.isEmpty()) {
                        continue;
                    }
                }
                return null;
            }
            if (System.nanoTime() < nextListingAt) {
                return null;
            }
            startListing();
        }
    }

    /**
     * This worker stopped loading the object before its end (another worker took it over, or it
     * changed while read): a one-time load waits until it is done, by whichever worker.
     */
    void stopped(ObjectInfo object) {
        if (interval == null) {
            waiting.put(object.key(), object);
        }
    }

    /**
     * The object changed while this worker read it ({@link ObjectChangedException}): what was read
     * of it belongs to the version listed before, so the key is listed again and its new version
     * loaded from row 0, once the old one's records in flight are committed. Continuous loads find
     * the new version at their next listing; a deleted object is dropped.
     */
    void changed(ObjectInfo object) throws Exception {
        if (interval != null) {
            return;
        }
        Iterator<ObjectInfo> again = store.list(object.key(), null);
        ObjectInfo now = again.hasNext() ? again.next() : null;
        if (now == null || !now.key().equals(object.key())) {
            LOG.warn("{} was deleted while it was read: the rows read before are loaded, there is nothing more to load",
                    store.url(object.key()));
            return;
        }
        stopped(now);
    }

    /** One-time mode: listed, and every listed object taken by this worker or done by another. */
    boolean exhausted() {
        return interval == null && listedOnce && listing == null && candidates.isEmpty() && waiting.isEmpty();
    }

    /** How many objects this scheduler looked up in the states so far (for the poll benchmark). */
    long lookups() {
        return lookups;
    }

    /** Makes the next listing due now (continuous mode; the poll benchmark polls back to back). */
    void listNow() {
        nextListingAt = System.nanoTime();
    }

    /** Nanoseconds until the next listing is due (continuous mode), 0 when due now. */
    long nanosUntilNextListing() {
        return Math.max(0, nextListingAt - System.nanoTime());
    }

    private void startListing() throws Exception {
        String startAfter = null;
        if (lexical) {
            watermark = states.watermark();
            startAfter = watermark;
            // A watermark before the glob's prefix would list keys outside it; one after it is right.
            if (startAfter != null && !startAfter.startsWith(glob.prefix()) && startAfter.compareTo(glob.prefix()) < 0) {
                startAfter = null;
            }
            knownDone.removeIf(k -> watermark != null && k.compareTo(watermark) <= 0);
        }
        listing = store.list(glob.prefix(), startAfter);
        listedOnce = true;
        prefixDone = true;
        prefixEnd = null;
        passed.clear();
        if (interval != null) {
            nextListingAt = System.nanoTime() + interval.toNanos();
        }
    }

    /** Looks up to a batch of listed objects up in the states and queues those to take, in listing order. */
    private void lookUpSome() throws Exception {
        List<ObjectInfo> batch = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        while (keys.size() < lookupBatch && listing.hasNext()) {
            ObjectInfo o = listing.next();
            if (!glob.matches(o.key()) || !coordination.owns(o.key())) {
                continue;
            }
            batch.add(o);
            if (!knownDone.contains(o.key())) {
                keys.add(o.key());
            }
        }
        lookups += keys.size();
        Map<String, ObjectStates.Progress> known = keys.isEmpty() ? Map.of() : states.read(keys);
        if (lexical) {
            known.forEach((k, p) -> highestDone = p.done() ? max(highestDone, k) : highestDone);
        }
        for (ObjectInfo o : batch) {
            if (knownDone.contains(o.key())) {
                passDone(o.key());
                continue;
            }
            ObjectStates.Progress p = known.get(o.key());
            if (lexical && p == null && highestDone != null && o.key().compareTo(highestDone) < 0
                    && states.skipLate(o)) {
                LOG.info("{} is late (listed first after {} was done): skipped, as in lexical order", o.key(),
                        highestDone);
                knownDone.add(o.key());
                passDone(o.key());
                continue;
            }
            boolean rewritten = p != null && !p.sameVersion(o);
            if (p != null && p.done() && !(rewritten && reloadRewritten)) {
                if (interval != null) {
                    knownDone.add(o.key());
                }
                passDone(o.key());
                continue;
            }
            prefixDone = false;
            if (busy.test(o.key())) {
                continue;
            }
            if (p != null && p.heldElsewhere()) {
                if (interval == null) {
                    waiting.put(o.key(), o);
                }
                continue;
            }
            candidates.add(new Candidate(o, p == null, rewritten));
        }
    }

    /** A done object in listing order: the watermark may move past it while every one before it is done too. */
    private void passDone(String key) {
        if (lexical && prefixDone) {
            prefixEnd = key;
            passed.add(key);
        }
    }

    private void endOfListing() throws Exception {
        if (lexical && prefixEnd != null && (watermark == null || prefixEnd.compareTo(watermark) > 0)) {
            states.advanceWatermark(watermark, prefixEnd, List.copyOf(passed));
            watermark = prefixEnd;
            knownDone.removeAll(passed);
        }
        passed.clear();
    }

    private static String max(String a, String b) {
        return a == null || b.compareTo(a) > 0 ? b : a;
    }

    private Assignment take(Candidate c) throws Exception {
        ObjectInfo o = c.object();
        if (busy.test(o.key())) {
            if (interval == null) {
                waiting.put(o.key(), o); // its records in flight are of a version before: taken once they are in
            }
            return null;
        }
        ObjectStates.Progress from = states.take(o, c.fresh());
        if (from == null) {
            if (interval == null) {
                waiting.put(o.key(), o); // another worker was first; wait until it is done or gone
            }
            return null;
        }
        // Lexical: a row absent when looked up may have been a done one deleted by a worker that
        // moved the watermark past it meanwhile; the watermark moves before rows are deleted.
        if (lexical && c.absent() && states.shared()) {
            String now = states.watermark();
            if (now != null && o.key().compareTo(now) <= 0) {
                states.release(o.key());
                return null;
            }
        }
        return new Assignment(o, from);
    }

    /** One-time mode: objects held elsewhere are done (dropped), free again (queued), or still held. */
    private void recheckWaiting() throws Exception {
        nextRecheckAt = System.nanoTime() + recheckNanos;
        Map<String, ObjectStates.Progress> known = states.read(new ArrayList<>(waiting.keySet()));
        Iterator<Map.Entry<String, ObjectInfo>> it = waiting.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, ObjectInfo> e = it.next();
            ObjectStates.Progress p = known.get(e.getKey());
            if (p != null && p.done() && (p.sameVersion(e.getValue()) || !reloadRewritten)) {
                it.remove();
            } else if (p == null || !p.heldElsewhere()) {
                it.remove();
                candidates.add(new Candidate(e.getValue(), p == null, p != null && !p.sameVersion(e.getValue())));
            }
        }
    }
}
