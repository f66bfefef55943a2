package dev.clickpipes.clickhouse.sink;

import dev.clickpipes.clickhouse.ClickHouseException;
import dev.clickpipes.clickhouse.ClickHouseTransport;
import dev.clickpipes.clickhouse.SqlNames;
import java.util.ArrayList;
import java.util.List;

/**
 * A table's sorting key as {@code system.tables.sorting_key} prints it ({@code a, `b c`,
 * toStartOfHour(d)}): the columns it is made of, or why it is not only columns (an expression, or
 * no key at all), in which case the sink does not sort.
 */
final class SortingKey {

    private final String text;
    private final List<String> columns;
    private final String notColumns;

    private SortingKey(String text, List<String> columns, String notColumns) {
        this.text = text;
        this.columns = columns;
        this.notColumns = notColumns;
    }

    static SortingKey read(ClickHouseTransport transport, String database, String table) throws ClickHouseException {
        String text = transport.query("SELECT sorting_key FROM system.tables WHERE database = "
                + SqlNames.literal(database) + " AND name = " + SqlNames.literal(table) + " FORMAT TSVRaw");
        return parse(text.strip());
    }

    static SortingKey parse(String text) {
        if (text.isEmpty()) {
            return new SortingKey(text, List.of(), "the table has no sorting key (ORDER BY tuple())");
        }
        List<String> columns = new ArrayList<>();
        for (String element : topLevelElements(text)) {
            String name = columnName(element.strip());
            if (name == null) {
                return new SortingKey(text, List.of(), "`" + element.strip() + "` is not a plain column");
            }
            columns.add(name);
        }
        return new SortingKey(text, List.copyOf(columns), null);
    }

    /** The key's columns in order; empty when {@link #notColumns()} says why not. */
    List<String> columns() {
        return columns;
    }

    /** Why the key is not a list of columns, or null when it is. */
    String notColumns() {
        return notColumns;
    }

    @Override
    public String toString() {
        return "(" + text + ")";
    }

    /** The comma-separated elements, commas inside parentheses, quotes and backquotes not splitting. */
    private static List<String> topLevelElements(String text) {
        List<String> out = new ArrayList<>();
        int[] depth = depths(text);
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == ',' && depth[i] == 0) {
                out.add(text.substring(start, i));
                start = i + 1;
            }
        }
        out.add(text.substring(start));
        return out;
    }

    /** True when the parenthesis that opens {@code element} is the one that closes it at its end. */
    private static boolean closes(String element) {
        int[] depth = depths(element);
        for (int i = 1; i < element.length() - 1; i++) {
            if (depth[i] == 0) {
                return false; // back outside before the end: "(a) + (b)"
            }
        }
        return true;
    }

    /**
     * For each character, how many parentheses are open after it ({@code -1} inside a quoted string or
     * name, so no comma or parenthesis there counts).
     */
    private static int[] depths(String text) {
        int[] depth = new int[text.length()];
        int open = 0;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == '\\' && i + 1 < text.length()) {
                    depth[i++] = -1;
                } else if (c == quote) {
                    quote = 0;
                }
                depth[i] = -1;
                continue;
            }
            if (c == '\'' || c == '`' || c == '"') {
                quote = c;
                depth[i] = -1;
                continue;
            }
            if (c == '(') {
                open++;
            } else if (c == ')') {
                open--;
            }
            depth[i] = open;
        }
        return depth;
    }

    /** The column an element names ({@code a} or {@code `b c`}), or null for any other expression. */
    private static String columnName(String element) {
        // ORDER BY (s) prints as "(s)": parentheses around the whole element change nothing.
        while (element.startsWith("(") && element.endsWith(")")
                && topLevelElements(element.substring(1, element.length() - 1)).size() == 1
                && closes(element)) {
            element = element.substring(1, element.length() - 1).strip();
        }
        if (SqlNames.isBareIdentifier(element)) {
            return element;
        }
        if (element.isEmpty() || element.charAt(0) != '`') {
            return null;
        }
        StringBuilder name = new StringBuilder();
        // closed before the end (`a` `b`), or never: not one name
        return SqlNames.readQuoted(element, 0, name) == element.length() ? name.toString() : null;
    }
}
