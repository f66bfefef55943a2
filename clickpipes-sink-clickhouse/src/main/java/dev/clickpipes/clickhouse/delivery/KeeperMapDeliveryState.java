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
 * ClickHouse Keeper or ZooKeeper, linearizable) next to the target, {@code clickpipes_state}, one
 * row per pipe and partition.
 *
 * <p>Every write is a compare-and-set on the row's version, with {@code keeper_map_strict_mode=1}:
 * the first state is a strict INSERT (an existing key is refused), every later one an
 * {@code ALTER TABLE ... UPDATE ... WHERE key = k AND version = v - 1}, which in strict mode is
 * checked against the Keeper node's own version (of two racing writers exactly one wins, measured
 * in docs/keepermap.md) and is a no-op when the condition is false. The row is then read back by
 * key: unless it holds what this worker wrote, another worker moved the partition on and this one
 * is fenced (a Kafka rebalance, a lease taken over, a process resumed after a long stop). Every
 * statement names the key, so each costs one Keeper request whatever the table holds.
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
                + " FROM " + table + " WHERE key = " + SqlNames.literal(key(partition))));
        if (rows.isEmpty()) {
            return PartitionState.INITIAL;
        }
        List<String> r = rows.get(0);
        return new PartitionState(Long.parseLong(r.get(0)), emptyToNull(r.get(1)), emptyToNull(r.get(2)),
                emptyToNull(r.get(3)));
    }

    @Override
    public void write(String partition, PartitionState next) throws SinkException {
        try {
            if (next.version() == 1) {
                insertFirst(partition, next);
            } else {
                transport.query("ALTER TABLE " + table + " UPDATE version = " + next.version()
                        + ", mark = " + SqlNames.literal(nullToEmpty(next.mark()))
                        + ", pending_first = " + SqlNames.literal(nullToEmpty(next.pendingFirst()))
                        + ", pending_last = " + SqlNames.literal(nullToEmpty(next.pendingLast()))
                        + " WHERE key = " + SqlNames.literal(key(partition)) + " AND version = " + (next.version() - 1)
                        + " SETTINGS keeper_map_strict_mode = 1");
            }
        } catch (ClickHouseException e) {
            if (!isLostRace(e)) {
                throw e;
            }
            // Another worker wrote first, or an earlier attempt of ours landed and only its answer
            // was lost: the read below tells which.
        }
        PartitionState now = read(partition);
        if (!now.equals(next)) {
            throw new ClickHouseException(SinkException.Kind.FATAL, 0, "pipe " + pipe + ": another worker moved the"
                    + " state of " + partition + " to " + now + " while this worker was at version " + (next.version() - 1)
                    + "; this worker no longer owns it and stops (nothing of its next batch of it was inserted)", null);
        }
    }

    private void insertFirst(String partition, PartitionState next) throws ClickHouseException {
        String row = String.join("\t", TabSeparated.escape(key(partition)), TabSeparated.escape(pipe),
                TabSeparated.escape(partition), Long.toString(next.version()), TabSeparated.escape(nullToEmpty(next.mark())),
                TabSeparated.escape(nullToEmpty(next.pendingFirst())), TabSeparated.escape(nullToEmpty(next.pendingLast())))
                + "\n";
        byte[] body = row.getBytes(StandardCharsets.UTF_8);
        transport.insert("INSERT INTO " + table + " (" + COLUMNS + ") FORMAT TabSeparated",
                Map.of("keeper_map_strict_mode", "1"), body, body.length);
    }

    /** The row key: readable, and unambiguous whatever the partition's name holds. */
    private String key(String partition) {
        return pipe + "/" + sha256(pipe + "\u0000" + partition).substring(0, 32);
    }

    /** Keeper refused the write because the node changed or exists: "Node exists", "Bad version". */
    private static boolean isLostRace(ClickHouseException e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("Node exists") || m.contains("Bad version");
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
