package dev.clickpipes.clickhouse.routing;

import dev.clickpipes.core.RowBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * What one of the pipe's envelope buffers stands for: per target, the rows its records became (in
 * the target's own columns) and those records, kept so that the group can be decoded again (a
 * changed table, a retry after some of them went in). Used by one thread at a time, as the buffer is.
 */
final class RoutedRows {

    /** One target's part of the buffer. */
    static final class Group {
        final Target target;
        final RowBuffer rows;
        final RecordRows records = new RecordRows();

        Group(Target target) {
            this.target = target;
            this.rows = target.newRows();
        }
    }

    /** By target index; grows when the router adds targets. */
    private final List<Group> groups = new ArrayList<>();
    /** The envelope's row count after the last record decoded into it: less means the pipe cleared it. */
    int envelopeRows;

    Group group(Target target) {
        while (groups.size() <= target.index) {
            groups.add(null);
        }
        Group g = groups.get(target.index);
        if (g == null) {
            g = new Group(target);
            groups.set(target.index, g);
        }
        return g;
    }

    /** The groups that hold records, in the targets' order. */
    List<Group> groups() {
        List<Group> out = new ArrayList<>(groups.size());
        for (Group g : groups) {
            if (g != null && !g.records.isEmpty()) {
                out.add(g);
            }
        }
        return out;
    }

    /**
     * Empties every group: the pipe cleared the envelope for its next batch (the last one's insert
     * is over). A group keeps its buffer's memory unless its table changed since.
     */
    void reset() {
        for (int i = 0; i < groups.size(); i++) {
            Group g = groups.get(i);
            if (g == null) {
                continue;
            }
            if (g.rows.schema() == g.target.schema) {
                g.rows.clear();
                g.records.clear();
            } else {
                groups.set(i, null);
            }
        }
        envelopeRows = 0;
    }
}
