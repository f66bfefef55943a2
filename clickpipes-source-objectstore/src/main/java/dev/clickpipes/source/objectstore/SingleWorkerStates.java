package dev.clickpipes.source.objectstore;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Progress of a worker that shares its objects with no one at run time (a single worker, or one
 * static share): kept in memory, and in a {@link ProgressLog} when the pipe has a state table, read
 * once at start. A poll costs nothing here, whatever was loaded before.
 */
final class SingleWorkerStates implements ObjectStates {

    private final ProgressLog log;
    private final Coordination coordination;
    private final Map<String, Progress> progress = new HashMap<>();
    private final Map<String, String> versions = new HashMap<>();
    private String watermark;

    /** @param log the table to keep progress in, or null for memory only */
    SingleWorkerStates(ProgressLog log, Coordination coordination) {
        this.log = log;
        this.coordination = coordination;
    }

    @Override
    public void open() throws Exception {
        if (log == null) {
            return;
        }
        log.open();
        for (Map.Entry<String, Progress> e : log.load().entrySet()) {
            if (coordination.owns(e.getKey())) {
                progress.put(e.getKey(), e.getValue());
            }
        }
        watermark = doneBeforeFirstUnfinished(progress);
    }

    /**
     * The largest done key below every unfinished one: this worker loads its objects in key order,
     * so every key of its share up to there is done, and listing resumes after it.
     */
    static String doneBeforeFirstUnfinished(Map<String, Progress> progress) {
        String firstUnfinished = null;
        for (Map.Entry<String, Progress> e : progress.entrySet()) {
            if (!e.getValue().done() && (firstUnfinished == null || e.getKey().compareTo(firstUnfinished) < 0)) {
                firstUnfinished = e.getKey();
            }
        }
        String mark = null;
        for (Map.Entry<String, Progress> e : progress.entrySet()) {
            String k = e.getKey();
            if (e.getValue().done() && (firstUnfinished == null || k.compareTo(firstUnfinished) < 0)
                    && (mark == null || k.compareTo(mark) > 0)) {
                mark = k;
            }
        }
        return mark;
    }

    @Override
    public Map<String, Progress> read(List<String> keys) {
        Map<String, Progress> out = new HashMap<>();
        for (String k : keys) {
            Progress p = progress.get(k);
            if (p != null) {
                out.put(k, p);
            }
        }
        return out;
    }

    @Override
    public Progress take(ObjectInfo object, boolean fresh) {
        versions.put(object.key(), object.version() == null ? "" : object.version());
        return fresh ? Progress.NONE : progress.getOrDefault(object.key(), Progress.NONE);
    }

    @Override
    public boolean skipLate(ObjectInfo object) throws Exception {
        // Kept in memory only: a restart lists it again, and finds it late again.
        progress.put(object.key(), new Progress(true, -1, -1, object.version() == null ? "" : object.version(), false));
        return true;
    }

    @Override
    public Set<String> save(Collection<ObjectPosition> positions) throws Exception {
        if (log != null) {
            log.append(positions, versions);
        }
        for (ObjectPosition p : positions) {
            String version = versions.getOrDefault(p.key(), "");
            progress.put(p.key(), new Progress(p.last(), p.row(), p.nextOffset(), version, false));
            if (p.last()) {
                versions.remove(p.key());
            }
        }
        return Set.of();
    }

    @Override
    public Set<String> renewAll() {
        return Set.of();
    }

    @Override
    public void release(String key) {
        versions.remove(key);
    }

    @Override
    public String watermark() {
        return watermark;
    }

    @Override
    public void advanceWatermark(String from, String to, List<String> passed) {
        watermark = to;
        for (String k : passed) {
            progress.remove(k); // never listed again
        }
    }

    @Override
    public boolean shared() {
        return false;
    }

    @Override
    public String describe() {
        return (log == null ? "progress in memory" : log.describe()) + ", " + coordination;
    }

    @Override
    public void close() {
        // the transport belongs to the caller
    }
}
