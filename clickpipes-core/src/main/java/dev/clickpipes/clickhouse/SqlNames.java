package dev.clickpipes.clickhouse;

/** Quoting of identifiers and string literals for the SQL the library writes. */
public final class SqlNames {

    private SqlNames() {
    }

    /** An identifier in backquotes, with backquotes and backslashes escaped. */
    public static String quote(String identifier) {
        return "`" + identifier.replace("\\", "\\\\").replace("`", "\\`") + "`";
    }

    /** A string literal in single quotes, with quotes and backslashes escaped. */
    public static String literal(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
