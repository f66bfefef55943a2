package dev.clickpipes.clickhouse.ddl;

import java.math.BigInteger;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the sample values of one field looked like, merged into the narrowest ClickHouse type that
 * holds them all: integer ranges, floats, booleans, dates and date-times (and their fraction
 * digits), UUIDs, strings (and how repetitive), arrays of a shape, objects of named shapes, and
 * whether a null was seen. Values of incompatible kinds widen to String.
 */
final class ValueShape {

    private enum Kind { NONE, BOOL, INTEGER, FLOAT, DATE, DATETIME, UUID, STRING, ARRAY, OBJECT }

    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern DATETIME = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}:\\d{2}(\\.(\\d{1,9}))?(Z|[+-]\\d{2}(:?\\d{2})?)?");
    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final int DISTINCT_CAP = 10_000;

    private Kind kind = Kind.NONE;
    private boolean sawNull;
    private long values;
    private BigInteger min;
    private BigInteger max;
    private int fractionDigits;
    private final Set<String> distinct = new HashSet<>();
    private ValueShape element;
    private final Map<String, ValueShape> fields = new LinkedHashMap<>();

    void observeNull() {
        sawNull = true;
    }

    void observeBoolean() {
        merge(Kind.BOOL);
    }

    void observeInteger(BigInteger v) {
        merge(Kind.INTEGER);
        min = min == null || v.compareTo(min) < 0 ? v : min;
        max = max == null || v.compareTo(max) > 0 ? v : max;
    }

    void observeFloat() {
        merge(Kind.FLOAT);
    }

    /** A JSON string, or a text field: its shape decides between dates, UUIDs and strings. */
    void observeText(String s) {
        var dt = DATETIME.matcher(s);
        if (DATE.matcher(s).matches()) {
            merge(Kind.DATE);
        } else if (dt.matches()) {
            merge(Kind.DATETIME);
            fractionDigits = Math.max(fractionDigits, dt.group(2) == null ? 0 : dt.group(2).length());
        } else if (UUID.matcher(s).matches()) {
            merge(Kind.UUID);
        } else {
            merge(Kind.STRING);
        }
        if (distinct.size() < DISTINCT_CAP) {
            distinct.add(s);
        }
    }

    /** A CSV or TSV field: numbers and booleans are recognised from their text. */
    void observeTextField(String s) {
        if (s.isEmpty() || s.equals("\\N")) {
            observeNull();
        } else if (s.matches("-?\\d{1,40}")) {
            observeInteger(new BigInteger(s));
        } else if (s.matches("-?\\d*\\.\\d+([eE][-+]?\\d+)?|-?\\d+[eE][-+]?\\d+")) {
            observeFloat();
        } else if (s.equals("true") || s.equals("false")) {
            observeBoolean();
        } else {
            observeText(s);
        }
    }

    /** The shape of an array's elements (all arrays of this field share one). */
    ValueShape arrayElement() {
        merge(Kind.ARRAY);
        if (element == null) {
            element = new ValueShape();
        }
        return element;
    }

    /** The shape of an object's field {@code name}. */
    ValueShape objectField(String name) {
        merge(Kind.OBJECT);
        return fields.computeIfAbsent(name, n -> new ValueShape());
    }

    private void merge(Kind seen) {
        values++;
        if (kind == Kind.NONE || kind == seen) {
            kind = seen;
        } else if (isNumber(kind) && isNumber(seen)) {
            kind = Kind.FLOAT;
        } else if (isTime(kind) && isTime(seen)) {
            kind = Kind.DATETIME;
        } else {
            kind = Kind.STRING;
        }
    }

    private static boolean isNumber(Kind k) {
        return k == Kind.INTEGER || k == Kind.FLOAT;
    }

    private static boolean isTime(Kind k) {
        return k == Kind.DATE || k == Kind.DATETIME;
    }

    /** The narrowest ClickHouse type for what was seen. */
    String type(SchemaInference.Options options) {
        String base = switch (kind) {
            case NONE -> "String";
            case BOOL -> "Bool";
            case INTEGER -> integerType();
            case FLOAT -> "Float64";
            case DATE -> "Date";
            case DATETIME -> fractionDigits == 0 ? "DateTime" : "DateTime64(" + (fractionDigits <= 3 ? 3 : fractionDigits <= 6 ? 6 : 9) + ")";
            case UUID -> "UUID";
            case STRING -> "String";
            case ARRAY -> "Array(" + element.type(options) + ")";
            case OBJECT -> tupleType(options);
        };
        if (kind == Kind.ARRAY || kind == Kind.OBJECT) {
            return base; // Array and Tuple cannot be Nullable
        }
        String type = sawNull || kind == Kind.NONE ? "Nullable(" + base + ")" : base;
        if (kind == Kind.STRING && options.lowCardinality() && isRepetitive(options)) {
            type = "LowCardinality(" + type + ")";
        }
        return type;
    }

    private boolean isRepetitive(SchemaInference.Options options) {
        return distinct.size() < DISTINCT_CAP && distinct.size() <= values * options.lowCardinalityRatio();
    }

    private String integerType() {
        String[] unsigned = {"UInt8", "UInt16", "UInt32", "UInt64", "UInt128", "UInt256"};
        String[] signed = {"Int8", "Int16", "Int32", "Int64", "Int128", "Int256"};
        boolean negative = min.signum() < 0;
        for (int i = 0, bits = 8; i < unsigned.length; i++, bits *= 2) {
            if (negative) {
                BigInteger limit = BigInteger.ONE.shiftLeft(bits - 1);
                if (min.compareTo(limit.negate()) >= 0 && max.compareTo(limit) < 0) {
                    return signed[i];
                }
            } else if (max.bitLength() <= bits) {
                return unsigned[i];
            }
        }
        return "Float64";
    }

    private String tupleType(SchemaInference.Options options) {
        StringBuilder t = new StringBuilder("Tuple(");
        String separator = "";
        for (Map.Entry<String, ValueShape> f : fields.entrySet()) {
            t.append(separator).append('`').append(f.getKey().replace("`", "\\`")).append("` ")
                    .append(f.getValue().type(options));
            separator = ", ";
        }
        return t.append(')').toString();
    }
}
