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

    /** The common case, straight from the record's bytes: 36 ASCII characters, no String made. */
    @Override
    public void appendBytes(byte[] b, int offset, int length) throws ValueConversionException {
        long high = 0;
        long low = 0;
        int digits = 0;
        if (length == 36) {
            for (int i = 0; i < 36; i++) {
                byte c = b[offset + i];
                if (i == 8 || i == 13 || i == 18 || i == 23) {
                    if (c != '-') {
                        break;
                    }
                    continue;
                }
                int v = Character.digit(c, 16);
                if (v < 0) {
                    break;
                }
                if (digits < 16) {
                    high = (high << 4) | v;
                } else {
                    low = (low << 4) | v;
                }
                digits++;
            }
        }
        if (digits != 32) {
            appendString(new String(b, offset, length, java.nio.charset.StandardCharsets.UTF_8)); // names the value
            return;
        }
        data.writeLong(high);
        data.writeLong(low);
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
