package dev.clickpipes.clickhouse;

import dev.clickpipes.core.spi.SinkException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A KeeperMap table of the destination ClickHouse used as a linearizable compare-and-set store:
 * rows kept in ClickHouse Keeper or ZooKeeper, one node per key, every row carrying a
 * {@code version UInt64} column.
 *
 * <p>Every write runs with {@code keeper_map_strict_mode=1}: {@link #insertNew} is a strict INSERT
 * (an existing key is refused: create-if-absent), {@link #update} an {@code ALTER TABLE ... UPDATE
 * ... WHERE key = k AND version = v}, which in strict mode is checked against the Keeper node's own
 * version (of two racing writers exactly one wins; measured in docs/keepermap.md) and is a silent
 * no-op when the condition is false. A caller learns whether its write won by reading the row back
 * ({@link #read}). Every statement names its keys, so each costs one Keeper request per key whatever
 * the table holds; a filter on any other column would list and read the whole table.
 *
 * <p>Why not a MergeTree: its rows become visible when their part commits and two concurrent writers
 * both succeed, so no compare-and-set can be built on it. KeeperMap needs a server with Keeper:
 * ClickHouse Cloud, or a server whose configuration has a {@code <zookeeper>} section and
 * {@code <keeper_map_path_prefix>}.
 */
public final class KeeperMapTable {

    /** Keys per statement: keeps reads and deletes far below {@code max_query_size}. */
    private static final int KEYS_PER_STATEMENT = 500;
    /** Strict, and synchronous whatever the user's profile says (an async insert is not visible when acknowledged). */
    private static final Map<String, String> STRICT = Map.of("keeper_map_strict_mode", "1", "async_insert", "0");

    private final ClickHouseTransport transport;
    private final String table;

    private KeeperMapTable(ClickHouseTransport transport, String table) {
        this.transport = transport;
        this.table = table;
    }

    /**
     * Creates the table when {@code system.tables} does not list it ({@code key String} first, then
     * {@code columns}, which must include {@code version UInt64}) and checks that an existing one is
     * a KeeperMap table. An existing table is never created again, so its users need no CREATE right.
     *
     * @param database the table's database, or null for the connection's current one
     * @param name     the table's name
     * @param path     the table's path in Keeper, under the server's {@code keeper_map_path_prefix}
     * @param purpose  what the table is for, for the message when the server cannot create it
     * @throws ClickHouseException FATAL, saying what the server lacks, when KeeperMap cannot be used
     */
    public static KeeperMapTable open(ClickHouseTransport transport, String database, String name, String path,
            String columns, String purpose) throws ClickHouseException {
        String table = (database == null ? "" : SqlNames.quote(database) + ".") + SqlNames.quote(name);
        // Asked first: the server checks the CREATE right before it sees that a table exists, so
        // even CREATE TABLE IF NOT EXISTS would fail for a user granted only reads and writes.
        String engine = engine(transport, database, name);
        if (engine.isEmpty()) {
            try {
                transport.query("CREATE TABLE IF NOT EXISTS " + table + " (key String, " + columns + ")"
                        + " ENGINE = KeeperMap(" + SqlNames.literal(path) + ") PRIMARY KEY key");
            } catch (ClickHouseException e) {
                throw new ClickHouseException(SinkException.Kind.FATAL, e.code(), purpose + " is kept in a KeeperMap"
                        + " table, " + table + ", which this server cannot create: it needs ClickHouse Keeper or"
                        + " ZooKeeper (ClickHouse Cloud has it; a self-managed server needs a <zookeeper> section and"
                        + " <keeper_map_path_prefix> in its configuration) and the right to create the table: "
                        + e.getMessage(), e);
            }
            engine = engine(transport, database, name); // another worker may have created it first
        }
        if (!engine.isEmpty() && !engine.equals("KeeperMap")) {
            throw new ClickHouseException(SinkException.Kind.FATAL, 0, purpose + " needs a KeeperMap table, but "
                    + table + " exists with engine " + engine + "; name another table (or drop this one)", null);
        }
        return new KeeperMapTable(transport, table);
    }

    /** The table's engine from {@code system.tables}, empty when there is no such table. */
    private static String engine(ClickHouseTransport transport, String database, String name)
            throws ClickHouseException {
        return transport.query("SELECT engine FROM system.tables WHERE database = "
                + (database == null ? "currentDatabase()" : SqlNames.literal(database))
                + " AND name = " + SqlNames.literal(name)).trim();
    }

    /** A row key for {@code name} within {@code scope}: readable, short, and unambiguous whatever the name holds. */
    public static String rowKey(String scope, String name) {
        return scope + "/" + sha256Hex(scope + "\u0000" + name).substring(0, 32);
    }

    /** SHA-256 of the text's UTF-8 bytes, in hex. */
    public static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * Creates the row {@code values} (in the order of {@code columns}, the key first) unless its key
     * exists; false when it exists (another writer was first, or an earlier attempt of ours landed
     * and only its answer was lost: read the row to tell).
     */
    public boolean insertNew(String columns, List<String> values) throws ClickHouseException {
        StringBuilder row = new StringBuilder();
        for (String v : values) {
            row.append(row.length() == 0 ? "" : "\t").append(TabSeparated.escape(v));
        }
        byte[] body = row.append('\n').toString().getBytes(StandardCharsets.UTF_8);
        try {
            transport.insert("INSERT INTO " + table + " (" + columns + ") FORMAT TabSeparated", STRICT, body, body.length);
            return true;
        } catch (ClickHouseException e) {
            if (isLostRace(e)) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Sets {@code assignments} ({@code col = expr, ...}, with {@code version = expected + 1} among
     * them) on the row {@code key} if its version is {@code expected}. Returns normally whether the
     * condition held or not (a false condition is a silent no-op, a raced one is refused by Keeper):
     * read the row to learn which.
     */
    public void update(String key, long expected, String assignments) throws ClickHouseException {
        try {
            transport.query("ALTER TABLE " + table + " UPDATE " + assignments + " WHERE key = " + SqlNames.literal(key)
                    + " AND version = " + expected + " SETTINGS keeper_map_strict_mode = 1");
        } catch (ClickHouseException e) {
            if (!isLostRace(e)) {
                throw e;
            }
        }
    }

    /**
     * As {@link #update} for many rows at once, each on its own expected version: one statement per
     * {@value #KEYS_PER_STATEMENT} keys instead of one per key, so renewing the leases of many rows
     * costs a few requests ({@code assignments} apply to every row and must move
     * {@code version = version + 1}). Rows not at their expected version are left alone. When
     * Keeper refuses a statement because one of its rows changed meanwhile (the whole statement is
     * one multi-request), each of its rows is updated on its own, so the others still move on.
     * Read the rows back to learn which moved.
     */
    public void updateEach(Map<String, Long> expectedVersions, String assignments) throws ClickHouseException {
        for (List<String> chunk : chunks(expectedVersions.keySet())) {
            StringBuilder versions = new StringBuilder();
            for (String k : chunk) {
                versions.append(versions.length() == 0 ? "" : ", ").append('(').append(SqlNames.literal(k)).append(", ")
                        .append(expectedVersions.get(k)).append(')');
            }
            try {
                // key IN (...) lets the table look the keys up instead of listing every row
                transport.query("ALTER TABLE " + table + " UPDATE " + assignments + " WHERE key IN (" + literals(chunk)
                        + ") AND (key, version) IN (" + versions + ") SETTINGS keeper_map_strict_mode = 1");
            } catch (ClickHouseException e) {
                if (!isLostRace(e)) {
                    throw e;
                }
                for (String k : chunk) {
                    update(k, expectedVersions.get(k), assignments);
                }
            }
        }
    }

    /** The rows of these keys: {@code columns} of each row found, as text, in no particular order. */
    public List<List<String>> read(String columns, Collection<String> keys) throws ClickHouseException {
        List<List<String>> out = new ArrayList<>();
        for (List<String> chunk : chunks(keys)) {
            out.addAll(TabSeparated.rows(transport.query("SELECT " + columns + " FROM " + table + " WHERE key IN ("
                    + literals(chunk) + ")")));
        }
        return out;
    }

    /** Deletes the rows of these keys (absent ones are a no-op). */
    public void delete(Collection<String> keys) throws ClickHouseException {
        for (List<String> chunk : chunks(keys)) {
            transport.query("DELETE FROM " + table + " WHERE key IN (" + literals(chunk) + ")"
                    + " SETTINGS keeper_map_strict_mode = 1");
        }
    }

    /** The server's clock in milliseconds: workers compare leases on one clock, not on their own. */
    public long serverMillis() throws ClickHouseException {
        return Long.parseLong(transport.query("SELECT toUnixTimestamp64Milli(now64(3))").trim());
    }

    /** The quoted, qualified table name. */
    public String name() {
        return table;
    }

    private static List<List<String>> chunks(Collection<String> keys) {
        List<List<String>> out = new ArrayList<>();
        List<String> chunk = new ArrayList<>();
        for (String k : keys) {
            chunk.add(k);
            if (chunk.size() == KEYS_PER_STATEMENT) {
                out.add(chunk);
                chunk = new ArrayList<>();
            }
        }
        if (!chunk.isEmpty()) {
            out.add(chunk);
        }
        return out;
    }

    private static String literals(List<String> keys) {
        StringBuilder in = new StringBuilder();
        for (String k : keys) {
            in.append(in.length() == 0 ? "" : ", ").append(SqlNames.literal(k));
        }
        return in.toString();
    }

    /** Keeper refused the write because the node changed or exists: "Node exists", "Bad version". */
    private static boolean isLostRace(ClickHouseException e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("Node exists") || m.contains("Bad version");
    }
}
