package dev.clickpipes.source.objectstore;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 *       remembered (with their versions), so a poll that finds nothing new looks nothing up. With
 *       {@link ObjectNotifications}, lists once at start and then takes the objects the queue
 *       announces instead ({@link ObjectNoticeBook} keeps their messages until they are loaded).</li>
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
    /** Null when listing is how new objects are found. */
    private final ObjectNoticeBook notices;

    private Iterator<ObjectInfo> listing;
    private boolean listedOnce;
    private long nextListingAt;
    private final Deque<Candidate> candidates = new ArrayDeque<>();
    /** One-time mode: objects another live worker holds, looked up again every recheck. */
    private final Map<String, ObjectInfo> waiting = new LinkedHashMap<>();
    private long nextRecheckAt;
    /** Objects known done, key to version (continuous): a poll that finds nothing new looks nothing up. */
    private final Map<String, String> knownDone = new HashMap<>();
    private String watermark;
    /** Lexical: the highest key seen done in the states; an unrecorded key below it is late. */
    private String highestDone;
    private boolean prefixDone;
    private String prefixEnd;
    private final List<String> passed = new ArrayList<>();

    /**
     * @param interval null for a one-time load
     * @param busy     objects this worker is reading or has records of in flight: never taken again
     * @param notices  where new objects are announced (continuous, any order), or null to list
     */
    ObjectScheduler(ObjectStore store, Glob glob, ObjectStates states, Coordination coordination, Duration interval,
            boolean lexical, boolean reloadRewritten, int lookupBatch, Predicate<String> busy, ObjectNoticeBook notices) {
        this.store = store;
        this.glob = glob;
        this.states = states;
        this.coordination = coordination;
        this.interval = interval;
        this.lexical = interval != null && lexical;
        this.reloadRewritten = reloadRewritten;
        this.lookupBatch = lookupBatch;
        this.busy = busy;
        this.notices = notices;
        Duration lease = coordination.lease() == null ? Duration.ofSeconds(4) : coordination.lease();
        this.recheckNanos = Math.min(Duration.ofSeconds(1).toNanos(), lease.toNanos() / 4);
    }

    /**
     * Lists for the first time, so that a wrong URL or key fails at start with the store's reason
     * (with notifications: also what was written before the queue, or while no worker ran, is found).
     */
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
            if (notices != null) {
                Iterator<ObjectInfo> announced = notices.takeAnnounced();
                if (!announced.hasNext()) {
                    return null;
                }
                listing = announced;
                continue;
            }
            if (System.nanoTime() < nextListingAt) {
                return null;
            }
            startListing();
        }
    }

    /**
     * Nothing to read for now: waits up to {@code maxWait} for news: until the next listing is due,
     * for the queue to announce an object, or (one-time) until the next look at the objects other
     * workers hold. Without the last, a one-time load waiting for another worker's objects (a dead
     * one's: for its whole lease) spun through empty polls on the pipe's thread.
     */
    void idle(Duration maxWait) throws Exception {
        if (notices != null) {
            notices.receive(maxWait);
            return;
        }
        long untilNews = interval != null ? nanosUntilNextListing()
                : waiting.isEmpty() || !candidates.isEmpty() ? 0 : Math.max(0, nextRecheckAt - System.nanoTime());
        long wait = Math.min(maxWait.toMillis(), (untilNews + 999_999) / 1_000_000); // not a millisecond early
        if (wait > 0) {
            Thread.sleep(wait);
        }
    }

    /** This worker loaded the object's version to its end: the queue's notices of it are done with. */
    void done(String key, String version) throws Exception {
        if (notices != null) {
            notices.loaded(key, version);
        }
    }

    /**
     * This worker stopped loading the object before its end (another worker took it over, or it
     * changed while read): a one-time load waits until it is done, by whichever worker.
     */
    void stopped(ObjectInfo object) {
        if (interval == null) {
            waiting.put(object.key(), object);
        } else if (notices != null) {
            notices.leave(object.key()); // its message comes back to whichever worker then holds it
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
            if (notices != null) {
                notices.loaded(object.key(), object.version()); // that version is gone; a new one is announced anew
            }
            return;
        }
        ObjectInfo now = store.current(object.key());
        if (now == null) {
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

    /**
     * Objects listed and found still to load that no read of this worker has started: those looked
     * up and queued, and (one-time mode) those another worker holds. A listing is looked up a batch
     * at a time as reading goes on, so objects further down it are not counted yet.
     */
    int pending() {
        return candidates.size() + waiting.size();
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
            knownDone.keySet().removeIf(k -> watermark != null && k.compareTo(watermark) <= 0);
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
            if (!knownDoneAsListed(o)) {
                keys.add(o.key());
            }
        }
        Map<String, ObjectStates.Progress> known = keys.isEmpty() ? Map.of() : states.read(keys);
        if (lexical) {
            known.forEach((k, p) -> highestDone = p.done() ? max(highestDone, k) : highestDone);
        }
        for (ObjectInfo o : batch) {
            if (knownDoneAsListed(o)) {
                passDone(o.key());
                announcedDone(o);
                continue;
            }
            ObjectStates.Progress p = known.get(o.key());
            if (lexical && p == null && highestDone != null && o.key().compareTo(highestDone) < 0
                    && states.skipLate(o)) {
                LOG.info("{} is late (listed first after {} was done): skipped, as in lexical order", o.key(),
                        highestDone);
                knownDone.put(o.key(), o.version());
                passDone(o.key());
                continue;
            }
            boolean rewritten = p != null && !p.sameVersion(o);
            if (rewritten && notices != null && notices.announcedAndReplaced(store, o)) {
                notices.loaded(o.key(), o.version()); // a notice of a version written over since: nothing to load
                continue;
            }
            if (p != null && p.done() && !(rewritten && reloadRewritten)) {
                if (interval != null) {
                    knownDone.put(o.key(), o.version());
                }
                passDone(o.key());
                announcedDone(o);
                continue;
            }
            prefixDone = false;
            if (busy.test(o.key())) {
                continue;
            }
            if (p != null && p.heldElsewhere()) {
                if (interval == null) {
                    waiting.put(o.key(), o);
                } else if (notices != null) {
                    notices.leave(o.key());
                }
                continue;
            }
            candidates.add(new Candidate(o, p == null, rewritten));
        }
    }

    /** Whether the object is known done in the version listed (a rewrite is looked up again). */
    private boolean knownDoneAsListed(ObjectInfo o) {
        String version = knownDone.get(o.key());
        return version != null && version.equals(o.version());
    }

    /** An announced object found done: its notices are done with. */
    private void announcedDone(ObjectInfo o) throws Exception {
        if (notices != null) {
            notices.loaded(o.key(), o.version());
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
            knownDone.keySet().removeAll(passed);
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
            } else if (notices != null) {
                notices.leave(o.key());
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
