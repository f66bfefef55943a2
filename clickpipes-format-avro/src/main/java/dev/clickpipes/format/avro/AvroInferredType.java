package dev.clickpipes.format.avro;

import java.util.List;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * The ClickHouse type the engine's Avro schema inference gives a schema ({@code DESCRIBE file(..., Avro)}): what a
 * Dynamic column keeps as the type of a value of that schema, instead of inferring one from the value as JSON text
 * would. Null for a union (each value keeps the type of its branch), for null, and for a recursive record (which no
 * ClickHouse type holds).
 */
final class AvroInferredType {

    private AvroInferredType() {
    }

    static String of(Schema s) {
        try {
            return of(s, new java.util.HashSet<>());
        } catch (Recursive e) {
            return null;
        }
    }

    /** A record met again inside itself. */
    private static final class Recursive extends RuntimeException {
        Recursive() {
            super(null, null, false, false);
        }
    }

    private static String of(Schema s, java.util.Set<Schema> records) {
        LogicalType logical = s.getLogicalType();
        return switch (s.getType()) {
            case NULL, UNION -> null;
            case BOOLEAN -> "Bool";
            case INT -> logical instanceof LogicalTypes.Date ? "Date32" : "Int32"; // time-millis too
            case LONG -> logical == null ? "Int64" : switch (logical.getName()) {
                case "timestamp-millis" -> "DateTime64(3)";
                case "timestamp-micros" -> "DateTime64(6)";
                case "timestamp-nanos" -> "DateTime64(9)";
                default -> "Int64"; // time-micros and the local timestamps too
            };
            case FLOAT -> "Float32";
            case DOUBLE -> "Float64";
            case STRING -> logical != null && "uuid".equals(logical.getName()) ? "UUID" : "String";
            case BYTES -> logical instanceof LogicalTypes.Decimal d ? decimal(d) : "String";
            case FIXED -> logical instanceof LogicalTypes.Decimal d ? decimal(d)
                    : logical != null && "uuid".equals(logical.getName()) && s.getFixedSize() == 16 ? "UUID"
                    : "FixedString(" + s.getFixedSize() + ")";
            case ENUM -> enumType(s.getEnumSymbols());
            case ARRAY -> "Array(" + member(s.getElementType(), records) + ")";
            case MAP -> "Map(String, " + member(s.getValueType(), records) + ")";
            case RECORD -> {
                if (!records.add(s)) {
                    throw new Recursive();
                }
                String tuple = tuple(s, records);
                records.remove(s);
                yield tuple;
            }
        };
    }

    private static String decimal(LogicalTypes.Decimal d) {
        return "Decimal(" + d.getPrecision() + ", " + d.getScale() + ")";
    }

    /** Enum8 up to 128 symbols, numbered from 0 as in the schema, else Enum16. */
    private static String enumType(List<String> symbols) {
        StringBuilder out = new StringBuilder(symbols.size() <= 128 ? "Enum8(" : "Enum16(");
        for (int i = 0; i < symbols.size(); i++) {
            out.append(i > 0 ? ", " : "").append('\'').append(symbols.get(i).replace("\\", "\\\\").replace("'", "\\'"))
                    .append("' = ").append(i);
        }
        return out.append(')').toString();
    }

    private static String tuple(Schema record, java.util.Set<Schema> records) {
        StringBuilder out = new StringBuilder("Tuple(");
        List<Schema.Field> fields = record.getFields();
        for (int i = 0; i < fields.size(); i++) {
            String name = fields.get(i).name();
            out.append(i > 0 ? ", " : "").append(name.matches("[A-Za-z_][A-Za-z0-9_]*") ? name : "`" + name + "`")
                    .append(' ').append(member(fields.get(i).schema(), records));
        }
        return out.append(')').toString();
    }

    /**
     * A type inside an Array, Map or Tuple: a union of null and one type is that type, Nullable where it can be
     * (the engine's only union besides a Variant of its branches).
     */
    static String member(Schema s) {
        try {
            return member(s, new java.util.HashSet<>());
        } catch (Recursive e) {
            return null;
        }
    }

    private static String member(Schema s, java.util.Set<Schema> records) {
        if (s.getType() != Schema.Type.UNION) {
            return of(s, records);
        }
        List<Schema> branches = s.getTypes().stream().filter(b -> b.getType() != Schema.Type.NULL).toList();
        boolean nullable = branches.size() < s.getTypes().size();
        if (branches.size() == 1) {
            String t = of(branches.get(0), records);
            return nullable && !t.startsWith("Array(") && !t.startsWith("Map(") && !t.startsWith("Tuple(")
                    ? "Nullable(" + t + ")" : t;
        }
        StringBuilder out = new StringBuilder("Variant(");
        List<String> types = new java.util.ArrayList<>();
        for (Schema b : branches) {
            types.add(member(b, records));
        }
        java.util.Collections.sort(types);
        return out.append(String.join(", ", types)).append(')').toString();
    }
}
