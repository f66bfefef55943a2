package dev.clickpipes.clickhouse.sink;

import dev.clickpipes.clickhouse.types.DataType;

/** The bytes a row of a fixed-width type takes in Native, or 0 for the others. */
final class FixedWidth {

    private FixedWidth() {
    }

    static int of(DataType type) {
        return switch (type.name()) {
            case "Int8", "UInt8", "Bool", "Enum8" -> 1;
            case "Int16", "UInt16", "Date", "Enum16", "BFloat16" -> 2;
            case "Int32", "UInt32", "Float32", "Date32", "DateTime", "IPv4", "Decimal32", "Time" -> 4;
            case "Int64", "UInt64", "Float64", "DateTime64", "Decimal64", "Time64",
                 "IntervalNanosecond", "IntervalMicrosecond", "IntervalMillisecond", "IntervalSecond",
                 "IntervalMinute", "IntervalHour", "IntervalDay", "IntervalWeek", "IntervalMonth",
                 "IntervalQuarter", "IntervalYear" -> 8;
            case "Int128", "UInt128", "UUID", "IPv6", "Decimal128" -> 16;
            case "Int256", "UInt256", "Decimal256" -> 32;
            case "Decimal" -> {
                int precision = Integer.parseInt(type.parameter(0, "10"));
                yield precision <= 9 ? 4 : precision <= 18 ? 8 : precision <= 38 ? 16 : 32;
            }
            case "FixedString" -> Integer.parseInt(type.parameter(0, "0"));
            default -> 0;
        };
    }
}
