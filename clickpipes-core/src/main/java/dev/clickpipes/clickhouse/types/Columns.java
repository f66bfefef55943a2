package dev.clickpipes.clickhouse.types;

import java.time.ZoneId;
import java.util.Map;

/** Makes the column buffer for a ClickHouse type. One line a type: adding a type is a class and a case here. */
public final class Columns {

    /** The geo types are names for nested Float64 tuples and arrays, and are written as those. */
    private static final Map<String, DataType> GEO = Map.of(
            "Point", DataType.parse("Tuple(Float64, Float64)"),
            "Ring", DataType.parse("Array(Tuple(Float64, Float64))"),
            "LineString", DataType.parse("Array(Tuple(Float64, Float64))"),
            "Polygon", DataType.parse("Array(Array(Tuple(Float64, Float64)))"),
            "MultiLineString", DataType.parse("Array(Array(Tuple(Float64, Float64)))"),
            "MultiPolygon", DataType.parse("Array(Array(Array(Tuple(Float64, Float64))))"));

    private Columns() {
    }

    /**
     * An empty column for a column with a DEFAULT expression: a missing value is sent as NULL in
     * a Nullable block column, and the server evaluates the DEFAULT for that row (ClickHouse's
     * input_format_null_as_default, on by default). Types that cannot be Nullable (Array, Map,
     * Tuple, JSON) get their zero value instead.
     */
    public static Column createWithDefault(String name, DataType type, ZoneId serverZone) {
        DataType plain = type.name().equals("LowCardinality") ? type.argument(0) : GEO.getOrDefault(type.name(), type);
        return switch (plain.name()) {
            case "Nullable", "Array", "Map", "Tuple", "Nested", "JSON", "Object", "Variant", "Dynamic" ->
                    create(name, type, serverZone);
            default -> new NullableColumn(name, type, create(name, plain, serverZone));
        };
    }

    /**
     * An empty column of this name and type.
     *
     * @param serverZone the server's time zone, for DateTime columns declared without one
     * @throws IllegalArgumentException naming the type when it is not supported
     */
    public static Column create(String name, DataType type, ZoneId serverZone) {
        return switch (type.name()) {
            case "Int8" -> new IntegerColumn(name, type, 1, true);
            case "Int16" -> new IntegerColumn(name, type, 2, true);
            case "Int32" -> new IntegerColumn(name, type, 4, true);
            case "Int64" -> new IntegerColumn(name, type, 8, true);
            case "UInt8" -> new IntegerColumn(name, type, 1, false);
            case "UInt16" -> new IntegerColumn(name, type, 2, false);
            case "UInt32" -> new IntegerColumn(name, type, 4, false);
            case "UInt64" -> new IntegerColumn(name, type, 8, false);
            case "Int128" -> new WideIntegerColumn(name, type, 16, true);
            case "Int256" -> new WideIntegerColumn(name, type, 32, true);
            case "UInt128" -> new WideIntegerColumn(name, type, 16, false);
            case "UInt256" -> new WideIntegerColumn(name, type, 32, false);
            case "Float32" -> new FloatColumn(name, type, 4);
            case "Float64" -> new FloatColumn(name, type, 8);
            case "BFloat16" -> new FloatColumn(name, type, 2);
            case "Decimal", "Decimal32", "Decimal64", "Decimal128", "Decimal256" -> new DecimalColumn(name, type);
            case "Bool" -> new BoolColumn(name, type);
            case "String" -> new StringColumn(name, type);
            case "FixedString" -> new FixedStringColumn(name, type);
            case "Date" -> new DateColumn(name, type);
            case "Date32" -> new Date32Column(name, type);
            case "DateTime" -> new DateTimeColumn(name, type, serverZone);
            case "DateTime64" -> new DateTime64Column(name, type, serverZone);
            case "UUID" -> new UuidColumn(name, type);
            case "Enum8", "Enum16" -> new EnumColumn(name, type);
            case "IPv4", "IPv6" -> new IpColumn(name, type);
            case "JSON", "Object" -> new JsonColumn(name, type);
            case "Map" -> new MapColumn(name, type, create(name, type.argument(0), serverZone),
                    create(name, type.argument(1), serverZone));
            case "Tuple" -> new TupleColumn(name, type, type.arguments().stream()
                    .map(element -> create(name, element, serverZone)).toArray(Column[]::new));
            case "Nullable" -> new NullableColumn(name, type, create(name, type.argument(0), serverZone));
            case "Array" -> new ArrayColumn(name, type, create(name, type.argument(0), serverZone));
            // Nested(a T, b U) unflattened is Array(Tuple(a T, b U)).
            case "Nested" -> new ArrayColumn(name, type, new TupleColumn(name, type, type.arguments().stream()
                    .map(element -> create(name, element, serverZone)).toArray(Column[]::new)));
            // LowCardinality(String) goes dictionary-encoded; other inner types are sent as they are
            // and the server builds the dictionary.
            case "Point", "Ring", "LineString", "Polygon", "MultiLineString", "MultiPolygon" ->
                    create(name, GEO.get(type.name()), serverZone);
            case "LowCardinality" -> type.argument(0).name().equals("String")
                    ? new LowCardinalityStringColumn(name, type)
                    : create(name, type.argument(0), serverZone);
            // Rows carry plain values of T, sent as T; the server aggregates them as it merges parts.
            case "SimpleAggregateFunction" -> create(name, type.argument(0), serverZone);
            case "AggregateFunction" -> throw new IllegalArgumentException("column `" + name + "` has type "
                    + type.text() + ": AggregateFunction states are not supported (no source carries them); "
                    + "use SimpleAggregateFunction, or insert plain values into a source table with a materialized "
                    + "view that aggregates them with -State functions");
            // Interval types are Int64 counts of their unit in Native; JSON gives integers (text such as
            // "5 second" is refused, as the engine refuses it).
            case "IntervalNanosecond", "IntervalMicrosecond", "IntervalMillisecond", "IntervalSecond",
                 "IntervalMinute", "IntervalHour", "IntervalDay", "IntervalWeek", "IntervalMonth",
                 "IntervalQuarter", "IntervalYear" -> new IntegerColumn(name, type, 8, true);
            // Time is Int32 seconds, Time64(P) Int64 ticks, as ClickHouse 26.5 sends them.
            case "Time" -> new TimeColumn(name, type, 0, false);
            case "Time64" -> new TimeColumn(name, type, Integer.parseInt(type.parameter(0, "3")), true);
            case "Variant" -> variant(name, type, serverZone);
            // Dynamic is sent as a Variant of the types the engine infers; the server casts it, keeping each row's type.
            case "Dynamic" -> new DynamicColumn(name, type, serverZone);
            default -> throw new IllegalArgumentException("column `" + name + "` has type " + type.text()
                    + ", which clickpipes-java does not write yet");
        };
    }

    /** Variant(T1, T2, ...): a column and a probe column of each variant, in the engine's name order. */
    private static Column variant(String name, DataType type, ZoneId serverZone) {
        java.util.List<DataType> types = VariantColumn.variantTypes(name, type);
        return new VariantColumn(name, type,
                types.stream().map(t -> create(name, t, serverZone)).toArray(Column[]::new),
                types.stream().map(t -> create(name, t, serverZone)).toArray(Column[]::new));
    }
}
