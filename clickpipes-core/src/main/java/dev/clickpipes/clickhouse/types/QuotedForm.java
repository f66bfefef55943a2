package dev.clickpipes.clickhouse.types;

/**
 * Whether a scalar inside a text literal ({@code [..]}, {@code (..)}, {@code {..}} in a TSV or CSV field) is written in
 * single quotes, as the engine's Quoted text reads each type: numbers bare ({@code ['1']} is refused for an Int32
 * element, and is the String of a Variant), strings, dates, times, UUIDs, IPs and enum names quoted ({@code [abc]} is
 * refused for a String element), a Bool either way. Other types (Dynamic, JSON, geo types) take either, as before.
 */
enum QuotedForm {
    BARE, QUOTED, EITHER;

    /** The form of {@code type}'s scalars, through LowCardinality and Nullable. */
    static QuotedForm of(DataType type) {
        String name = type.name();
        if (name.equals("LowCardinality") || name.equals("Nullable")) {
            return of(type.argument(0));
        }
        if (name.startsWith("Int") || name.startsWith("UInt") || name.startsWith("Float") || name.equals("BFloat16")
                || name.startsWith("Decimal")) {
            return BARE; // IntervalX starts with "Int" too: a number of units
        }
        return switch (name) {
            case "String", "FixedString", "Date", "Date32", "DateTime", "DateTime64", "UUID", "IPv4", "IPv6", "Enum8",
                 "Enum16", "Time", "Time64" -> QUOTED;
            default -> EITHER;
        };
    }

    /** Whether a scalar written so ({@code quoted} or not) is one of this form. */
    boolean takes(boolean quoted) {
        return this == EITHER || (this == QUOTED) == quoted;
    }
}
