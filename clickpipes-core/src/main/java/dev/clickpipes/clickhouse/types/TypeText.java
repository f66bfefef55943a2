package dev.clickpipes.clickhouse.types;

import dev.clickpipes.clickhouse.SqlNames;
import java.util.List;

/**
 * Pieces of ClickHouse type text, as the engine writes them, for the decoders that name the type a format's schema
 * gives a value (Parquet, Avro, Protobuf into Dynamic columns): one spelling of Nullable, Tuple elements and enums.
 */
public final class TypeText {

    private TypeText() {
    }

    /** {@code Nullable(type)}, or {@code type} itself for Array, Map and Tuple, which ClickHouse does not wrap. */
    public static String nullable(String type) {
        return type.startsWith("Array(") || type.startsWith("Map(") || type.startsWith("Tuple(")
                ? type : "Nullable(" + type + ")";
    }

    /** {@code Tuple(a T, ...)} of the elements' names and types, a name in backquotes where it is not bare. */
    public static String tuple(List<String> names, List<String> types) {
        StringBuilder out = new StringBuilder("Tuple(");
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            out.append(i > 0 ? ", " : "").append(SqlNames.isBareIdentifier(name) ? name : SqlNames.quote(name))
                    .append(' ').append(types.get(i));
        }
        return out.append(')').toString();
    }

    /** {@code Enum8('a' = 0, ...)} of the names and their numbers; Enum16 when a number does not fit in a byte. */
    public static String enumOf(List<String> names, List<Integer> numbers) {
        boolean small = numbers.stream().allMatch(n -> n >= Byte.MIN_VALUE && n <= Byte.MAX_VALUE);
        StringBuilder out = new StringBuilder(small ? "Enum8(" : "Enum16(");
        for (int i = 0; i < names.size(); i++) {
            out.append(i > 0 ? ", " : "").append(SqlNames.literal(names.get(i))).append(" = ").append(numbers.get(i));
        }
        return out.append(')').toString();
    }
}
