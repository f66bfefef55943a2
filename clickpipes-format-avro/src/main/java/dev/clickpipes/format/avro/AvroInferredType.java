package dev.clickpipes.format.avro;

import dev.clickpipes.clickhouse.types.TypeText;
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

    /** An enum's symbols, numbered from 0 as in the schema. */
    private static String enumType(List<String> symbols) {
        return TypeText.enumOf(symbols, java.util.stream.IntStream.range(0, symbols.size()).boxed().toList());
    }

    private static String tuple(Schema record, java.util.Set<Schema> records) {
        List<String> names = new java.util.ArrayList<>();
        List<String> types = new java.util.ArrayList<>();
        for (Schema.Field f : record.getFields()) {
            names.add(f.name());
            types.add(member(f.schema(), records));
        }
        return TypeText.tuple(names, types);
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
            return nullable ? TypeText.nullable(t) : t;
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
