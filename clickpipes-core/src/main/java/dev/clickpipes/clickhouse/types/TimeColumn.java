package dev.clickpipes.clickhouse.types;

/**
 * Time and Time64(P) (ClickHouse 25.6+): a signed time of day or duration in [-999:59:59, 999:59:59]
 * (Time64: up to .999... at P digits). In Native, Time is Int32 seconds and Time64(P) Int64 ticks of
 * 10^-P seconds, as ClickHouse 26.5 writes them.
 *
 * <p>From text {@code [-]h:mm:ss}, with one to three hour digits; Time64 also takes a fraction,
 * kept to P digits (truncated, as ClickHouse does; a bare trailing point is taken too). From an integer: seconds for Time, ticks at P for
 * Time64 (milliseconds for Time64(3)), as ClickHouse's JSONEachRow reads them.
 *
 * <p>Deliberately stricter than ClickHouse 26.5, which would store a value nobody meant: a value
 * beyond 999:59:59 (ClickHouse clamps it to the limit), minutes or seconds of 60 or more
 * ({@code 12:60:00}, rolled over to 13:00:00), and the short forms {@code "12"} and {@code "12:34"}
 * (ClickHouse reads them as 12 seconds and as 12 minutes 34 seconds) are errors. As in ClickHouse,
 * Time refuses a fraction, and a numeric string, spaces, a sign {@code +}, or a date are refused.
 */
final class TimeColumn extends Column {

    private static final long[] POW10 = DateTime64Column.POW10;
    private static final long MAX_SECONDS = 1000L * 3600 - 1;

    private final int precision;
    private final boolean wide;
    private final long maxTicks;

    /**
     * @param precision digits after the second (0 for Time)
     * @param wide      true for Time64 (Int64 ticks, fractions in text); false for Time (Int32 seconds)
     */
    TimeColumn(String name, DataType type, int precision, boolean wide) {
        super(name, type);
        if (precision < 0 || precision > 9) {
            throw new IllegalArgumentException("column `" + name + "` has type " + type.text()
                    + ": the precision must be 0 to 9");
        }
        this.precision = precision;
        this.wide = wide;
        this.maxTicks = (MAX_SECONDS + 1) * POW10[precision] - 1;
    }

    @Override
    public void appendDefault() {
        write(0);
    }

    /** Seconds for Time, ticks at the column's precision for Time64. */
    @Override
    public void appendLong(long ticks) throws ValueConversionException {
        if (ticks < -maxTicks || ticks > maxTicks) {
            throw invalid(Long.toString(ticks), "is out of range [-" + maxTicks + ", " + maxTicks
                    + "] (" + (wide ? "ticks of 10^-" + precision + " s" : "seconds")
                    + ", up to 999:59:59); ClickHouse would clamp it, we refuse");
        }
        write(ticks);
    }

    @Override
    public void appendString(String v) throws ValueConversionException {
        long ticks = parse(v);
        if (ticks == Long.MIN_VALUE) {
            throw invalid(v, "is not a time (expected [-]h:mm:ss" + (wide ? "[.fff]" : "")
                    + ", hours 0 to 999, minutes and seconds 00 to 59)");
        }
        write(ticks);
    }

    /** The ticks of {@code [-]h:mm:ss[.f]}, or Long.MIN_VALUE when the text is not one. */
    private long parse(String v) {
        int n = v.length();
        int i = v.startsWith("-") ? 1 : 0;
        int hoursStart = i;
        long hours = 0;
        while (i < n && i - hoursStart < 4 && isDigit(v.charAt(i))) {
            hours = hours * 10 + (v.charAt(i++) - '0');
        }
        int hourDigits = i - hoursStart;
        if (hourDigits < 1 || hourDigits > 3 || i + 6 > n || v.charAt(i) != ':' || v.charAt(i + 3) != ':') {
            return Long.MIN_VALUE;
        }
        int minutes = twoDigits(v, i + 1);
        int seconds = twoDigits(v, i + 4);
        if (minutes < 0 || minutes > 59 || seconds < 0 || seconds > 59) {
            return Long.MIN_VALUE;
        }
        i += 6;
        long fraction = 0;
        if (i < n) {
            if (!wide || v.charAt(i) != '.') { // "01:02:03." is taken, as ClickHouse takes it
                return Long.MIN_VALUE;
            }
            for (int d = 0, j = i + 1; j < n; j++, d++) {
                char c = v.charAt(j);
                if (!isDigit(c)) {
                    return Long.MIN_VALUE;
                }
                if (d < precision) {
                    fraction += (c - '0') * POW10[precision - 1 - d];
                }
            }
        }
        long ticks = ((hours * 3600 + minutes * 60 + seconds) * POW10[precision]) + fraction;
        return hoursStart == 1 ? -ticks : ticks;
    }

    private static int twoDigits(String v, int at) {
        char a = v.charAt(at);
        char b = v.charAt(at + 1);
        return isDigit(a) && isDigit(b) ? (a - '0') * 10 + (b - '0') : -1;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private void write(long ticks) {
        if (wide) {
            data.writeLong(ticks);
        } else {
            data.writeInt((int) ticks);
        }
    }
}
