package dev.clickpipes.clickhouse.types;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Parses the date and time texts events carry into an instant: {@code 2024-05-01},
 * {@code 2024-05-01 12:30:00}, ISO-8601 {@code 2024-05-01T12:30:00.123456+02:00} or {@code ...Z},
 * and epoch seconds {@code 1714566600} or {@code 1714566600.123}. Hand-written because
 * DateTimeFormatter costs several times more per value and these run once per row.
 */
final class DateTimeText {

    /** Seconds since the epoch and the nanoseconds past them. */
    record Instant(long epochSecond, int nanos) {
    }

    private DateTimeText() {
    }

    /** The instant the text names; local times are in {@code zone}. Returns null when it is not a date-time. */
    static Instant parse(String s, ZoneId zone) {
        int n = s.length();
        if (n >= 10 && s.charAt(4) == '-' && s.charAt(7) == '-') {
            return parseCalendar(s, zone);
        }
        return parseEpoch(s);
    }

    /** What {@link #parseUsual} returns for a text it leaves to {@link #parse(String, ZoneId)}; no instant packs to it. */
    static final long NOT_USUAL = Long.MIN_VALUE;

    /** What a fraction of {@code k} digits is multiplied by to make nanoseconds: 10^(9-k). */
    private static final int[] NANO_SCALE = {1_000_000_000, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000,
        100, 10, 1};

    /** Bits of a packed instant that hold its nanoseconds; the seconds are above them. */
    private static final int NANO_BITS = 30;

    /** Years whose seconds fit the 34 bits a packed instant gives them; others take the String path. */
    private static final int FIRST_PACKED_YEAR = 1700;
    private static final int LAST_PACKED_YEAR = 2240;

    /**
     * The instant of the usual shape of a JSON timestamp, {@code YYYY-MM-DD[T ]hh:mm:ss[.f...][Z]}
     * in ASCII bytes, read without building a String, packed into a long ({@link #packedSeconds},
     * {@link #packedNanos}) so that the hot path allocates nothing: a record per value was a fifth of
     * the NDJSON pipe's allocations. {@link #NOT_USUAL} for any other text, any invalid value and years
     * outside 1700-2240, which {@link #parse(String, ZoneId)} then reads (and refuses) as before. Where
     * both read a text they give the same instant.
     */
    static long parseUsual(byte[] b, int offset, int length, ZoneId zone) {
        int n = length;
        if (n < 19 || b[offset + 4] != '-' || b[offset + 7] != '-' || (b[offset + 10] != 'T' && b[offset + 10] != ' ')
                || b[offset + 13] != ':' || b[offset + 16] != ':') {
            return NOT_USUAL;
        }
        int y = digits(b, offset, 4);
        int m = digits(b, offset + 5, 2);
        int d = digits(b, offset + 8, 2);
        int hour = digits(b, offset + 11, 2);
        int minute = digits(b, offset + 14, 2);
        int second = digits(b, offset + 17, 2);
        if (y < FIRST_PACKED_YEAR || y > LAST_PACKED_YEAR || m < 0 || d < 0 || hour < 0 || minute < 0 || second < 0) {
            return NOT_USUAL;
        }
        int i = 19;
        int nanos = 0;
        if (i < n && b[offset + i] == '.') {
            i++;
            int start = i;
            while (i < n && b[offset + i] >= '0' && b[offset + i] <= '9') {
                if (i - start < 9) { // digits past the nanosecond are dropped, as the String path drops them
                    nanos = nanos * 10 + (b[offset + i] - '0');
                }
                i++;
            }
            if (i == start) {
                return NOT_USUAL;
            }
            nanos *= NANO_SCALE[Math.min(i - start, 9)]; // one multiplication, not a division per digit
        }
        boolean utc = i == n - 1 && (b[offset + i] == 'Z' || b[offset + i] == 'z');
        if (i != n && !utc) {
            return NOT_USUAL; // an offset, whitespace, anything else: the String path
        }
        if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m) || hour > 23 || minute > 59 || second > 59) {
            return NOT_USUAL;
        }
        long local = epochDay(y, m, d) * 86_400 + hour * 3_600 + minute * 60 + second;
        if (utc) {
            return pack(local, nanos);
        }
        java.time.zone.ZoneRules rules = zone.getRules();
        if (rules.isFixedOffset()) {
            return pack(local - rules.getOffset(java.time.Instant.EPOCH).getTotalSeconds(), nanos);
        }
        LocalDateTime time = LocalDateTime.of(y, m, d, hour, minute, second); // a zone with transitions
        return pack(time.toEpochSecond(offsetAt(time, zone)), nanos);
    }

    private static long pack(long epochSecond, int nanos) {
        return epochSecond << NANO_BITS | nanos;
    }

    /** The epoch seconds of an instant {@link #parseUsual} packed. */
    static long packedSeconds(long packed) {
        return packed >> NANO_BITS;
    }

    /** The nanoseconds of an instant {@link #parseUsual} packed. */
    static int packedNanos(long packed) {
        return (int) (packed & ((1L << NANO_BITS) - 1));
    }

    private static int daysInMonth(int year, int month) {
        return switch (month) {
            case 2 -> java.time.Year.isLeap(year) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** Days since 1970-01-01 of a valid date of a year 0 to 9999, as {@link LocalDate#toEpochDay()} counts them. */
    private static long epochDay(int year, int month, int day) {
        long total = 365L * year + (year + 3) / 4 - (year + 99) / 100 + (year + 399) / 400;
        total += (367 * month - 362) / 12 + day - 1;
        if (month > 2) {
            total -= java.time.Year.isLeap(year) ? 1 : 2;
        }
        return total - 719_528; // days from 0000-01-01 to 1970-01-01
    }

    /** The date the text names ({@code 2024-05-01}, optionally followed by a time), or null. */
    static LocalDate parseDate(String s) {
        if (s.length() < 10 || s.charAt(4) != '-' || s.charAt(7) != '-') {
            return null;
        }
        int y = digits(s, 0, 4);
        int m = digits(s, 5, 2);
        int d = digits(s, 8, 2);
        if (y < 0 || m < 1 || m > 12 || d < 1 || d > 31) {
            return null;
        }
        if (s.length() > 10 && s.charAt(10) != ' ' && s.charAt(10) != 'T') {
            return null;
        }
        try {
            return LocalDate.of(y, m, d);
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    private static Instant parseCalendar(String s, ZoneId zone) {
        LocalDate date = parseDate(s);
        if (date == null) {
            return null;
        }
        int n = s.length();
        int hour = 0;
        int minute = 0;
        int second = 0;
        int nanos = 0;
        int i = 10;
        if (i < n) {
            if (n < 19 || s.charAt(13) != ':' || s.charAt(16) != ':') {
                return null;
            }
            hour = digits(s, 11, 2);
            minute = digits(s, 14, 2);
            second = digits(s, 17, 2);
            if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
                return null;
            }
            i = 19;
            if (i < n && s.charAt(i) == '.') {
                i++;
                int scale = 100_000_000;
                int start = i;
                while (i < n && Character.isDigit(s.charAt(i))) {
                    nanos += (s.charAt(i) - '0') * scale;
                    scale /= 10;
                    i++;
                }
                if (i == start) {
                    return null;
                }
            }
        }
        ZoneOffset offset = null;
        if (i < n) {
            offset = parseOffset(s.substring(i));
            if (offset == null) {
                return null;
            }
        }
        LocalDateTime local = LocalDateTime.of(date.getYear(), date.getMonthValue(), date.getDayOfMonth(),
                hour, minute, second);
        long epoch = local.toEpochSecond(offset != null ? offset : offsetAt(local, zone));
        return new Instant(epoch, nanos);
    }

    /**
     * The zone's offset at a local time. A time that does not exist (skipped by a daylight-saving
     * gap) takes the offset after the gap, as ClickHouse does; an ambiguous one the earlier offset.
     */
    private static ZoneOffset offsetAt(LocalDateTime local, ZoneId zone) {
        java.time.zone.ZoneOffsetTransition t = zone.getRules().getTransition(local);
        if (t != null && t.isGap()) {
            return t.getOffsetAfter();
        }
        return zone.getRules().getOffset(local);
    }

    private static ZoneOffset parseOffset(String s) {
        if (s.equals("Z") || s.equals("z")) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneOffset.of(s.length() == 3 ? s + ":00" : s);
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    private static Instant parseEpoch(String s) {
        int dot = s.indexOf('.');
        try {
            long seconds = Long.parseLong(dot < 0 ? s : s.substring(0, dot));
            int nanos = 0;
            if (dot >= 0) {
                String fraction = (s.substring(dot + 1) + "000000000").substring(0, 9);
                nanos = Integer.parseInt(fraction);
            }
            if (seconds < 0 && nanos > 0) {
                return null; // negative fractional epochs are ambiguous; ClickHouse rejects them too
            }
            return new Instant(seconds, nanos);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Parses {@code count} ASCII digits at {@code from}; -1 when any is not a digit. */
    private static int digits(byte[] b, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            int c = b[i];
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** Parses {@code count} ASCII digits at {@code from}; -1 when any is not a digit. */
    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
