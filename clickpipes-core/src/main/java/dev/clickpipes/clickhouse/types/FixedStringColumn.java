package dev.clickpipes.clickhouse.types;

import java.nio.charset.StandardCharsets;

/** FixedString(N): up to N bytes, padded with zero bytes; a longer value is an error. */
final class FixedStringColumn extends Column {

    private final int length;

    FixedStringColumn(String name, DataType type) {
        super(name, type);
        this.length = Integer.parseInt(type.parameter(0, "0"));
    }

    @Override
    public void appendDefault() {
        data.writeZeros(length);
    }

    @Override
    public void appendString(String v) throws ValueConversionException {
        byte[] utf8 = v.getBytes(StandardCharsets.UTF_8);
        appendBytes(utf8, 0, utf8.length);
    }

    @Override
    public void appendBytes(byte[] bytes, int offset, int count) throws ValueConversionException {
        if (count > length) {
            throw invalid(new String(bytes, offset, count, StandardCharsets.UTF_8),
                    "is " + count + " bytes, longer than " + length);
        }
        data.writeBytes(bytes, offset, count);
        data.writeZeros(length - count);
    }

    @Override
    public void appendLong(long v) throws ValueConversionException {
        appendString(Long.toString(v));
    }
}
