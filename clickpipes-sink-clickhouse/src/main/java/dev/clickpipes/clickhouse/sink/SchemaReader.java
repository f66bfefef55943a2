package dev.clickpipes.clickhouse.sink;

import dev.clickpipes.clickhouse.ClickHouseException;
import dev.clickpipes.clickhouse.ClickHouseTransport;
import dev.clickpipes.clickhouse.SqlNames;
import dev.clickpipes.clickhouse.TabSeparated;
import dev.clickpipes.clickhouse.TableColumn;
import dev.clickpipes.clickhouse.TableSchema;
import dev.clickpipes.clickhouse.types.DataType;
import dev.clickpipes.core.spi.SinkException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/** Reads a table's columns, their types and defaults from {@code system.columns}, and the server's zone. */
final class SchemaReader {

    private SchemaReader() {
    }

    static TableSchema read(ClickHouseTransport transport, String database, String table) throws ClickHouseException {
        String sql = "SELECT name, type, default_kind, default_expression FROM system.columns WHERE database = "
                + SqlNames.literal(database) + " AND table = " + SqlNames.literal(table);
        List<TableColumn> columns = new ArrayList<>();
        for (List<String> row : TabSeparated.rows(transport.query(sql))) {
            columns.add(new TableColumn(row.get(0), DataType.parse(row.get(1)), row.get(2), row.get(3)));
        }
        if (columns.isEmpty()) {
            throw new ClickHouseException(SinkException.Kind.FATAL, 60, "table " + database + "." + table
                    + " does not exist (create it first)", null);
        }
        return new TableSchema(database, table, columns, serverZone(transport), version(transport) >= 21000);
    }

    static ZoneId serverZone(ClickHouseTransport transport) throws ClickHouseException {
        return ZoneId.of(transport.query("SELECT timezone()").strip());
    }

    /** The server's version as major * 1000 + minor, e.g. 18016 for 18.16, 26005 for 26.5. */
    static int version(ClickHouseTransport transport) throws ClickHouseException {
        String[] parts = transport.query("SELECT version()").strip().split("\\.");
        return Integer.parseInt(parts[0]) * 1000 + Integer.parseInt(parts[1]);
    }
}
