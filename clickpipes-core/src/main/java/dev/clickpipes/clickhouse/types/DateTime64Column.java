package dev.clickpipes.clickhouse.types;

import java.time.ZoneId;

/**
 * DateTime64(P[, tz]): ticks of 10^-P seconds as Int64, from text (fractions kept to P digits,
 * epoch seconds with a fraction in a string) or an integer number of ticks. A JSON number with a
 * fraction is refused, as ClickHouse's JSON reader refuses it.
 */
final class DateTime64Column extends Column {

    /** 10^0 .. 10^9: ticks per second at each precision (TimeColumn's Time64 uses them too). */
    static final long[] POW10 = {1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L,
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
    public void appendInstant(long epochSecond, int nanos) throws ValueConversionException {
        try {
            data.writeLong(Math.addExact(Math.multiplyExact(epochSecond, POW10[precision]),
                    nanos / POW10[9 - precision]));
        } catch (ArithmeticException e) {
            throw invalid(instantText(epochSecond, nanos), "is outside the DateTime64 range");
        }
    }

    /** The usual timestamp straight from its bytes; any other text through {@link #appendString}. */
    @Override
    public void appendBytes(byte[] bytes, int offset, int length) throws ValueConversionException {
        long t = DateTimeText.parseUsual(bytes, offset, length, zone);
        if (t == DateTimeText.NOT_USUAL) {
            super.appendBytes(bytes, offset, length);
        } else {
            appendInstant(DateTimeText.packedSeconds(t), DateTimeText.packedNanos(t));
        }
    }

    @Override
    public void appendString(String v) throws ValueConversionException {
        DateTimeText.Instant t = DateTimeText.parse(v.strip(), zone);
        if (t == null) {
            throw invalid(v, "is not a date-time (expected YYYY-MM-DD hh:mm:ss[.fff], ISO-8601 or epoch seconds)");
        }
        appendInstant(t.epochSecond(), t.nanos());
    }
}
