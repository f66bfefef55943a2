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
    private final long longLimit; // the same for P <= 18; Long.MAX_VALUE above (every long fits)

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
        longLimit = precision <= 18 ? limit.longValueExact() : Long.MAX_VALUE;
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

    @Override
    public void appendUnscaledDecimal(long unscaled, int scale) throws ValueConversionException {
        if (scale != this.scale || unscaled <= -longLimit || unscaled >= longLimit) {
            appendDecimal(BigDecimal.valueOf(unscaled, scale)); // rescaled, or refused with appendDecimal's message
            return;
        }
        if (bytes == 4) {
            data.writeInt((int) unscaled);
        } else {
            data.writeLong(unscaled);
            for (int i = 8; i < bytes; i += 8) {
                data.writeLong(unscaled < 0 ? -1 : 0); // sign-extended, as writeLittleEndian writes it
            }
        }
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
