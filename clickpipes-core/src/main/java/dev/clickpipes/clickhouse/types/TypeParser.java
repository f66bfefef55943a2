package dev.clickpipes.clickhouse.types;

import dev.clickpipes.clickhouse.SqlNames;
import java.util.ArrayList;
import java.util.List;

/**
 * Recursive-descent parser for ClickHouse's type grammar: {@code Name}, {@code Name(args)}, where
 * an argument is a type, a number, a quoted string, an enum entry {@code 'a' = 1}, or a named
 * element {@code name Type} (Tuple, Nested). Nesting has no depth limit.
 */
final class TypeParser {

    private final String src;
    private int pos;

    private TypeParser(String src) {
        this.src = src;
    }

    static DataType parse(String text) {
        TypeParser p = new TypeParser(text);
        DataType t = p.type(null);
        p.skipSpaces();
        if (p.pos != text.length()) {
            throw p.error("unexpected '" + text.substring(p.pos) + "'");
        }
        return t;
    }

    private DataType type(String fieldName) {
        skipSpaces();
        int start = pos;
        String name = identifier();
        skipSpaces();
        // "name Type" inside Tuple(...) / Nested(...): an element name followed by its type.
        if (pos < src.length() && (Character.isLetter(src.charAt(pos)) || src.charAt(pos) == '`')
                && fieldName == null) {
            return type(unquote(name));
        }
        List<DataType> arguments = new ArrayList<>();
        List<String> parameters = new ArrayList<>();
        if (pos < src.length() && src.charAt(pos) == '(') {
            pos++;
            if ("JSON".equals(name) || "Object".equals(name) || "AggregateFunction".equals(name)) {
                // Settings and function names, not types: kept as written.
                parameters.add(balancedUntilClose());
            } else if ("SimpleAggregateFunction".equals(name)) {
                // SimpleAggregateFunction(f, T): the function as written (it may have parameters of
                // its own, as in quantile(0.5)), then the type of its values.
                parameters.add(functionUntilComma());
                arguments.add(type(null));
                skipSpaces();
                expect(')');
            } else {
                do {
                    skipSpaces();
                    argument(arguments, parameters);
                    skipSpaces();
                } while (consume(','));
                expect(')');
            }
        }
        String text = src.substring(start, pos).strip();
        return new DataType(name, List.copyOf(arguments), List.copyOf(parameters), fieldName, text);
    }

    private void argument(List<DataType> arguments, List<String> parameters) {
        char c = peek();
        if (c == '\'') {
            String literal = quoted();
            skipSpaces();
            if (consume('=')) {
                skipSpaces();
                parameters.add(literal + " = " + number());
            } else {
                parameters.add(literal);
            }
        } else if (c == '-' || Character.isDigit(c)) {
            parameters.add(number());
        } else {
            arguments.add(type(null));
        }
    }

    private String identifier() {
        int start = pos;
        if (pos < src.length() && src.charAt(pos) == '`') {
            pos = src.indexOf('`', pos + 1) + 1;
            if (pos == 0) {
                throw error("unclosed `");
            }
            return src.substring(start, pos);
        }
        while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos))
                || src.charAt(pos) == '_' || src.charAt(pos) == '.')) {
            pos++;
        }
        if (start == pos) {
            throw error("expected a type name");
        }
        return src.substring(start, pos);
    }

    private String number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
            pos++;
        }
        if (start == pos) {
            throw error("expected a number");
        }
        return src.substring(start, pos);
    }

    private String quoted() {
        StringBuilder out = new StringBuilder();
        pos = SqlNames.readQuoted(src, pos, out);
        if (pos < 0) {
            pos = src.length();
            throw error("unclosed string");
        }
        return out.toString();
    }

    private String balancedUntilClose() {
        int start = pos;
        int depth = 1;
        while (pos < src.length()) {
            char c = src.charAt(pos++);
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return src.substring(start, pos - 1).strip();
            } else if (c == '\'') {
                pos--;
                quoted();
            }
        }
        throw error("unclosed (");
    }

    /** The text up to the next comma outside parentheses and quotes, which is consumed. */
    private String functionUntilComma() {
        int start = pos;
        int depth = 0;
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '\'') {
                quoted();
                continue;
            }
            pos++;
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                return src.substring(start, pos - 1).strip();
            }
        }
        throw error("expected ', type' after the function");
    }

    private static String unquote(String name) {
        return name.startsWith("`") ? name.substring(1, name.length() - 1) : name;
    }

    private char peek() {
        return pos < src.length() ? src.charAt(pos) : '\0';
    }

    private boolean consume(char c) {
        if (peek() == c) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(char c) {
        if (!consume(c)) {
            throw error("expected '" + c + "'");
        }
    }

    private void skipSpaces() {
        while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) {
            pos++;
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("cannot parse ClickHouse type '" + src + "' at position "
                + pos + ": " + what);
    }
}
