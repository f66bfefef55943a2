package dev.clickpipes.clickhouse;

import java.util.ArrayList;
import java.util.List;

/** Reads ClickHouse's TabSeparated output: rows by newline, fields by tab, backslash escapes undone (NULL stays {@code \N}). */
public final class TabSeparated {

    private TabSeparated() {
    }

    /**
     * The character a backslash escape stands for in ClickHouse's text formats ({@code \t},
     * {@code \n}, {@code \0}, ...); any other character stands for itself ({@code \\}, {@code \'}).
     */
    public static char unescape(char e) {
        return switch (e) {
            case 't' -> '\t';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case '0' -> '\0';
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'a' -> '\007';
            case 'v' -> '\013';
            default -> e;
        };
    }

    /** A value as a TabSeparated field: backslash, tab, newline and carriage return escaped. */
    public static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** The rows of a TabSeparated result (no header), each a list of unescaped fields. */
    public static List<List<String>> rows(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char e = text.charAt(++i);
                if (e == 'N') {
                    field.append("\\N"); // NULL stays visible as \N
                    continue;
                }
                field.append(unescape(e));
            } else if (c == '\t') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else {
                field.append(c);
            }
        }
        if (field.length() > 0 || !row.isEmpty()) {
            row.add(field.toString());
            rows.add(row);
        }
        return rows;
    }
}
