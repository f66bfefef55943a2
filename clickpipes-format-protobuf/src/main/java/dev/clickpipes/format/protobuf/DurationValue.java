package dev.clickpipes.format.protobuf;

import dev.clickpipes.clickhouse.types.Column;
import dev.clickpipes.clickhouse.types.ValueConversionException;
import java.math.BigDecimal;
import java.util.Map;

/**
 * A {@code google.protobuf.Duration} (seconds and nanoseconds of one sign) into a column: an
 * Interval column takes its count of the column's unit (exactly: 1.5 s is no whole number of
 * seconds, and months have no fixed length), Decimal and Float columns its seconds, String columns
 * its Protobuf JSON text ({@code 1.500s}), JSON columns that text as a JSON string. A Tuple takes its fields as any message does.
 */
final class DurationValue {

    /** Nanoseconds per unit of the Interval types with a fixed length. */
    private static final Map<String, Long> NANOS_PER_UNIT = Map.of("IntervalNanosecond", 1L,
            "IntervalMicrosecond", 1_000L, "IntervalMillisecond", 1_000_000L, "IntervalSecond", 1_000_000_000L,
            "IntervalMinute", 60_000_000_000L, "IntervalHour", 3_600_000_000_000L, "IntervalDay", 86_400_000_000_000L,
            "IntervalWeek", 604_800_000_000_000L);

    private DurationValue() {
    }

    /**
     * Writes the duration into {@code c}, whose type (Nullable taken off) is {@code target}.
     *
     * @throws ValueConversionException when the column cannot hold it exactly, naming the duration and the column
     */
    static void write(long seconds, int nanos, Column c, String target) throws ValueConversionException {
        BigDecimal value = BigDecimal.valueOf(seconds).add(BigDecimal.valueOf(nanos, 9));
        Long unit = NANOS_PER_UNIT.get(target);
        if (unit != null) {
            BigDecimal[] count = value.movePointRight(9).divideAndRemainder(BigDecimal.valueOf(unit));
            if (count[1].signum() != 0 || count[0].toBigInteger().bitLength() > 63) {
                throw new ValueConversionException("the duration " + json(value) + " is no whole number that column `"
                        + c.name() + "` of type " + c.type().text() + " holds");
            }
            c.appendLong(count[0].longValueExact());
        } else if (target.startsWith("Interval")) {
            throw new ValueConversionException("a duration has no number of months, quarters or years: column `"
                    + c.name() + "` is " + c.type().text() + "; use IntervalSecond (or finer), Decimal or String");
        } else if ("String".equals(target) || "LowCardinality".equals(target)) {
            c.appendString(json(value));
        } else if (c.wantsRawJson()) {
            c.appendString('"' + json(value) + '"'); // a JSON column takes JSON text: here a string
        } else if (target.startsWith("Decimal") || target.startsWith("Float") || "BFloat16".equals(target)) {
            c.appendDecimal(value);
        } else {
            throw new ValueConversionException("a google.protobuf.Duration goes into an Interval column (its count of that"
                    + " unit), a Decimal or Float (seconds), a String or JSON (\"1.500s\") or a Tuple(seconds, nanos);"
                    + " column `" + c.name() + "` is " + c.type().text());
        }
    }

    /** Protobuf's JSON form: seconds with 0, 3, 6 or 9 fractional digits and an {@code s}. */
    private static String json(BigDecimal value) {
        BigDecimal v = value.stripTrailingZeros();
        int scale = v.scale() <= 0 ? 0 : v.scale() <= 3 ? 3 : v.scale() <= 6 ? 6 : 9;
        return value.setScale(scale).toPlainString() + "s";
    }
}
