package dev.clickpipes.source.objectstore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notices a queue of {@link ObjectNotifications} delivered to this worker, kept until their
 * objects are loaded: a notice is acknowledged (its message deleted) once its object version is
 * loaded, found done, or gone, and at once when it announces nothing for this pipe (another
 * bucket, a key the glob does not match, not a new object). A notice whose object another worker
 * holds is let go unacknowledged: its message comes back after its visibility timeout, by when the
 * object is loaded, and is acknowledged then. Called from the pipe's one thread.
 */
final class ObjectNoticeBook implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ObjectNoticeBook.class);
    private static final int ACKNOWLEDGE_BATCH = 10;

    private final ObjectNotifications queue;
    private final String bucket;
    private final Glob glob;
    private final List<ObjectNotifications.Notice> received = new ArrayList<>();
    /** Key to the notices of its versions that wait for a load. */
    private final Map<String, List<ObjectNotifications.Notice>> pending = new HashMap<>();
    private final List<ObjectNotifications.Notice> done = new ArrayList<>();

    ObjectNoticeBook(ObjectNotifications queue, String bucket, Glob glob) {
        this.queue = queue;
        this.bucket = bucket;
        this.glob = glob;
    }

    /** Takes what the queue holds, waiting up to {@code maxWait} for it. */
    void receive(Duration maxWait) throws Exception {
        acknowledgeDone();
        received.addAll(queue.receive(maxWait));
    }

    /**
     * The objects announced since the last call, as a listing would give them; the notices that
     * announce nothing for this pipe are acknowledged.
     */
    Iterator<ObjectInfo> takeAnnounced() throws Exception {
        List<ObjectInfo> objects = new ArrayList<>();
        for (ObjectNotifications.Notice n : received) {
            if (n.object() == null || !bucket.equals(n.bucket()) || !glob.matches(n.object().key())) {
                LOG.debug("{}: not for this pipe ({} {}): acknowledged", queue.describe(), n.bucket(),
                        n.object() == null ? "no object" : n.object().key());
                done.add(n);
                continue;
            }
            pending.computeIfAbsent(n.object().key(), k -> new ArrayList<>()).add(n);
            objects.add(n.object());
        }
        received.clear();
        acknowledgeDone();
        return objects.iterator();
    }

    /** The object's version is loaded, done or gone: its notices are acknowledged. */
    void loaded(String key, String version) throws Exception {
        List<ObjectNotifications.Notice> notices = pending.get(key);
        if (notices == null) {
            return;
        }
        notices.removeIf(n -> {
            boolean same = n.object().version().equals(version);
            if (same) {
                done.add(n);
            }
            return same;
        });
        if (notices.isEmpty()) {
            pending.remove(key);
        }
        if (done.size() >= ACKNOWLEDGE_BATCH) {
            acknowledgeDone();
        }
    }

    /** Another worker holds the object: its notices are let go, to come back when visible again. */
    void leave(String key) {
        pending.remove(key);
    }

    /**
     * Whether a notice announced this version, and the store now holds another one (or none): a
     * notice that came late, after the object was written again. Asks the store (one listing of
     * the key), so call it only for a version that differs from the one recorded.
     */
    boolean announcedAndReplaced(ObjectStore store, ObjectInfo object) throws Exception {
        List<ObjectNotifications.Notice> notices = pending.get(object.key());
        if (notices == null || notices.stream().noneMatch(n -> n.object().version().equals(object.version()))) {
            return false;
        }
        ObjectInfo current = store.current(object.key());
        return current == null || !current.version().equals(object.version());
    }

    private void acknowledgeDone() throws Exception {
        if (!done.isEmpty()) {
            List<ObjectNotifications.Notice> batch = List.copyOf(done);
            done.clear();
            queue.acknowledge(batch);
        }
    }

    /** Acknowledges what is done, then closes the queue. */
    @Override
    public void close() {
        try {
            acknowledgeDone();
        } catch (Exception e) {
            LOG.warn("{}: acknowledging {} notices at close failed ({}); they come back and are acknowledged then",
                    queue.describe(), done.size(), e.toString());
        } finally {
            queue.close();
        }
    }
}
