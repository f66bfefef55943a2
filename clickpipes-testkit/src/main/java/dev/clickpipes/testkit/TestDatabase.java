package dev.clickpipes.testkit;

import dev.clickpipes.clickhouse.ClickHouseException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A database with a unique name in an {@link EmbeddedClickHouse}, so tests sharing one engine do
 * not see each other's tables. Closing it drops the database and everything in it.
 */
public final class TestDatabase implements AutoCloseable {

    private final EmbeddedClickHouse engine;
    private final String name;
    private final AtomicBoolean closed = new AtomicBoolean();

    TestDatabase(EmbeddedClickHouse engine, String name) {
        this.engine = engine;
        this.name = name;
    }

    /** The database's name, such as {@code test_3_a1b2c3}; needs no quoting. */
    public String name() {
        return name;
    }

    /** {@code name.table}, the qualified name of a table in this database. */
    public String table(String table) {
        return name + "." + table;
    }

    /**
     * Runs one statement in the engine (a shortcut for {@code engine().query(sql)}); name tables
     * with {@link #table(String)}.
     *
     * @return its TabSeparated output, empty for DDL
     * @throws ClickHouseException when the engine refuses it
     */
    public String execute(String sql) throws ClickHouseException {
        return engine.query(sql);
    }

    /** The number of rows in a table of this database. */
    public long count(String table) throws ClickHouseException {
        return engine.queryLong("SELECT count() FROM " + table(table));
    }

    /**
     * Every row of a table of this database, sorted by all its columns so the order does not
     * depend on inserts; each row is its fields as text, NULL as {@code null}.
     */
    public List<List<String>> rows(String table) throws ClickHouseException {
        return engine.queryRows("SELECT * FROM " + table(table) + " ORDER BY ALL");
    }

    /**
     * The rows of the error table a {@code ClickHouseSink} with {@code errorTable(true)} keeps next
     * to {@code table} ({@code <table>_clickpipes_error}), in source order; empty when there is none.
     */
    public List<ErrorRow> errorRows(String table) throws ClickHouseException {
        String errorTable = table + "_clickpipes_error";
        if (engine.queryLong("SELECT count() FROM system.tables WHERE database = '" + name + "' AND name = '"
                + errorTable.replace("\\", "\\\\").replace("'", "\\'") + "'") == 0) {
            return List.of();
        }
        return engine.queryRows("SELECT " + ErrorRow.COLUMNS + " FROM " + table(errorTable)
                + " ORDER BY length(position), position")
                .stream().map(ErrorRow::of).toList();
    }

    /** The engine this database lives in. */
    public EmbeddedClickHouse engine() {
        return engine;
    }

    /**
     * Drops the database and its tables; calling it again does nothing.
     *
     * @throws IllegalStateException when the engine refuses the DROP
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            // Not SYNC: a synchronous drop hangs in chDB 26.5.3 (see EmbeddedClickHouse).
            engine.query("DROP DATABASE IF EXISTS `" + name + "`");
        } catch (ClickHouseException e) {
            throw new IllegalStateException("cannot drop test database " + name, e);
        }
    }

    /** The database's name. */
    @Override
    public String toString() {
        return name;
    }
}
