package dev.clickpipes.clickhouse.types;

import dev.clickpipes.clickhouse.SqlNames;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The type ClickHouse's JSONEachRow infers for an array or object written into a Dynamic column, as
 * measured on the engine (26.5, default settings), or a refusal where clickpipes-java does not follow
 * it. An array's type is {@code Array} of its elements' types merged; an object's a named
 * {@code Tuple} of its fields' types, its fields sorted by name; arrays of objects merge the fields of
 * all of them (a field an object lacks takes its zero value). Scalars infer as at the top level:
 * Int64, UInt64 (0 to 2^64-1 beyond Int64), Float64, Bool, String, and Date or DateTime for strings
 * {@code YYYY-MM-DD} and {@code YYYY-MM-DD hh:mm:ss}. Merging: Bool, Int64 and UInt64 into the widest
 * (UInt64 only without negative numbers), with any Float64 into Float64; Bool, Date, DateTime and
 * String with any String or Bool into String; two arrays into an array of their elements merged; two
 * objects field by field; null into Nullable of a scalar (into an array or object: their zero value);
 * what holds only nulls or no elements into String.
 *
 * <p>Refused, with the reason: what the engine infers as {@code Array(Dynamic)} or a {@code Dynamic}
 * inside (numbers beside strings, arrays beside scalars, a negative number beside one beyond Int64, and
 * more), empty objects and integers beyond UInt64 (the engine keeps their JSON text as a String),
 * object keys that are not plain identifiers, repeated keys, Date beside DateTime, and strings that
 * start like other dates or times.
 */
final class JsonTypeInference {

    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern DATE_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}");
    /** What the engine's inference may read as a date or time: digits and a date separator, or digits after white space. */
    private static final Pattern DATE_LIKE = Pattern.compile("\\s*\\d+[-/]\\d.*|\\s+\\d.*", Pattern.DOTALL);

    /** Why a value's type is not followed; the message names the value's part. */
    static final class Refused extends Exception {
        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    /** An inferred type: nothing yet (no elements, or only nulls), a scalar, an array, or a named tuple. */
    private record Inferred(String scalar, boolean nullable, boolean negative, Inferred element,
                            Map<String, Inferred> fields) {
        static final Inferred NOTHING = new Inferred(null, false, false, null, null);

        boolean nothing() {
            return scalar == null && element == null && fields == null;
        }

        boolean composite() {
            return element != null || fields != null;
        }

        Inferred orNull(boolean n) {
            return new Inferred(scalar, nullable || n, negative, element, fields);
        }

        String text() {
            if (element != null) {
                return "Array(" + element.text() + ")";
            }
            if (fields != null) {
                List<String> parts = new ArrayList<>();
                fields.forEach((name, type) -> parts.add(name + " " + type.text()));
                return "Tuple(" + String.join(", ", parts) + ")";
            }
            String name = scalar == null ? "String" : scalar;
            return nullable ? "Nullable(" + name + ")" : name;
        }
    }

    private JsonTypeInference() {
    }

    /** The engine's type for an array or object, as ClickHouse names it. */
    static String typeOf(RecordedValue value) throws Refused {
        return infer(value).text();
    }

    private static Inferred infer(RecordedValue v) throws Refused {
        return switch (v.kind) {
            case NULL -> Inferred.NOTHING.orNull(true);
            case BOOLEAN -> scalar("Bool", false);
            case NUMBER -> number(v);
            case STRING -> string(v.text);
            case ARRAY -> {
                Inferred element = Inferred.NOTHING;
                for (RecordedValue e : v.elements) {
                    element = merge(element, infer(e), v);
                }
                yield new Inferred(null, false, false, element, null);
            }
            case OBJECT -> {
                if (v.keys.isEmpty()) {
                    throw new Refused("an empty object, which ClickHouse keeps as its JSON text");
                }
                Map<String, Inferred> fields = new TreeMap<>();
                for (int i = 0; i < v.keys.size(); i++) {
                    String key = v.keys.get(i);
                    if (!SqlNames.isBareIdentifier(key)) {
                        throw new Refused("the key \"" + key + "\", not a plain identifier (letters, digits, _)");
                    }
                    if (fields.put(key, infer(v.elements.get(i))) != null) {
                        throw new Refused("the key \"" + key + "\" more than once");
                    }
                }
                yield new Inferred(null, false, false, null, fields);
            }
        };
    }

    private static Inferred scalar(String name, boolean negative) {
        return new Inferred(name, false, negative, null, null);
    }

    private static Inferred number(RecordedValue v) throws Refused {
        if (!v.integer()) {
            return scalar("Float64", false);
        }
        BigInteger n = new BigInteger(v.text);
        if (n.bitLength() < 64) {
            return scalar("Int64", n.signum() < 0);
        }
        if (n.signum() > 0 && n.bitLength() == 64) {
            return scalar("UInt64", false);
        }
        throw new Refused("the integer " + v.text + " beyond UInt64, with which ClickHouse keeps the whole value's JSON text");
    }

    private static Inferred string(String s) throws Refused {
        return scalar(typeOfString(s), false);
    }

    /** The engine's type for a string: Date, DateTime or String; refuses other strings that start like a date or time. */
    static String typeOfString(String s) throws Refused {
        boolean date = DATE.matcher(s).matches();
        if (date || DATE_TIME.matcher(s).matches()) {
            // the engine keeps "2024-13-01", "2024-01-32" and "0000-01-01" Strings: no year, month or day of that number
            return !calendarShaped(s) ? "String" : date ? "Date" : "DateTime";
        }
        if (DATE_LIKE.matcher(s).matches()) {
            throw new Refused("may be read as a date or time by ClickHouse's inference, which clickpipes-java does "
                    + "not follow beyond YYYY-MM-DD and YYYY-MM-DD hh:mm:ss; give the field a typed column");
        }
        return "String";
    }

    /** Whether the {@code YYYY-MM-DD} the text starts with has a year from 1, a month 1-12 and a day 1-31. */
    private static boolean calendarShaped(String s) {
        int year = Integer.parseInt(s, 0, 4, 10);
        int month = Integer.parseInt(s, 5, 7, 10);
        int day = Integer.parseInt(s, 8, 10, 10);
        return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= 31;
    }

    private static Inferred merge(Inferred a, Inferred b, RecordedValue where) throws Refused {
        if (a.nothing() || b.nothing()) {
            Inferred other = a.nothing() ? b : a;
            boolean nulls = a.nullable || b.nullable;
            return other.composite() ? other : other.orNull(nulls); // null in an array or object: its zero value
        }
        if (a.element != null && b.element != null) {
            return new Inferred(null, false, false, merge(a.element, b.element, where), null);
        }
        if (a.fields != null && b.fields != null) {
            Map<String, Inferred> fields = new TreeMap<>(a.fields);
            for (Map.Entry<String, Inferred> f : b.fields.entrySet()) {
                Inferred mine = fields.get(f.getKey());
                fields.put(f.getKey(), mine == null ? f.getValue() : merge(mine, f.getValue(), where));
            }
            return new Inferred(null, false, false, null, fields);
        }
        if (a.composite() || b.composite()) {
            throw mixed(a, b, where);
        }
        boolean nullable = a.nullable || b.nullable;
        boolean negative = a.negative || b.negative;
        String x = a.scalar;
        String y = b.scalar;
        if (x.equals(y)) {
            return new Inferred(x, nullable, negative, null, null);
        }
        if (numeric(x) && numeric(y)) {
            if (x.equals("Float64") || y.equals("Float64")) {
                return new Inferred("Float64", nullable, false, null, null);
            }
            if (x.equals("UInt64") || y.equals("UInt64")) {
                if (negative) {
                    throw mixed(a, b, where);
                }
                return new Inferred("UInt64", nullable, false, null, null);
            }
            return new Inferred("Int64", nullable, negative, null, null);
        }
        if (textual(x) && textual(y) && (x.equals("String") || y.equals("String") || x.equals("Bool") || y.equals("Bool"))) {
            return new Inferred("String", nullable, false, null, null);
        }
        throw mixed(a, b, where);
    }

    private static boolean numeric(String scalar) {
        return scalar.equals("Bool") || scalar.equals("Int64") || scalar.equals("UInt64") || scalar.equals("Float64");
    }

    private static boolean textual(String scalar) {
        return scalar.equals("Bool") || scalar.equals("String") || scalar.equals("Date") || scalar.equals("DateTime");
    }

    private static Refused mixed(Inferred a, Inferred b, RecordedValue where) {
        return new Refused(a.text() + " beside " + b.text() + " in " + where
                + ", which ClickHouse infers as Dynamic inside (or another type clickpipes-java does not follow)");
    }
}
