package dev.clickpipes.clickhouse.types;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The order in which ClickHouse tries a Variant's types on a text value (its
 * {@code SerializationVariant::getVariantsDeserializeTextOrder}): enums, then UUID and IP addresses,
 * then integers small to large, decimals, floats, then dates and date-times, then FixedString and
 * String last; Bool just before the integers; LowCardinality ranks as its inner type, just ahead of
 * it; every other type (Time, Interval, ...) after String. Variants of scalar types only.
 */
final class VariantOrder {

    /** From first tried to last, as the engine lists them. */
    private static final List<String> PRIORITY = List.of(
            "Enum8", "Enum16", "UUID", "IPv4", "IPv6",
            "Int8", "UInt8", "Int16", "UInt16", "Int32", "UInt32", "Int64", "UInt64",
            "Int128", "UInt128", "Int256", "UInt256",
            "Decimal32", "Decimal64", "Decimal128", "Decimal256", "Float32", "Float64",
            "Date", "Date32", "DateTime", "DateTime64", "FixedString", "String");

    private static final Set<String> COMPOSITE = Set.of("Array", "Tuple", "Map", "Nested", "JSON", "Object",
            "Point", "Ring", "LineString", "Polygon", "MultiLineString", "MultiPolygon", "AggregateFunction");

    private VariantOrder() {
    }

    /** True for the types whose rank needs their elements (Array, Tuple, Map, ...), which this order leaves out. */
    static boolean composite(DataType type) {
        DataType plain = type.name().equals("LowCardinality") ? type.argument(0) : type;
        return COMPOSITE.contains(plain.name());
    }

    /** The indexes of {@code types}, from the one tried first to the one tried last. */
    static int[] of(List<DataType> types) {
        List<Integer> ranks = ranks(types);
        return IntStream.range(0, types.size()).boxed()
                .sorted(Comparator.comparing(ranks::get, Comparator.reverseOrder()))
                .mapToInt(Integer::intValue).toArray();
    }

    /** Each type's rank: higher is tried first; equal ranks are tried in an order the engine leaves open. */
    static List<Integer> ranks(List<DataType> types) {
        List<Integer> ranks = new ArrayList<>();
        for (DataType t : types) {
            int lowCardinality = 0;
            if (t.name().equals("LowCardinality")) {
                t = t.argument(0);
                lowCardinality = 1;
            }
            ranks.add(priority(t) * 2 + lowCardinality);
        }
        return ranks;
    }

    private static int priority(DataType t) {
        String name = switch (t.name()) {
            case "Bool" -> "Bool";
            case "Decimal" -> decimalName(Integer.parseInt(t.parameter(0, "10")));
            default -> t.name();
        };
        if (name.equals("Bool")) {
            return priority("Int8") + 1;
        }
        return priority(name);
    }

    private static int priority(String name) {
        int i = PRIORITY.indexOf(name);
        return i < 0 ? 0 : PRIORITY.size() + 1 - i;
    }

    /** Decimal(P, S) is stored as Decimal32 up to 9 digits, 64 up to 18, 128 up to 38, else 256. */
    private static String decimalName(int precision) {
        return precision <= 9 ? "Decimal32" : precision <= 18 ? "Decimal64" : precision <= 38 ? "Decimal128" : "Decimal256";
    }
}
