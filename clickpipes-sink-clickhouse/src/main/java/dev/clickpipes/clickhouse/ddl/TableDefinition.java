package dev.clickpipes.clickhouse.ddl;

import dev.clickpipes.clickhouse.SqlNames;
import dev.clickpipes.clickhouse.types.DataType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A table to create when it does not exist: columns and their types (inferred by
 * {@link SchemaInference} or written by hand), the engine, ORDER BY, and optionally PARTITION BY
 * and TTL. Immutable; {@link #toBuilder()} derives a variant. An existing table is never altered.
 *
 * <pre>{@code
 * TableDefinition table = SchemaInference.fromJson(samples).toBuilder()
 *     .column("amount", "Decimal(18, 2)")
 *     .orderBy("(user_id, ts)")
 *     .partitionBy("toYYYYMM(ts)")
 *     .build();
 * }</pre>
 */
public final class TableDefinition {

    private final Map<String, String> columns;
    private final String engine;
    private final String orderBy;
    private final String partitionBy;
    private final String ttl;

    private TableDefinition(Builder b) {
        this.columns = Collections.unmodifiableMap(new LinkedHashMap<>(b.columns));
        this.engine = b.engine;
        this.orderBy = b.orderBy;
        this.partitionBy = b.partitionBy;
        this.ttl = b.ttl;
    }

    /** An empty builder: MergeTree, no columns. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this definition, to adjust it. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.columns.putAll(columns);
        b.engine = engine;
        b.orderBy = orderBy;
        b.partitionBy = partitionBy;
        b.ttl = ttl;
        return b;
    }

    /** The columns and their types, in order. */
    public Map<String, String> columns() {
        return columns;
    }

    /** {@code CREATE TABLE IF NOT EXISTS db.table (...) ENGINE = ... ORDER BY ...}. */
    public String createSql(String database, String table) {
        StringBuilder sql = new StringBuilder("CREATE TABLE IF NOT EXISTS ")
                .append(SqlNames.quote(database)).append('.').append(SqlNames.quote(table)).append(" (");
        String separator = "";
        for (Map.Entry<String, String> c : columns.entrySet()) {
            sql.append(separator).append(SqlNames.quote(c.getKey())).append(' ').append(c.getValue());
            separator = ", ";
        }
        sql.append(") ENGINE = ").append(engine).append(" ORDER BY ").append(orderBy);
        if (partitionBy != null) {
            sql.append(" PARTITION BY ").append(partitionBy);
        }
        if (ttl != null) {
            sql.append(" TTL ").append(ttl);
        }
        return sql.toString();
    }

    @Override
    public String toString() {
        return createSql("db", "table");
    }

    /** Builds a {@link TableDefinition}. */
    public static final class Builder {
        private final Map<String, String> columns = new LinkedHashMap<>();
        private String engine = "MergeTree";
        private String orderBy;
        private String partitionBy;
        private String ttl;

        private Builder() {
        }

        /** Adds a column, or changes the type of one already there (its place stays). */
        public Builder column(String name, String type) {
            DataType.parse(type); // fails now, naming the type, rather than at CREATE
            columns.put(name, type);
            return this;
        }

        /** Removes a column. */
        public Builder removeColumn(String name) {
            columns.remove(name);
            return this;
        }

        /** The table engine; default {@code MergeTree}. */
        public Builder engine(String value) {
            engine = value;
            return this;
        }

        /** The sorting key, e.g. {@code (user_id, ts)} or {@code tuple()}. Required. */
        public Builder orderBy(String value) {
            orderBy = value;
            return this;
        }

        /** An optional partition key, e.g. {@code toYYYYMM(ts)}. */
        public Builder partitionBy(String value) {
            partitionBy = value;
            return this;
        }

        /** An optional TTL, e.g. {@code ts + INTERVAL 30 DAY}. */
        public Builder ttl(String value) {
            ttl = value;
            return this;
        }

        /** The definition; fails naming what is missing. */
        public TableDefinition build() {
            if (columns.isEmpty()) {
                throw new IllegalArgumentException("TableDefinition has no columns: add some with .column(name, type)");
            }
            if (orderBy == null || orderBy.isBlank()) {
                throw new IllegalArgumentException("TableDefinition.orderBy is not set: e.g. .orderBy(\"(user_id, ts)\") "
                        + "or .orderBy(\"tuple()\"); the columns are " + columns.keySet());
            }
            return new TableDefinition(this);
        }
    }
}
