package dev.clickpipes.clickhouse;

import java.util.regex.Pattern;

/** Quoting of identifiers and string literals for the SQL the library writes. */
public final class SqlNames {

    private static final Pattern BARE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private SqlNames() {
    }

    /** An identifier in backquotes, with backquotes and backslashes escaped. */
    public static String quote(String identifier) {
        return "`" + identifier.replace("\\", "\\\\").replace("`", "\\`") + "`";
    }

    /**
     * Reads a quoted text starting at {@code quote} (the opening quote: {@code '} for a literal,
     * {@code `} for an identifier) into {@code out}, undoing backslash escapes and SQL's doubled quotes.
     *
     * @return the position after the closing quote, or -1 when the text is never closed
     */
    public static int readQuoted(String text, int quote, StringBuilder out) {
        char q = text.charAt(quote);
        int pos = quote + 1;
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == '\\' && pos < text.length()) {
                out.append(TabSeparated.unescape(text.charAt(pos++)));
            } else if (c == q && pos < text.length() && text.charAt(pos) == q) {
                out.append(q); // SQL's doubled quote
                pos++;
            } else if (c == q) {
                return pos;
            } else {
                out.append(c);
            }
        }
        return -1;
    }

    /** True when {@code name} is a bare identifier (letters, digits, _; not a digit first), as setting names are. */
    public static boolean isBareIdentifier(String name) {
        return name != null && BARE.matcher(name).matches();
    }

    /** A string literal in single quotes, with quotes and backslashes escaped. */
    public static String literal(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
