package dev.clickpipes.clickhouse;

import java.time.ZoneId;
import java.util.List;

/**
 * The target table as the sink found it on the server.
 *
 * @param database   the table's database
 * @param table      the table's name
 * @param columns    every column, in the table's order
 * @param serverZone the server's time zone, which DateTime columns without their own zone use
 * @param serverDefaults whether the server evaluates a column's DEFAULT expression for a NULL sent
 *                   in a Nullable block column (ClickHouse 21 and later; 18.16 does not convert
 *                   types in Native inserts at all)
 */
public record TableSchema(String database, String table, List<TableColumn> columns, ZoneId serverZone,
                          boolean serverDefaults) {

    /** Copies the column list. */
    public TableSchema {
        columns = List.copyOf(columns);
    }

    /** A schema on a server that evaluates DEFAULT expressions for NULLs in Native inserts (ClickHouse 21 and later). */
    public TableSchema(String database, String table, List<TableColumn> columns, ZoneId serverZone) {
        this(database, table, columns, serverZone, true);
    }

    /** {@code database.table}, quoted for SQL. */
    public String qualifiedName() {
        return SqlNames.quote(database) + "." + SqlNames.quote(table);
    }

    /** The columns an insert may name (not MATERIALIZED, not ALIAS). */
    public List<TableColumn> insertableColumns() {
        return columns.stream().filter(TableColumn::insertable).toList();
    }

    /** The names of all columns, for messages. */
    public List<String> columnNames() {
        return columns.stream().map(TableColumn::name).toList();
    }
}
