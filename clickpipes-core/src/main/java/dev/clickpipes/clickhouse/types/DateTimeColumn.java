package dev.clickpipes.clickhouse.types;

import java.time.ZoneId;

/** DateTime([tz]): seconds since the epoch as UInt32, from text in the column's (or server's) zone, or epoch seconds. */
final class DateTimeColumn extends Column {

    private final ZoneId zone;

    DateTimeColumn(String name, DataType type, ZoneId serverZone) {
        super(name, type);
        this.zone = type.parameters().isEmpty() ? serverZone : ZoneId.of(type.parameter(0, "UTC"));
    }

    @Override
    public void appendDefault() {
        data.writeInt(0);
    }

    @Override
    public void appendLong(long seconds) throws ValueConversionException {
        if (seconds < 0 || seconds > 0xFFFF_FFFFL) {
            throw invalid(Long.toString(seconds),
                    "is outside the DateTime range 1970-01-01 00:00:00 to 2106-02-07 06:28:15 UTC");
        }
        data.writeInt((int) seconds);
    }

    @Override
    public void appendInstant(long epochSecond, int nanos) throws ValueConversionException {
        appendLong(epochSecond);
    }

    @Override
    public void appendString(String v) throws ValueConversionException {
        DateTimeText.Instant t = DateTimeText.parse(v.strip(), zone);
        if (t == null) {
            throw invalid(v, "is not a date-time (expected YYYY-MM-DD hh:mm:ss, ISO-8601 or epoch seconds)");
        }
        if (t.epochSecond() < 0 || t.epochSecond() > 0xFFFF_FFFFL) {
            throw invalid(v, "is outside the DateTime range 1970-01-01 00:00:00 to 2106-02-07 06:28:15 UTC");
        }
        data.writeInt((int) t.epochSecond());
    }
}
