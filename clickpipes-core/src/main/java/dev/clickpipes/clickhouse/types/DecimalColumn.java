package dev.clickpipes.clickhouse.types;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * Decimal(P, S), Decimal32/64/128/256(S): the value times 10^S as a 4, 8, 16 or 32-byte integer.
 * Values never pass through double: text and JSON numbers are read as exact decimals. Extra
 * fraction digits are truncated toward zero (as ClickHouse does); more than P digits is an error.
 */
final class DecimalColumn extends Column {

    private final int precision;
    private final int scale;
    private final int bytes;
    private final BigInteger limit; // 10^P: |unscaled| must stay below
    /** Decimal32/64 with a usual scale: {@link #appendDecimal(long, int)} computes in longs. */
    private final boolean inLongs;
    private static final long[] POWERS_OF_TEN = {
        1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L, 1_000_000_000L,
        10_000_000_000L, 100_000_000_000L, 1_000_000_000_000L, 10_000_000_000_000L, 100_000_000_000_000L,
        1_000_000_000_000_000L, 10_000_000_000_000_000L, 100_000_000_000_000_000L, 1_000_000_000_000_000_000L};

    DecimalColumn(String name, DataType type) {
        super(name, type);
        switch (type.name()) {
            case "Decimal32" -> { precision = 9; scale = Integer.parseInt(type.parameter(0, "0")); }
            case "Decimal64" -> { precision = 18; scale = Integer.parseInt(type.parameter(0, "0")); }
            case "Decimal128" -> { precision = 38; scale = Integer.parseInt(type.parameter(0, "0")); }
            case "Decimal256" -> { precision = 76; scale = Integer.parseInt(type.parameter(0, "0")); }
            default -> {
                precision = Integer.parseInt(type.parameter(0, "10"));
                scale = Integer.parseInt(type.parameter(1, "0"));
            }
        }
        bytes = precision <= 9 ? 4 : precision <= 18 ? 8 : precision <= 38 ? 16 : 32;
        limit = BigInteger.TEN.pow(precision);
        inLongs = precision >= 1 && precision <= 18 && scale >= 0 && scale <= precision;
    }

    @Override
    public void appendDefault() {
        data.writeZeros(bytes);
    }

    @Override
    public boolean wantsExactDecimals() {
        return true;
    }

    @Override
    public void appendDecimal(BigDecimal v) throws ValueConversionException {
        // Magnitudes first: setScale on 1e4003456 or 1e-4003456 computes 10^4003456 (seconds of CPU a value).
        long digits = v.signum() == 0 ? 0 : integerDigits(v);
        if (digits > precision - scale) {
            throw invalid(decimalText(v), "does not fit " + precision + " digits with " + scale + " after the point");
        }
        BigInteger unscaled = digits <= -scale ? BigInteger.ZERO // below 10^-scale: truncated to 0
                : v.setScale(scale, RoundingMode.DOWN).unscaledValue();
        if (unscaled.abs().compareTo(limit) >= 0) {
            throw invalid(decimalText(v), "does not fit " + precision + " digits with " + scale + " after the point");
        }
        if (bytes == 4) {
            data.writeInt(unscaled.intValue());
        } else {
            data.writeLittleEndian(unscaled, bytes);
        }
    }

    /**
     * Decimal32 and Decimal64 in long arithmetic: truncated toward zero to the column's scale, and
     * refused when |unscaled| reaches 10^P, which is exactly when the other path refuses it (more
     * than P - S digits before the point). What does not fit a long, and every refusal, takes the
     * BigDecimal path, so values and messages are the same.
     */
    @Override
    public void appendDecimal(long unscaled, int valueScale) throws ValueConversionException {
        long v = inLongs && valueScale >= 0 && valueScale <= 18 ? rescale(unscaled, valueScale) : Long.MIN_VALUE;
        if (v == Long.MIN_VALUE || Math.abs(v) >= POWERS_OF_TEN[precision]) {
            appendDecimal(BigDecimal.valueOf(unscaled, valueScale));
        } else if (bytes == 4) {
            data.writeInt((int) v);
        } else {
            data.writeLong(v);
        }
    }

    /** {@code unscaled} &times; 10^(scale - valueScale), truncated toward zero; Long.MIN_VALUE when it overflows. */
    private long rescale(long unscaled, int valueScale) {
        if (valueScale >= scale) {
            return unscaled / POWERS_OF_TEN[valueScale - scale];
        }
        long factor = POWERS_OF_TEN[scale - valueScale];
        long high = Math.multiplyHigh(unscaled, factor);
        long low = unscaled * factor;
        return high == (low >> 63) ? low : Long.MIN_VALUE;
    }

    @Override
    public void appendLong(long v) throws ValueConversionException {
        appendDecimal(BigDecimal.valueOf(v));
    }

    @Override
    public void appendBigInteger(BigInteger v) throws ValueConversionException {
        appendDecimal(new BigDecimal(v));
    }

    @Override
    public void appendDouble(double v) throws ValueConversionException {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            throw invalid(Double.toString(v), "is not a number a Decimal can hold");
        }
        appendDecimal(BigDecimal.valueOf(v));
    }

    @Override
    public void appendBoolean(boolean v) throws ValueConversionException {
        appendLong(v ? 1 : 0);
    }

    @Override
    public void appendString(String v) throws ValueConversionException {
        try {
            appendDecimal(new BigDecimal(v.strip()));
        } catch (NumberFormatException e) {
            throw cannotTake(v, "text");
        }
    }
}
