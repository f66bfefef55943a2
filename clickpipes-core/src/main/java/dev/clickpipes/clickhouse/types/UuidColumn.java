package dev.clickpipes.clickhouse.types;

import java.util.UUID;

/** UUID: 16 bytes, in Native as the high then the low 64 bits, each little-endian. */
final class UuidColumn extends Column {

    UuidColumn(String name, DataType type) {
        super(name, type);
    }

    @Override
    public void appendDefault() {
        data.writeZeros(16);
    }

    /** Each byte's value as a hex digit, or -1. */
    private static final byte[] HEX_DIGIT = new byte[256];

    static {
        java.util.Arrays.fill(HEX_DIGIT, (byte) -1);
        for (int c = 0; c < 128; c++) {
            HEX_DIGIT[c] = (byte) Character.digit(c, 16);
        }
    }

    /**
     * The common case, straight from the record's bytes: 36 ASCII characters, no String made. The digits are looked
     * up in a table, in the five groups' fixed places: a loop of {@link Character#digit} over every character was
     * about a tenth of a JSON pipe's CPU on a table with one UUID column.
     */
    @Override
    public void appendBytes(byte[] b, int offset, int length) throws ValueConversionException {
        if (length == 36 && b[offset + 8] == '-' && b[offset + 13] == '-' && b[offset + 18] == '-'
                && b[offset + 23] == '-') {
            long g1 = hex(b, offset, 8);
            long g2 = hex(b, offset + 9, 4);
            long g3 = hex(b, offset + 14, 4);
            long g4 = hex(b, offset + 19, 4);
            long g5 = hex(b, offset + 24, 12);
            if ((g1 | g2 | g3 | g4 | g5) >= 0) {
                data.writeLong(g1 << 32 | g2 << 16 | g3);
                data.writeLong(g4 << 48 | g5);
                return;
            }
        }
        appendString(new String(b, offset, length, java.nio.charset.StandardCharsets.UTF_8)); // names the value
    }

    /** The value of the {@code n} (at most 15) hex digits at {@code b[from]}, or -1 if one of them is not a hex digit. */
    private static long hex(byte[] b, int from, int n) {
        long v = 0;
        int bad = 0;
        for (int i = from; i < from + n; i++) {
            int d = HEX_DIGIT[b[i] & 0xFF];
            bad |= d;
            v = v << 4 | d;
        }
        return bad < 0 ? -1 : v;
    }

    @Override
    public void appendString(String v) throws ValueConversionException {
        String s = v.strip();
        if (s.length() != 36 || s.charAt(8) != '-' || s.charAt(13) != '-' || s.charAt(18) != '-'
                || s.charAt(23) != '-') {
            throw invalid(v, "is not a UUID (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");
        }
        UUID uuid;
        try {
            uuid = UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            throw invalid(v, "is not a UUID (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");
        }
        data.writeLong(uuid.getMostSignificantBits());
        data.writeLong(uuid.getLeastSignificantBits());
    }
}
