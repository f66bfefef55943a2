package dev.clickpipes.clickhouse.types;

import java.time.LocalDate;

/** Date32: days since 1970-01-01 as Int32, from 1900-01-01 to 2299-12-31. */
final class Date32Column extends Column {

    private static final long MIN_DAY = LocalDate.of(1900, 1, 1).toEpochDay();
    private static final long MAX_DAY = LocalDate.of(2299, 12, 31).toEpochDay();

    Date32Column(String name, DataType type) {
        super(name, type);
    }

    @Override
    public void appendDefault() {
        data.writeInt(0);
    }

    @Override
    public void appendLong(long day) throws ValueConversionException {
        if (day < MIN_DAY || day > MAX_DAY) {
            throw invalid(Long.toString(day), "is outside the Date32 range 1900-01-01 to 2299-12-31");
        }
        data.writeInt((int) day);
    }

    @Override
    public void appendString(String v) throws ValueConversionException {
        String s = v.strip();
        LocalDate date = s.length() == 10 ? DateTimeText.parseDate(s) : null;
        if (date == null) {
            throw invalid(v, "is not a date (expected YYYY-MM-DD)");
        }
        long day = date.toEpochDay();
        if (day < MIN_DAY || day > MAX_DAY) {
            throw invalid(v, "is outside the Date32 range 1900-01-01 to 2299-12-31");
        }
        data.writeInt((int) day);
    }
}
