package dev.clickpipes.clickhouse.types;

import java.math.BigInteger;

/** Float32 and Float64, including NaN and the infinities. */
final class FloatColumn extends Column {

    private final boolean single;

    FloatColumn(String name, DataType type, boolean single) {
        super(name, type);
        this.single = single;
    }

    @Override
    public void appendDefault() {
        data.writeZeros(single ? 4 : 8);
    }

    @Override
    public void appendDouble(double v) {
        if (single) {
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

    @Override
    public Column newEmpty() {
        return new FloatColumn(name(), type(), single);
    }
}
