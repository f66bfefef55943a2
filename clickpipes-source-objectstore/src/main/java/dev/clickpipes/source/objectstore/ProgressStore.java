package dev.clickpipes.source.objectstore;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a pipe keeps which objects are done and how far it got in the others, and which worker
 * loads which object. In memory when no state table is configured; in a ClickHouse table with
 * {@link ObjectStoreSource.Builder#stateStore}.
 */
interface ProgressStore extends AutoCloseable {

    /** An object's progress: done, or the last committed row and the byte offset after it (-1 when unknown). */
    record Progress(boolean done, long lastRow, long nextOffset) {
        static final Progress NONE = new Progress(false, -1, -1);
    }

    /** Creates what the store needs (the table). */
    void open() throws Exception;

    /** The progress of every object that has some. */
    Map<String, Progress> load() throws Exception;

    /** Claims {@code keys} for this worker; returns those it won (another live worker may hold some). */
    Set<String> claim(List<String> keys) throws Exception;

    /** Records committed positions: progress rows, or done for last positions. */
    void save(Collection<ObjectPosition> positions) throws Exception;

    /** Tells other workers this one is still loading {@code key}. */
    void heartbeat(String key) throws Exception;

    @Override
    void close();
}
