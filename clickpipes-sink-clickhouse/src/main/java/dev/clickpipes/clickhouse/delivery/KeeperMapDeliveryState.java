package dev.clickpipes.clickhouse.delivery;

import dev.clickpipes.clickhouse.ClickHouseException;
import dev.clickpipes.clickhouse.ClickHouseTransport;
import dev.clickpipes.clickhouse.SqlNames;
import dev.clickpipes.clickhouse.TabSeparated;
import dev.clickpipes.core.spi.DeliveryState;
import dev.clickpipes.core.spi.PartitionState;
import dev.clickpipes.core.spi.SinkException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Exactly-once state in the destination ClickHouse itself: a KeeperMap table (rows kept in
 * ClickHouse Keeper or ZooKeeper, linearizable) next to the target, {@code clickpipes_state}.
 *
 * <p>Each state of a partition is a row of its own, keyed by pipe, partition and version, and
 * written with {@code keeper_map_strict_mode=1}, under which inserting an existing key fails. So
 * a version can be written once: of two workers that both believe they own a partition, the one
 * that writes the next version first wins, and the other learns it was fenced at its next write
 * (before it inserts anything of a batch the winner has not recorded). Old versions are deleted
 * as new ones are written (by key, one Keeper request each); a partition keeps its last two.
 * Because a deleted version's key is free again, a write that lands is followed by a read:
 * unless its version is the partition's latest, the writer was fenced (a worker far behind, such
 * as one resumed after a long stop). Reading a partition's state lists the table's rows.
 *
 * <p>Why KeeperMap and not a MergeTree: rows of a MergeTree become visible when their part
 * commits and two concurrent writers both succeed, so no compare-and-set can be built on it.
 * KeeperMap needs a server with Keeper: ClickHouse Cloud, or a server whose configuration has a
 * {@code <zookeeper>} section and {@code <keeper_map_path_prefix>}.
 */
public final class KeeperMapDeliveryState implements DeliveryState {

    /** The state table's name, in the target's database. */
    public static final String TABLE = "clickpipes_state";

    private static final String COLUMNS = "key, pipe, partition, version, mark, pending_first, pending_last";

    private final ClickHouseTransport transport;
    private final String table;
    private final String pipe;

    private KeeperMapDeliveryState(ClickHouseTransport transport, String table, String pipe) {
        this.transport = transport;
        this.table = table;
        this.pipe = pipe;
    }

    /**
     * Creates the state table in {@code database} when missing and returns the store of one pipe.
     *
     * @throws ClickHouseException FATAL, saying what the server lacks, when KeeperMap cannot be used
     */
    public static KeeperMapDeliveryState open(ClickHouseTransport transport, String database, String pipe)
            throws ClickHouseException {
        String table = SqlNames.quote(database) + "." + SqlNames.quote(TABLE);
        try {
            transport.query("CREATE TABLE IF NOT EXISTS " + table + " (key String, pipe String, partition String,"
                    + " version UInt64, mark String, pending_first String, pending_last String)"
                    + " ENGINE = KeeperMap(" + SqlNames.literal("/clickpipes_state/" + database) + ")"
                    + " PRIMARY KEY key");
        } catch (ClickHouseException e) {
            throw new ClickHouseException(SinkException.Kind.FATAL, e.code(), "exactly-once keeps its state in a"
                    + " KeeperMap table, " + table + ", which this server cannot create: it needs ClickHouse Keeper"
                    + " or ZooKeeper (ClickHouse Cloud has it; a self-managed server needs a <zookeeper> section and"
                    + " <keeper_map_path_prefix> in its configuration) and the right to create the table: "
                    + e.getMessage(), e);
        }
        return new KeeperMapDeliveryState(transport, table, pipe);
    }

    @Override
    public PartitionState read(String partition) throws SinkException {
        List<List<String>> rows = TabSeparated.rows(transport.query("SELECT version, mark, pending_first, pending_last"
                + " FROM " + table + " WHERE pipe = " + SqlNames.literal(pipe) + " AND partition = "
                + SqlNames.literal(partition) + " ORDER BY version DESC LIMIT 1"));
        if (rows.isEmpty()) {
            return PartitionState.INITIAL;
        }
        List<String> r = rows.get(0);
        return new PartitionState(Long.parseLong(r.get(0)), emptyToNull(r.get(1)), emptyToNull(r.get(2)),
                emptyToNull(r.get(3)));
    }

    @Override
    public void write(String partition, PartitionState next) throws SinkException {
        String row = String.join("\t", TabSeparated.escape(key(partition, next.version())), TabSeparated.escape(pipe),
                TabSeparated.escape(partition), Long.toString(next.version()), TabSeparated.escape(nullToEmpty(next.mark())),
                TabSeparated.escape(nullToEmpty(next.pendingFirst())), TabSeparated.escape(nullToEmpty(next.pendingLast())))
                + "\n";
        byte[] body = row.getBytes(StandardCharsets.UTF_8);
        try {
            transport.insert("INSERT INTO " + table + " (" + COLUMNS + ") FORMAT TabSeparated",
                    Map.of("keeper_map_strict_mode", "1"), body, body.length);
        } catch (ClickHouseException e) {
            if (!isExistingKey(e)) {
                throw e;
            }
            // Either another worker wrote this version first, or an earlier attempt of ours landed
            // and only its answer was lost: the row tells which.
            if (!next.equals(read(partition))) {
                throw new ClickHouseException(SinkException.Kind.FATAL, e.code(), "pipe " + pipe + ": another worker"
                        + " wrote version " + next.version() + " of the state of " + partition + " first; this worker"
                        + " no longer owns it and stops (its last batch of it, if any, is deduplicated by its token)", e);
            }
        }
        // The key was free, but that proves nothing when it is an old version deleted since: a
        // worker that was fenced long ago (a zombie, resumed after another took its partition and
        // moved it on) would land here. The version just written must be the latest.
        PartitionState latest = read(partition);
        if (latest.version() != next.version()) {
            throw new ClickHouseException(SinkException.Kind.FATAL, 0, "pipe " + pipe + ": another worker wrote"
                    + " version " + latest.version() + " of the state of " + partition + " while this worker was at"
                    + " version " + (next.version() - 1) + "; this worker no longer owns it and stops (nothing of its"
                    + " next batch of it was inserted)", null);
        }
        if (next.version() > 2) {
            // By key: a point delete is one Keeper request, any other filter reads every row.
            transport.query("DELETE FROM " + table + " WHERE key = "
                    + SqlNames.literal(key(partition, next.version() - 2)));
        }
    }

    /** The row key: readable, and unambiguous whatever the partition's name holds. */
    private String key(String partition, long version) {
        return pipe + "/" + sha256(pipe + "\u0000" + partition).substring(0, 32) + "/" + String.format("%020d", version);
    }

    private static boolean isExistingKey(ClickHouseException e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("Node exists") || m.contains("already exists") && m.contains("key");
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    @Override
    public String describe() {
        return "KeeperMap table " + table + " at " + transport.describe();
    }

    /** Nothing to release: the transport belongs to the sink. */
    @Override
    public void close() {
    }
}
