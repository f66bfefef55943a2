package dev.clickpipes.clickhouse.ddl;

import dev.clickpipes.clickhouse.SqlNames;
import dev.clickpipes.clickhouse.types.DataType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A table to create when it does not exist: columns and their types (inferred by
 * {@link SchemaInference} or written by hand), the engine, ORDER BY, and optionally PARTITION BY
 * and TTL, and table SETTINGS. Immutable; {@link #toBuilder()} derives a variant. An existing table is never altered.
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

    private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");
    /** The deduplication window a created plain MergeTree gets unless set: ClickHouse Cloud's default. */
    public static final int DEFAULT_DEDUPLICATION_WINDOW = 1000;
    private static final String NON_REPLICATED_WINDOW = "non_replicated_deduplication_window";

    private final Map<String, String> columns;
    private final String engine;
    private final String orderBy;
    private final String partitionBy;
    private final String ttl;
    private final Map<String, String> settings;

    private TableDefinition(Builder b) {
        this.columns = Collections.unmodifiableMap(new LinkedHashMap<>(b.columns));
        this.engine = b.engine;
        this.orderBy = b.orderBy;
        this.partitionBy = b.partitionBy;
        this.ttl = b.ttl;
        this.settings = Collections.unmodifiableMap(new LinkedHashMap<>(b.settings));
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
        b.settings.putAll(settings);
        return b;
    }

    /**
     * This definition as the pipe creates it on a server of {@code serverVersion} (e.g. 24008 for
     * 24.8): a plain (not Replicated, not Shared) MergeTree-family engine gets
     * {@code non_replicated_deduplication_window = }{@value #DEFAULT_DEDUPLICATION_WINDOW} unless the
     * definition sets it, so that the table deduplicates re-sent inserts as Replicated and Cloud
     * tables do: exactly-once works on it, and at-least-once does not double a retried insert.
     * Servers before 22.2 and other engines get the definition unchanged.
     */
    public TableDefinition deduplicatingOn(int serverVersion) {
        String name = engine.contains("(") ? engine.substring(0, engine.indexOf('(')).strip() : engine.strip();
        boolean plainMergeTree = name.endsWith("MergeTree") && !name.startsWith("Replicated") && !name.startsWith("Shared");
        if (!plainMergeTree || serverVersion < 22002 || settings.containsKey(NON_REPLICATED_WINDOW)) {
            return this;
        }
        return toBuilder().setting(NON_REPLICATED_WINDOW, Integer.toString(DEFAULT_DEDUPLICATION_WINDOW)).build();
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
        separator = " SETTINGS ";
        for (Map.Entry<String, String> s : settings.entrySet()) {
            sql.append(separator).append(s.getKey()).append(" = ").append(settingValue(s.getValue()));
            separator = ", ";
        }
        return sql.toString();
    }

    /** A number goes bare (a setting typed UInt64 refuses a string); anything else as an escaped string literal. */
    private static String settingValue(String value) {
        return NUMBER.matcher(value).matches() ? value : SqlNames.literal(value);
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
        private final Map<String, String> settings = new LinkedHashMap<>();

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

        /**
         * A table setting, e.g. {@code non_replicated_deduplication_window = 1000} or
         * {@code storage_policy = 'hot'}: the name must be an identifier; a number is written bare,
         * anything else as a quoted, escaped string.
         */
        public Builder setting(String name, String value) {
            if (!SqlNames.isBareIdentifier(name)) {
                throw new IllegalArgumentException("table setting name '" + name + "' is not an identifier (letters, digits, _)");
            }
            if (value == null) {
                throw new IllegalArgumentException("table setting " + name + " has no value");
            }
            settings.put(name, value);
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
