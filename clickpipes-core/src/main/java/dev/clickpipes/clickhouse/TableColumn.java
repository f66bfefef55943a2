package dev.clickpipes.clickhouse;

import dev.clickpipes.clickhouse.types.DataType;

/**
 * One column of a ClickHouse table, as {@code system.columns} describes it.
 *
 * @param name              the column's name
 * @param type              its parsed type
 * @param defaultKind       {@code ""}, {@code DEFAULT}, {@code MATERIALIZED}, {@code ALIAS} or {@code EPHEMERAL}
 * @param defaultExpression the expression of that default, or {@code ""}
 */
public record TableColumn(String name, DataType type, String defaultKind, String defaultExpression) {

    /** A column without a default expression. */
    public static TableColumn of(String name, String type) {
        return new TableColumn(name, DataType.parse(type), "", "");
    }

    /** False for MATERIALIZED and ALIAS columns, which the server computes and an insert must not name. */
    public boolean insertable() {
        return !"MATERIALIZED".equals(defaultKind) && !"ALIAS".equals(defaultKind);
    }
}
