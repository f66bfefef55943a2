package dev.clickpipes.clickhouse.types;

import java.util.List;

/**
 * A parsed ClickHouse data type, such as {@code Array(Nullable(DateTime64(3, 'UTC')))}.
 *
 * @param name       the type's name, such as {@code Array} or {@code DateTime64}
 * @param arguments  nested types (of Array, Nullable, Tuple, Map, LowCardinality, ...)
 * @param parameters literal parameters as written, quotes removed from strings
 *                   ({@code 3} and {@code UTC} for {@code DateTime64(3, 'UTC')}; {@code a = 1} entries for enums)
 * @param fieldName  the element's name inside a named Tuple or Nested, else {@code null}
 * @param text       the type exactly as ClickHouse spells it (used in Native block headers)
 */
public record DataType(String name, List<DataType> arguments, List<String> parameters,
                       String fieldName, String text) {

    /** Parses a type as ClickHouse prints it in {@code system.columns}. */
    public static DataType parse(String text) {
        return TypeParser.parse(text);
    }

    /** The first nested type; fails clearly when there is none. */
    public DataType argument(int i) {
        if (i >= arguments.size()) {
            throw new IllegalArgumentException(text + " has no type argument " + i);
        }
        return arguments.get(i);
    }

    /** The literal parameter {@code i}, or {@code fallback} when absent. */
    public String parameter(int i, String fallback) {
        return i < parameters.size() ? parameters.get(i) : fallback;
    }

    @Override
    public String toString() {
        return text;
    }
}
