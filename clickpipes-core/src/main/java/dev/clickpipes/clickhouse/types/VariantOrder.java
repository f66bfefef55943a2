package dev.clickpipes.clickhouse.types;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The order in which ClickHouse tries a Variant's types on a text value (its
 * {@code SerializationVariant::getVariantsDeserializeTextOrder}). Each type ranks by three numbers,
 * compared in turn: how deep its Array, Tuple and Map nesting goes (deeper first); its priority, where
 * Array, Tuple and Map count their own priority plus their elements' (a Tuple the sum of its
 * elements', a Map its key's and value's); and how many Nullable and LowCardinality wrappers it has
 * (more first). The scalar priorities, from first tried to last: enums, UUID and IP addresses, integers
 * small to large (Bool just before them), decimals, floats, dates and date-times, FixedString and
 * String; every other type (Time, Interval, JSON, ...) 0, after String.
 */
final class VariantOrder {

    /** From highest priority to lowest, as the engine lists them. */
    private static final List<String> PRIORITY = List.of(
            "Array", "Tuple", "Map", "AggregateFunction",
            "Enum8", "Enum16", "UUID", "IPv4", "IPv6",
            "Int8", "UInt8", "Int16", "UInt16", "Int32", "UInt32", "Int64", "UInt64",
            "Int128", "UInt128", "Int256", "UInt256",
            "Decimal32", "Decimal64", "Decimal128", "Decimal256", "Float32", "Float64",
            "Date", "Date32", "DateTime", "DateTime64", "FixedString", "String");

    private static final Set<String> COMPOSITE = Set.of("Array", "Tuple", "Map", "Nested", "JSON", "Object",
            "Point", "Ring", "LineString", "Polygon", "MultiLineString", "MultiPolygon", "AggregateFunction");

    /** A type's rank: compared by depth, then priority, then wrappers; higher is tried first. */
    record Rank(int depth, int priority, int wrappers) implements Comparable<Rank> {
        private static final Comparator<Rank> ORDER = Comparator.comparingInt(Rank::depth)
                .thenComparingInt(Rank::priority).thenComparingInt(Rank::wrappers);

        @Override
        public int compareTo(Rank other) {
            return ORDER.compare(this, other);
        }
    }

    private VariantOrder() {
    }

    /** True for the types made of other types (Array, Tuple, Map, JSON, the geo types, ...). */
    static boolean composite(DataType type) {
        DataType plain = type.name().equals("LowCardinality") ? type.argument(0) : type;
        return COMPOSITE.contains(plain.name());
    }

    /** The indexes of {@code types}, from the one tried first to the one tried last. */
    static int[] of(List<DataType> types) {
        List<Rank> ranks = ranks(types);
        return IntStream.range(0, types.size()).boxed()
                .sorted(Comparator.comparing(ranks::get, Comparator.reverseOrder()))
                .mapToInt(Integer::intValue).toArray();
    }

    /** Each type's rank; equal ranks are tried in an order the engine leaves open. */
    static List<Rank> ranks(List<DataType> types) {
        List<Rank> ranks = new ArrayList<>();
        for (DataType t : types) {
            ranks.add(rank(t, 0, 0));
        }
        return ranks;
    }

    private static Rank rank(DataType t, int depth, int wrappers) {
        switch (t.name()) {
            case "Nullable", "LowCardinality" -> {
                return rank(t.argument(0), depth, wrappers + 1);
            }
            case "Array", "Tuple", "Map" -> {
                int maxDepth = 0;
                int priority = priority(t.name());
                int maxWrappers = 0;
                for (DataType e : t.arguments()) {
                    Rank r = rank(e, depth + 1, wrappers);
                    maxDepth = Math.max(maxDepth, r.depth());
                    priority += r.priority();
                    maxWrappers = Math.max(maxWrappers, r.wrappers());
                }
                return new Rank(maxDepth, priority, maxWrappers);
            }
            case "Variant" -> {
                Rank max = new Rank(0, 0, 0);
                for (DataType v : t.arguments()) {
                    Rank r = rank(v, depth, wrappers);
                    max = new Rank(Math.max(max.depth(), r.depth()), Math.max(max.priority(), r.priority()),
                            Math.max(max.wrappers(), r.wrappers()));
                }
                return max;
            }
            case "Bool" -> {
                return new Rank(depth, priority("Int8") + 1, wrappers);
            }
            case "Decimal" -> {
                return new Rank(depth, priority(decimalName(Integer.parseInt(t.parameter(0, "10")))), wrappers);
            }
            default -> {
                return new Rank(depth, priority(t.name()), wrappers);
            }
        }
    }

    private static int priority(String name) {
        int i = PRIORITY.indexOf(name);
        return i < 0 ? 0 : PRIORITY.size() - i;
    }

    /** Decimal(P, S) is stored as Decimal32 up to 9 digits, 64 up to 18, 128 up to 38, else 256. */
    private static String decimalName(int precision) {
        return precision <= 9 ? "Decimal32" : precision <= 18 ? "Decimal64" : precision <= 38 ? "Decimal128" : "Decimal256";
    }
}
