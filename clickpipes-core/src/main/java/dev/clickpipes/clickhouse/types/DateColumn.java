package dev.clickpipes.clickhouse.types;

import java.time.LocalDate;

/** Date: days since 1970-01-01 as UInt16 (up to 2149-06-06), from "2024-05-01" or a day number. */
final class DateColumn extends Column {

    private static final long MAX_DAY = 65535;

    DateColumn(String name, DataType type) {
        super(name, type);
    }

    @Override
    public void appendDefault() {
        data.writeShort(0);
    }

    @Override
    public void appendLong(long day) throws ValueConversionException {
        if (day < 0 || day > MAX_DAY) {
            throw invalid(Long.toString(day), "is outside the Date range 1970-01-01 to 2149-06-06 (day 0 to 65535)");
        }
        data.writeShort((int) day);
    }

    @Override
    public void appendInstant(long epochSecond, int nanos) throws ValueConversionException {
        appendLong(Math.floorDiv(epochSecond, 86_400));
    }

    @Override
    public void appendString(String v) throws ValueConversionException {
        String s = v.strip();
        LocalDate date = s.length() == 10 ? DateTimeText.parseDate(s) : null;
        if (date == null) {
            throw invalid(v, "is not a date (expected YYYY-MM-DD)");
        }
        long day = date.toEpochDay();
        if (day < 0 || day > MAX_DAY) {
            throw invalid(v, "is outside the Date range 1970-01-01 to 2149-06-06");
        }
        data.writeShort((int) day);
    }
}
