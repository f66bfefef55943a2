package dev.clickpipes.clickhouse.ddl;

import dev.clickpipes.clickhouse.ClickHouseException;
import dev.clickpipes.clickhouse.ClickHouseTransport;
import dev.clickpipes.clickhouse.SqlNames;

/**
 * Questions about tables that need no right on them beyond seeing them: the pipe asks before it
 * creates anything, so a pipe whose tables exist runs without CREATE rights.
 */
public final class Tables {

    private Tables() {
    }

    /**
     * Whether {@code database.table} exists, from {@code system.tables} (which lists the tables
     * the user has any right on).
     */
    public static boolean exists(ClickHouseTransport transport, String database, String table) throws ClickHouseException {
        return !"0".equals(transport.query("SELECT count() FROM system.tables WHERE database = "
                + SqlNames.literal(database) + " AND name = " + SqlNames.literal(table)).strip());
    }
}
