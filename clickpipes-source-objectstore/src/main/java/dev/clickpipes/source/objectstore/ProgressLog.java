package dev.clickpipes.source.objectstore;

import dev.clickpipes.clickhouse.ClickHouseTransport;
import dev.clickpipes.clickhouse.SqlNames;
import dev.clickpipes.clickhouse.TabSeparated;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The progress of single-worker and static-share pipes, as a log in a table of the destination
 * ClickHouse (any server version): one row per committed position, {@code (pipe, object, kind,
 * worker, row, offset, version, time)} with kind {@code progress} or {@code done}. An object's
 * progress is its latest row. Only one worker writes an object's rows, so no compare-and-set is
 * needed; the table is a ReplacingMergeTree that keeps the latest row per object and kind, so it
 * holds at most two rows per object once merged. Read once, at start.
 */
final class ProgressLog {

    private final ClickHouseTransport transport;
    private final StateTableName tableName;
    private final String table;
    private final String pipe;
    private final String worker;
    private Map<String, String> insertSettings = Map.of();

    ProgressLog(ClickHouseTransport transport, String qualifiedName, String pipe, String worker) {
        this.transport = transport;
        this.tableName = StateTableName.parse(qualifiedName);
        this.table = tableName.quoted();
        this.pipe = pipe;
        this.worker = worker;
    }

    /**
     * Creates the table if {@code system.tables} does not list it (adding the version column to one
     * made by an earlier release). An existing table is never created again: the server checks the
     * CREATE right even for CREATE TABLE IF NOT EXISTS, and a pipe user may have only INSERT and SELECT.
     */
    void open() throws Exception {
        String engine = transport.query("SELECT engine FROM system.tables WHERE database = "
                + tableName.databaseLiteral() + " AND name = " + SqlNames.literal(tableName.name())).trim();
        if (engine.equals("KeeperMap")) {
            throw new IllegalStateException("the object-store state table " + table + " is a KeeperMap table, made for "
                    + "Coordination.leases(); a single-worker or static-share pipe keeps a log in a MergeTree table: "
                    + "set .coordination(Coordination.leases()) or name another table");
        }
        if (engine.isEmpty()) {
            transport.query("CREATE TABLE IF NOT EXISTS " + table + " ("
                    + "pipe String, object String, "
                    + "kind Enum8('claim' = 1, 'progress' = 2, 'done' = 3, 'heartbeat' = 4), "
                    + "worker String, row Int64, offset Int64, version String DEFAULT '', "
                    + "time DateTime64(6, 'UTC') DEFAULT now64(6)"
                    + ") ENGINE = ReplacingMergeTree(time) ORDER BY (pipe, object, kind)");
        }
        String columns = transport.query("SELECT name FROM system.columns WHERE database = "
                + tableName.databaseLiteral() + " AND table = " + SqlNames.literal(tableName.name()));
        if (!TabSeparated.rows(columns).contains(List.of("version"))) {
            transport.query("ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS version String DEFAULT ''");
        }
        // A user profile with async_insert=1 would acknowledge progress before it can be read back.
        if (!transport.query("SELECT name FROM system.settings WHERE name = 'async_insert'").isBlank()) {
            insertSettings = Map.of("async_insert", "0");
        }
    }

    /** Every object's latest progress. */
    Map<String, ObjectStates.Progress> load() throws Exception {
        String text = transport.query("SELECT object, argMax(kind = 'done', time), argMax(row, time),"
                + " argMax(offset, time), argMax(version, time) FROM " + table
                + " WHERE pipe = " + SqlNames.literal(pipe) + " AND kind IN ('progress', 'done') GROUP BY object");
        Map<String, ObjectStates.Progress> out = new HashMap<>();
        for (List<String> r : TabSeparated.rows(text)) {
            out.put(r.get(0), new ObjectStates.Progress("1".equals(r.get(1)), Long.parseLong(r.get(2)),
                    Long.parseLong(r.get(3)), r.get(4), false));
        }
        return out;
    }

    /** Appends one row per position, in one insert. */
    void append(Collection<ObjectPosition> positions, Map<String, String> versions) throws Exception {
        if (positions.isEmpty()) {
            return;
        }
        StringBuilder rows = new StringBuilder();
        for (ObjectPosition p : positions) {
            rows.append(TabSeparated.escape(pipe)).append('\t').append(TabSeparated.escape(p.key())).append('\t')
                    .append(p.last() ? "done" : "progress").append('\t').append(TabSeparated.escape(worker)).append('\t')
                    .append(p.row()).append('\t').append(p.nextOffset()).append('\t')
                    .append(TabSeparated.escape(versions.getOrDefault(p.key(), ""))).append('\n');
        }
        byte[] body = rows.toString().getBytes(StandardCharsets.UTF_8);
        transport.insert("INSERT INTO " + table + " (pipe, object, kind, worker, row, offset, version) FORMAT TabSeparated",
                insertSettings, body, body.length);
    }

    String describe() {
        return "progress log " + table + " at " + transport.describe();
    }
}
