package dev.clickpipes.testkit;

import dev.clickpipes.clickhouse.ClickHouseException;
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
