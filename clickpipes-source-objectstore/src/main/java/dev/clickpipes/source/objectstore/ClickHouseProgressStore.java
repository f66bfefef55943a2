package dev.clickpipes.source.objectstore;

import dev.clickpipes.clickhouse.ClickHouseTransport;
import dev.clickpipes.clickhouse.SqlNames;
import dev.clickpipes.clickhouse.TabSeparated;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Progress in a table of the destination ClickHouse, shared by every worker of a pipe. The table is
 * an append-only log (MergeTree) of rows {@code (pipe, object, kind, worker, row, offset, time)}:
 * <ul>
 *   <li>{@code claim}: a worker takes an object. The claim with the earliest server time among
 *       workers still alive (a row from them within the lease) wins; the server's clock orders
 *       claims, so workers need no clock of their own.</li>
 *   <li>{@code progress}: rows up to {@code row} are in the table ({@code offset}: the byte after it).</li>
 *   <li>{@code done}: the whole object is in the table.</li>
 *   <li>{@code heartbeat}: the worker still holds the object (long objects between commits).</li>
 * </ul>
 * A restarted worker resumes each object after its highest committed row; a worker that dies loses
 * its objects to others once its lease expires.
 */
final class ClickHouseProgressStore implements ProgressStore {

    private final ClickHouseTransport transport;
    private final String table;
    private final String pipe;
    private final String worker;
    private final Duration lease;

    ClickHouseProgressStore(ClickHouseTransport transport, String table, String pipe, String worker, Duration lease) {
        this.transport = transport;
        this.table = qualified(table);
        this.pipe = pipe;
        this.worker = worker;
        this.lease = lease;
    }

    private static String qualified(String table) {
        int dot = table.indexOf('.');
        return dot < 0 ? SqlNames.quote(table)
                : SqlNames.quote(table.substring(0, dot)) + "." + SqlNames.quote(table.substring(dot + 1));
    }

    @Override
    public void open() throws Exception {
        transport.query("CREATE TABLE IF NOT EXISTS " + table + " ("
                + "pipe String, object String, "
                + "kind Enum8('claim' = 1, 'progress' = 2, 'done' = 3, 'heartbeat' = 4), "
                + "worker String, row Int64, offset Int64, "
                + "time DateTime64(6, 'UTC') DEFAULT now64(6)"
                + ") ENGINE = MergeTree ORDER BY (pipe, object, time)");
    }

    @Override
    public Map<String, Progress> load() throws Exception {
        String text = transport.query("SELECT object, max(kind = 'done'), max(row), argMax(offset, row) FROM " + table
                + " WHERE pipe = " + SqlNames.literal(pipe) + " AND kind IN ('progress', 'done') GROUP BY object");
        Map<String, Progress> out = new HashMap<>();
        for (List<String> r : TabSeparated.rows(text)) {
            out.put(r.get(0), new Progress("1".equals(r.get(1)), Long.parseLong(r.get(2)), Long.parseLong(r.get(3))));
        }
        return out;
    }

    @Override
    public Set<String> claim(List<String> keys) throws Exception {
        if (keys.isEmpty()) {
            return Set.of();
        }
        StringBuilder insert = new StringBuilder("INSERT INTO " + table + " (pipe, object, kind, worker, row, offset) VALUES ");
        StringBuilder in = new StringBuilder();
        for (int i = 0; i < keys.size(); i++) {
            String k = SqlNames.literal(keys.get(i));
            insert.append(i > 0 ? ", " : "").append('(').append(SqlNames.literal(pipe)).append(", ").append(k)
                    .append(", 'claim', ").append(SqlNames.literal(worker)).append(", -1, -1)");
            in.append(i > 0 ? ", " : "").append(k);
        }
        transport.query(insert.toString());
        String text = transport.query("SELECT object, argMin(worker, (claimed, worker)) FROM ("
                + " SELECT object, worker, maxIf(time, kind = 'claim') AS claimed, max(time) AS seen FROM " + table
                + " WHERE pipe = " + SqlNames.literal(pipe) + " AND object IN (" + in + ")"
                + " GROUP BY object, worker"
                + " HAVING countIf(kind = 'claim') > 0 AND seen > now64(6) - toIntervalMillisecond(" + lease.toMillis() + ")"
                + ") GROUP BY object");
        Set<String> won = new HashSet<>();
        for (List<String> r : TabSeparated.rows(text)) {
            if (worker.equals(r.get(1))) {
                won.add(r.get(0));
            }
        }
        return won;
    }

    @Override
    public void save(Collection<ObjectPosition> positions) throws Exception {
        if (positions.isEmpty()) {
            return;
        }
        StringBuilder insert = new StringBuilder("INSERT INTO " + table + " (pipe, object, kind, worker, row, offset) VALUES ");
        boolean first = true;
        for (ObjectPosition p : positions) {
            insert.append(first ? "" : ", ").append('(').append(SqlNames.literal(pipe)).append(", ")
                    .append(SqlNames.literal(p.partition())).append(", ").append(p.last() ? "'done'" : "'progress'")
                    .append(", ").append(SqlNames.literal(worker)).append(", ").append(p.row()).append(", ")
                    .append(p.nextOffset()).append(')');
            first = false;
        }
        transport.query(insert.toString());
    }

    @Override
    public void heartbeat(String key) throws Exception {
        transport.query("INSERT INTO " + table + " (pipe, object, kind, worker, row, offset) VALUES ("
                + SqlNames.literal(pipe) + ", " + SqlNames.literal(key) + ", 'heartbeat', " + SqlNames.literal(worker)
                + ", -1, -1)");
    }

    @Override
    public void close() {
        // the transport belongs to the caller
    }
}
