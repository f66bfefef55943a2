package dev.clickpipes.clickhouse.types;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The type ClickHouse's CSV and TSV readers infer for a literal written into a Dynamic column ({@code [1,2]},
 * {@code {'a':1}}, in TSV {@code (1,'x')}), as measured on the engine (26.5, default settings), or a refusal where
 * clickpipes-java does not follow it. Elements: integers Int64 (beyond it UInt64, beyond that no type), numbers with a
 * point Float64, {@code true} and {@code false} Bool, quoted strings String ({@code 'YYYY-MM-DD'} Date,
 * {@code 'YYYY-MM-DD hh:mm:ss'} DateTime); an array's elements, a map's keys and its values merge: Int64 and UInt64
 * into UInt64, either with Float64 into Float64, Date with DateTime into DateTime, either with String into String, a
 * scalar with {@code NULL} into Nullable, tuples of one length element by element.
 *
 * <p>Where the engine's inference finds no type it keeps the field's text as a String, and so does this: elements of
 * other kinds side by side ({@code [1,'a']}, {@code [1,true]}), only nulls or no elements ({@code [NULL]},
 * {@code []}, {@code {}}), a tuple with a null, a null map key, exponents, {@code inf}, {@code nan}, hex, bare words,
 * integers beyond UInt64, a doubled quote in a string, text after the literal, an unclosed one; and in CSV a tuple
 * outside an array. Refused, with the reason: what the engine refuses or reads in a way not followed here ({@code +1},
 * {@code 01}, a negative number beside one beyond Int64, a leading or trailing comma, a null beside an array, map or
 * tuple, Bool beside String, dates and times in other forms).
 */
public final class LiteralTypeInference {

    /** Why a literal's type is not followed. */
    public static final class Refused extends Exception {
        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    /** The engine finds no type: it keeps the field's text as a String. */
    private static final class NoType extends Exception {
        NoType() {
            super(null, null, false, false);
        }
    }

    private static final NoType NO_TYPE = new NoType();

    /** An inferred type: no element yet, only nulls, a scalar, an array, a map or a tuple. */
    private record Inferred(String scalar, boolean nullable, boolean negative, Inferred element, Inferred key,
                            List<Inferred> tuple) {
        static final Inferred NOTHING = new Inferred(null, false, false, null, null, null);
        static final Inferred NULL = new Inferred(null, true, false, null, null, null);

        static Inferred scalar(String name, boolean negative) {
            return new Inferred(name, false, negative, null, null, null);
        }

        static Inferred array(Inferred element) {
            return new Inferred(null, false, false, element, null, null);
        }

        static Inferred map(Inferred key, Inferred value) {
            return new Inferred(null, false, false, value, key, null);
        }

        static Inferred tuple(List<Inferred> elements) {
            return new Inferred(null, false, false, null, null, elements);
        }

        boolean isArray() {
            return element != null && key == null;
        }

        boolean isMap() {
            return key != null;
        }

        boolean composite() {
            return element != null || tuple != null;
        }

        /** Whether nothing but nulls (or nothing) went into it: no type. */
        boolean empty() {
            return scalar == null && !composite();
        }

        String text() throws NoType {
            if (isMap()) {
                return "Map(" + key.text() + ", " + element.text() + ")";
            }
            if (isArray()) {
                return "Array(" + element.text() + ")";
            }
            if (tuple != null) {
                List<String> parts = new ArrayList<>();
                for (Inferred e : tuple) {
                    parts.add(e.text());
                }
                return "Tuple(" + String.join(", ", parts) + ")";
            }
            if (scalar == null) {
                throw NO_TYPE;
            }
            return nullable ? "Nullable(" + scalar + ")" : scalar;
        }
    }

    /** Deepest nesting followed: a hostile field of many brackets must not overflow the stack. */
    static final int MAX_DEPTH = 100;

    private final String text;
    private int pos;
    private int depth;

    private LiteralTypeInference(String text) {
        this.text = text;
    }

    /** Whether a field's text is a literal, whose type {@link #typeOf} gives (a CSV tuple: String). */
    public static boolean isLiteral(String text) {
        return !text.isEmpty() && "[{(".indexOf(text.charAt(0)) >= 0;
    }

    /**
     * The engine's type for a field that {@link #isLiteral} (its TSV escapes or CSV quotes undone), as ClickHouse names
     * it; {@code String} where the engine keeps the text.
     *
     * @param tsv true for a TSV field, false for a CSV one
     */
    public static String typeOf(String text, boolean tsv) throws Refused {
        if (!tsv && text.startsWith("(")) {
            return "String"; // the CSV reader infers no tuple outside an array
        }
        LiteralTypeInference reader = new LiteralTypeInference(text);
        try {
            Inferred type = reader.value();
            reader.skipSpaces();
            if (reader.pos != text.length()) {
                return "String"; // text after the literal
            }
            return type.text();
        } catch (NoType e) {
            return "String";
        }
    }

    private Inferred value() throws NoType, Refused {
        skipSpaces();
        if (pos >= text.length()) {
            throw NO_TYPE;
        }
        char c = text.charAt(pos);
        if ("[{(".indexOf(c) >= 0 && ++depth > MAX_DEPTH) {
            throw new Refused("nested more than " + MAX_DEPTH + " deep");
        }
        Inferred v = switch (c) {
            case '[' -> array();
            case '{' -> map();
            case '(' -> tuple();
            case '\'' -> Inferred.scalar(string(), false);
            default -> bare();
        };
        if ("[{(".indexOf(c) >= 0) {
            depth--;
        }
        return v;
    }

    private Inferred array() throws NoType, Refused {
        Inferred element = Inferred.NOTHING;
        for (Inferred e : elements('[', ']')) {
            element = merge(element, e);
        }
        return Inferred.array(element);
    }

    private Inferred map() throws NoType, Refused {
        pos++;
        Inferred key = Inferred.NOTHING;
        Inferred value = Inferred.NOTHING;
        skipSpaces();
        if (peek() == '}') {
            throw NO_TYPE; // {}: no key or value type
        }
        while (true) {
            Inferred k = value();
            if (k.nullable) {
                throw NO_TYPE;
            }
            key = merge(key, k);
            skipSpaces();
            if (peek() != ':') {
                throw NO_TYPE;
            }
            pos++;
            value = merge(value, value());
            if (!separator('}')) {
                break;
            }
        }
        if (value.empty()) {
            throw NO_TYPE; // only nulls
        }
        return Inferred.map(key, value);
    }

    private Inferred tuple() throws NoType, Refused {
        List<Inferred> elements = elements('(', ')');
        if (elements.isEmpty()) {
            throw NO_TYPE;
        }
        for (Inferred e : elements) {
            if (e.nullable || e.empty()) {
                throw NO_TYPE; // (NULL, 1) and [(1, NULL)] are Strings to the engine
            }
        }
        return Inferred.tuple(elements);
    }

    /** The elements of an array or tuple, from its opening bracket to its closing one. */
    private List<Inferred> elements(char open, char close) throws NoType, Refused {
        pos++;
        List<Inferred> out = new ArrayList<>();
        skipSpaces();
        if (peek() == close) {
            pos++;
            return out;
        }
        while (true) {
            skipSpaces();
            if (peek() == ',' || peek() == close) {
                throw new Refused("an empty element before '" + peek() + "', which ClickHouse reads as a zero value");
            }
            out.add(value());
            if (!separator(close)) {
                return out;
            }
        }
    }

    /** After an element: true on a comma, false on the closing bracket; no type on anything else. */
    private boolean separator(char close) throws NoType {
        skipSpaces();
        char c = peek();
        if (c == ',') {
            pos++;
            return true;
        }
        if (c != close) {
            throw NO_TYPE;
        }
        pos++;
        return false;
    }

    /** A quoted string's type: Date, DateTime or String. */
    private String string() throws NoType, Refused {
        StringBuilder out = new StringBuilder();
        pos++;
        while (true) {
            if (pos >= text.length()) {
                throw NO_TYPE; // never closed
            }
            char c = text.charAt(pos++);
            if (c == '\\' && pos < text.length()) {
                out.append(text.charAt(pos++)); // escaped: kept whatever it is, for the type only the dates matter
            } else if (c == '\'') {
                if (peek() == '\'') {
                    throw NO_TYPE; // a doubled quote: the engine keeps the text
                }
                break;
            } else {
                out.append(c);
            }
        }
        try {
            return JsonTypeInference.typeOfString(out.toString());
        } catch (JsonTypeInference.Refused e) {
            throw new Refused("the string '" + out + "' " + e.getMessage());
        }
    }

    /** NULL, a Bool or a number; any other bare word has no type. */
    private Inferred bare() throws NoType, Refused {
        int start = pos;
        while (pos < text.length() && ",]}):".indexOf(text.charAt(pos)) < 0 && !Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
        String word = text.substring(start, pos);
        switch (word) {
            case "NULL" -> {
                return Inferred.NULL;
            }
            case "true", "false" -> {
                return Inferred.scalar("Bool", false);
            }
            default -> {
                return number(word);
            }
        }
    }

    private static Inferred number(String word) throws NoType, Refused {
        if (word.startsWith("+")) {
            throw new Refused("the number " + word + " after a '+', which ClickHouse's reader refuses in a literal");
        }
        if (DynamicColumn.CSV_INTEGER.matcher(word).matches()) {
            String digits = word.startsWith("-") ? word.substring(1) : word;
            if (digits.length() > 1 && digits.charAt(0) == '0') {
                throw new Refused("the number " + word + " with a leading zero, which ClickHouse's reader refuses in a literal");
            }
            BigInteger n = new BigInteger(word);
            if (n.bitLength() < 64) {
                return Inferred.scalar("Int64", n.signum() < 0);
            }
            if (n.signum() > 0 && n.bitLength() == 64) {
                return Inferred.scalar("UInt64", false);
            }
            throw NO_TYPE; // beyond UInt64 (or Int64, negative)
        }
        if (DynamicColumn.FRACTION.matcher(word).matches()) {
            return Inferred.scalar("Float64", false);
        }
        throw NO_TYPE; // exponents, inf, nan, hex, words
    }

    private static Inferred merge(Inferred a, Inferred b) throws NoType, Refused {
        if (a.empty() || b.empty()) {
            Inferred other = a.empty() ? b : a;
            boolean nulls = a.nullable || b.nullable;
            if (other.composite() && nulls) {
                throw new Refused("a NULL beside an array, map or tuple, which ClickHouse reads as its zero value");
            }
            return other.composite() ? other : new Inferred(other.scalar, other.nullable || nulls, other.negative,
                    null, null, null);
        }
        if (a.isMap() && b.isMap()) {
            return Inferred.map(merge(a.key, b.key), merge(a.element, b.element));
        }
        if (a.isArray() && b.isArray()) {
            return Inferred.array(merge(a.element, b.element));
        }
        if (a.tuple != null && b.tuple != null) {
            if (a.tuple.size() != b.tuple.size()) {
                throw NO_TYPE;
            }
            List<Inferred> merged = new ArrayList<>();
            for (int i = 0; i < a.tuple.size(); i++) {
                merged.add(merge(a.tuple.get(i), b.tuple.get(i)));
            }
            return Inferred.tuple(merged);
        }
        if (a.composite() || b.composite()) {
            throw NO_TYPE;
        }
        boolean nullable = a.nullable || b.nullable;
        boolean negative = a.negative || b.negative;
        String x = a.scalar;
        String y = b.scalar;
        String merged = x.equals(y) ? x : mergeScalars(x, y, negative);
        return new Inferred(merged, nullable, negative, null, null, null);
    }

    private static String mergeScalars(String x, String y, boolean negative) throws NoType, Refused {
        if (numeric(x) && numeric(y)) {
            if (x.equals("Float64") || y.equals("Float64")) {
                return "Float64";
            }
            if (negative) {
                throw new Refused("a negative number beside one beyond Int64, which ClickHouse's reader refuses");
            }
            return "UInt64";
        }
        if (dateOrTime(x) && dateOrTime(y)) {
            return "DateTime";
        }
        if ((dateOrTime(x) || x.equals("String")) && (dateOrTime(y) || y.equals("String"))) {
            return "String";
        }
        if (x.equals("Bool") && y.equals("String") || x.equals("String") && y.equals("Bool")) {
            throw new Refused("Bool beside String, whose type ClickHouse's reader was not measured on");
        }
        throw NO_TYPE;
    }

    private static boolean numeric(String scalar) {
        return scalar.equals("Int64") || scalar.equals("UInt64") || scalar.equals("Float64");
    }

    private static boolean dateOrTime(String scalar) {
        return scalar.equals("Date") || scalar.equals("DateTime");
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void skipSpaces() {
        while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
            pos++;
        }
    }
}
