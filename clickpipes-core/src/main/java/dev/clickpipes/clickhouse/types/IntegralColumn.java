package dev.clickpipes.clickhouse.types;

import java.math.BigDecimal;

/**
 * What every integer column shares: numbers with a fraction are errors, never truncated, and
 * booleans are 1 and 0. Subclasses check ranges in {@link #appendLong} and {@link #appendBigInteger}.
 */
abstract class IntegralColumn extends Column {

    IntegralColumn(String name, DataType type) {
        super(name, type);
    }

    @Override
    public void appendDouble(double v) throws ValueConversionException {
        if (v != Math.rint(v) || Double.isInfinite(v)) {
            throw invalid(Double.toString(v), "is not an integer");
        }
        appendBigInteger(new BigDecimal(v).toBigInteger());
    }

    @Override
    public void appendDecimal(BigDecimal v) throws ValueConversionException {
        if (v.signum() != 0) {
            // Magnitudes first: toBigIntegerExact on 1e4003456 or 1e-4003456 computes 10^4003456.
            long digits = integerDigits(v);
            if (digits > 80) {
                throw invalid(decimalText(v), "is out of range");
            }
            if (digits <= 0) {
                throw invalid(decimalText(v), "is not an integer");
            }
        }
        try {
            appendBigInteger(v.toBigIntegerExact());
        } catch (ArithmeticException e) {
            throw invalid(decimalText(v), "is not an integer");
        }
    }

    @Override
    public void appendBoolean(boolean v) throws ValueConversionException {
        appendLong(v ? 1 : 0);
    }
}
