package dev.clickpipes.clickhouse.sink;

import dev.clickpipes.clickhouse.ClickHouseTransport;
import dev.clickpipes.clickhouse.ddl.Tables;
import dev.clickpipes.clickhouse.delivery.DeduplicationCheck;
import dev.clickpipes.core.ErrorRecord;
import dev.clickpipes.core.spi.SinkException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * An error table of its own, next to no target table: where a routing sink files the records
 * that have no table to go to (no target for their route, or a target whose table and error table
 * are both gone). Same columns, TTL (7 days) and deduplication as a sink's error table. Thread-safe
 * once opened.
 */
public final class StandaloneErrorTable {

    private final ClickHouseTransport transport;
    private final String database;
    private final String table;
    private volatile ErrorTable errorTable;
    private volatile InsertSettings settings;

    private StandaloneErrorTable(ClickHouseTransport transport, String database, String table) {
        this.transport = transport;
        this.database = database;
        this.table = table;
    }

    /** The error table {@code database.table} reached through {@code transport} (which the caller closes). */
    public static StandaloneErrorTable of(ClickHouseTransport transport, String database, String table) {
        if (database == null || database.isBlank() || table == null || table.isBlank()) {
            throw new IllegalArgumentException("StandaloneErrorTable needs a database and a table name, was "
                    + database + "." + table);
        }
        return new StandaloneErrorTable(transport, database, table);
    }

    /** Creates the table when it is missing and reads what the server's inserts can carry. */
    public void open() throws SinkException {
        ErrorTable t = new ErrorTable(transport, database, table);
        if (!Tables.exists(transport, database, table)) {
            t.create(Duration.ofDays(7), SchemaReader.version(transport));
        }
        settings = InsertSettings.probe(transport, Map.of());
        errorTable = t;
    }

    /** Files the records, with the deduplication token of their insert. */
    public void insert(List<ErrorRecord> errors, String deduplicationToken) throws SinkException {
        if (errorTable == null) {
            throw new IllegalStateException("open() the error table " + qualifiedName() + " first");
        }
        errorTable.insert(errors, settings.forInsert(deduplicationToken));
    }

    /** Checks that the table deduplicates inserts by token, as exactly-once needs. */
    public void requireDeduplication() throws SinkException {
        DeduplicationCheck.require(transport, database, table);
    }

    /** {@code database.table}. */
    public String qualifiedName() {
        return database + "." + table;
    }
}
