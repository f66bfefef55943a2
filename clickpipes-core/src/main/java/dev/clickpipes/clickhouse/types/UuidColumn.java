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

    @Override
    public Column newEmpty() {
        return new UuidColumn(name(), type());
    }
}
