package dev.clickpipes.testkit;

import java.util.ArrayList;
import java.util.List;

/** Splits ClickHouse's TabSeparated output into rows and fields, undoing its escapes. */
final class TabSeparated {

    private TabSeparated() {}

    /**
     * Rows of fields. Each row ends with {@code '\n'}; fields are split at {@code '\t'}; the escapes
     * {@code \t \n \r \b \f \0 \' \\} are undone, and a field that is exactly {@code \N} is NULL
     * ({@code null} in the list).
     */
    static List<List<String>> parse(String text) {
        List<List<String>> rows = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length(); // a last line without its newline still counts
            }
            rows.add(parseRow(text, start, end));
            start = end + 1;
        }
        return rows;
    }

    private static List<String> parseRow(String text, int start, int end) {
        List<String> fields = new ArrayList<>();
        int fieldStart = start;
        for (int i = start; i <= end; i++) {
            if (i == end || text.charAt(i) == '\t') {
                fields.add(unescape(text, fieldStart, i));
                fieldStart = i + 1;
            } else if (text.charAt(i) == '\\') {
                i++; // an escaped character is never a separator
            }
        }
        return fields;
    }

    private static String unescape(String text, int start, int end) {
        if (end - start == 2 && text.charAt(start) == '\\' && text.charAt(start + 1) == 'N') {
            return null;
        }
        if (text.indexOf('\\', start) < 0 || text.indexOf('\\', start) >= end) {
            return text.substring(start, end);
        }
        StringBuilder sb = new StringBuilder(end - start);
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c != '\\' || i + 1 >= end) {
                sb.append(c);
                continue;
            }
            char e = text.charAt(++i);
            switch (e) {
                case 't' -> sb.append('\t');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case '0' -> sb.append('\0');
                default -> sb.append(e); // \\ \' and anything else stand for themselves
            }
        }
        return sb.toString();
    }
}
