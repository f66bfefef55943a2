package dev.clickpipes.source.objectstore;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Progress in memory: one worker, nothing survives a restart. */
final class MemoryProgressStore implements ProgressStore {

    private final Map<String, Progress> progress = new HashMap<>();

    @Override
    public void open() {
    }

    @Override
    public Map<String, Progress> load() {
        return new HashMap<>(progress);
    }

    @Override
    public Set<String> claim(List<String> keys) {
        return new LinkedHashSet<>(keys);
    }

    @Override
    public void save(Collection<ObjectPosition> positions) {
        for (ObjectPosition p : positions) {
            progress.put(p.partition(), new Progress(p.last(), p.row(), p.nextOffset()));
        }
    }

    @Override
    public void heartbeat(String key) {
    }

    @Override
    public void close() {
    }
}
