package dev.clickpipes.clickhouse.types;

import java.math.BigInteger;

/** Float32, Float64 and BFloat16 (the upper half of a Float32), including NaN and the infinities. */
final class FloatColumn extends Column {

    private final int bytes;

    FloatColumn(String name, DataType type, int bytes) {
        super(name, type);
        this.bytes = bytes;
    }

    @Override
    public void appendDefault() {
        data.writeZeros(bytes);
    }

    @Override
    public void appendDouble(double v) {
        if (bytes == 2) {
            data.writeShort(Float.floatToRawIntBits((float) v) >>> 16); // BFloat16 truncates, as ClickHouse does
        } else if (bytes == 4) {
            data.writeInt(Float.floatToRawIntBits((float) v));
        } else {
            data.writeLong(Double.doubleToRawLongBits(v));
        }
    }

    @Override
    public void appendLong(long v) {
        appendDouble(v);
    }

    @Override
    public void appendBigInteger(BigInteger v) {
        appendDouble(v.doubleValue());
    }

    @Override
    public void appendBoolean(boolean v) {
        appendDouble(v ? 1 : 0);
    }

    @Override
    public void appendString(String v) throws ValueConversionException {
        String s = v.strip();
        switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "nan", "+nan", "-nan" -> appendDouble(Double.NaN);
            case "inf", "+inf", "infinity", "+infinity" -> appendDouble(Double.POSITIVE_INFINITY);
            case "-inf", "-infinity" -> appendDouble(Double.NEGATIVE_INFINITY);
            default -> {
                try {
                    appendDouble(Double.parseDouble(s));
                } catch (NumberFormatException e) {
                    throw cannotTake(v, "text");
                }
            }
        }
    }
}
