package dev.clickpipes.source.objectstore;

import dev.clickpipes.clickhouse.SqlNames;

/**
 * The state table's name as the builder was given it ({@code db.table}, or {@code table} in the
 * connection's current database), split once for the stores that create and inspect it.
 *
 * @param database the database, or null for the current one
 * @param name     the table's name
 */
record StateTableName(String database, String name) {

    static StateTableName parse(String qualified) {
        int dot = qualified.indexOf('.');
        return new StateTableName(dot < 0 ? null : qualified.substring(0, dot), qualified.substring(dot + 1));
    }

    /** The name quoted for statements. */
    String quoted() {
        return (database == null ? "" : SqlNames.quote(database) + ".") + SqlNames.quote(name);
    }

    /** A SQL expression for the database, for filters on system tables. */
    String databaseLiteral() {
        return database == null ? "currentDatabase()" : SqlNames.literal(database);
    }

    @Override
    public String toString() {
        return database == null ? name : database + "." + name;
    }
}
