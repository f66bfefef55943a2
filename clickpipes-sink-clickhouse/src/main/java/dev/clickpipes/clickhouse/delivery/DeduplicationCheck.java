package dev.clickpipes.clickhouse.delivery;

import dev.clickpipes.clickhouse.ClickHouseException;
import dev.clickpipes.clickhouse.ClickHouseTransport;
import dev.clickpipes.clickhouse.SqlNames;
import dev.clickpipes.clickhouse.TabSeparated;
import dev.clickpipes.core.spi.SinkException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks that a table deduplicates inserts by token, which exactly-once needs (a batch re-sent
 * after a crash must be dropped when its first attempt landed): a Replicated* or Shared* table
 * with {@code replicated_deduplication_window} above 0, or another MergeTree with
 * {@code non_replicated_deduplication_window} above 0.
 */
public final class DeduplicationCheck {

    private DeduplicationCheck() {
    }

    /**
     * @throws ClickHouseException FATAL, naming the setting to change, when the table does not deduplicate
     */
    public static void require(ClickHouseTransport transport, String database, String table) throws ClickHouseException {
        List<List<String>> rows = TabSeparated.rows(transport.query("SELECT engine, engine_full FROM system.tables"
                + " WHERE database = " + SqlNames.literal(database) + " AND name = " + SqlNames.literal(table)));
        if (rows.isEmpty()) {
            throw new ClickHouseException(SinkException.Kind.FATAL, 60, "table " + database + "." + table
                    + " does not exist", null);
        }
        String engine = rows.get(0).get(0);
        String engineFull = rows.get(0).get(1);
        boolean replicated = engine.startsWith("Replicated") || engine.startsWith("Shared");
        if (!engine.endsWith("MergeTree")) {
            throw refuse(database, table, engine + " does not deduplicate inserts; use a MergeTree-family table");
        }
        String setting = replicated ? "replicated_deduplication_window" : "non_replicated_deduplication_window";
        long window = windowOf(transport, engineFull, setting);
        if (window <= 0) {
            String fix = replicated
                    ? "ALTER TABLE " + database + "." + table + " MODIFY SETTING replicated_deduplication_window = 1000"
                    : "ALTER TABLE " + database + "." + table + " MODIFY SETTING non_replicated_deduplication_window = 1000"
                      + " (or create it with SETTINGS non_replicated_deduplication_window = 1000)";
            throw refuse(database, table, "it is a " + engine + " with " + setting + " = " + window
                    + ", so a batch re-sent after a crash would be doubled; run " + fix);
        }
    }

    private static long windowOf(ClickHouseTransport transport, String engineFull, String setting)
            throws ClickHouseException {
        Matcher m = Pattern.compile("\\b" + setting + "\\s*=\\s*(\\d+)").matcher(engineFull);
        if (m.find()) {
            return Long.parseLong(m.group(1));
        }
        String value = transport.query("SELECT value FROM system.merge_tree_settings WHERE name = "
                + SqlNames.literal(setting)).strip();
        return value.isEmpty() ? 0 : Long.parseLong(value);
    }

    private static ClickHouseException refuse(String database, String table, String why) {
        return new ClickHouseException(SinkException.Kind.FATAL, 0, "exactly-once needs table " + database + "."
                + table + " to deduplicate inserts, but " + why, null);
    }
}
