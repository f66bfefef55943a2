package dev.clickpipes.clickhouse.types;

import java.math.BigDecimal;
import java.time.ZoneId;

/**
 * DateTime64(P[, tz]): ticks of 10^-P seconds as Int64, from text (fractions kept to P digits) or
 * epoch seconds with a fraction.
 */
final class DateTime64Column extends Column {

    private static final long[] POW10 = {1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L,
        10_000_000L, 100_000_000L, 1_000_000_000L};

    private final int precision;
    private final ZoneId zone;

    DateTime64Column(String name, DataType type, ZoneId serverZone) {
        super(name, type);
        this.precision = Integer.parseInt(type.parameter(0, "3"));
        this.zone = type.parameters().size() > 1 ? ZoneId.of(type.parameter(1, "UTC")) : serverZone;
    }

    @Override
    public void appendDefault() {
        data.writeLong(0);
    }

    /** An integer is a tick count at the column's precision (milliseconds for DateTime64(3)). */
    @Override
    public void appendLong(long ticks) {
        data.writeLong(ticks);
    }

    @Override
    public void appendDouble(double seconds) throws ValueConversionException {
        appendDecimal(BigDecimal.valueOf(seconds));
    }

    /** A decimal is seconds with a fraction. */
    @Override
    public void appendDecimal(BigDecimal seconds) throws ValueConversionException {
        try {
            data.writeLong(seconds.movePointRight(precision).setScale(0, java.math.RoundingMode.FLOOR)
                    .longValueExact());
        } catch (ArithmeticException e) {
            throw invalid(seconds.toPlainString(), "is outside the DateTime64 range");
        }
    }

    @Override
    public boolean wantsExactDecimals() {
        return true;
    }

    @Override
    public void appendString(String v) throws ValueConversionException {
        DateTimeText.Instant t = DateTimeText.parse(v.strip(), zone);
        if (t == null) {
            throw invalid(v, "is not a date-time (expected YYYY-MM-DD hh:mm:ss[.fff], ISO-8601 or epoch seconds)");
        }
        try {
            long ticks = Math.addExact(Math.multiplyExact(t.epochSecond(), POW10[precision]),
                    t.nanos() / POW10[9 - precision]);
            data.writeLong(ticks);
        } catch (ArithmeticException e) {
            throw invalid(v, "is outside the DateTime64 range");
        }
    }

    @Override
    public Column newEmpty() {
        return new DateTime64Column(name(), type(), zone);
    }
}
