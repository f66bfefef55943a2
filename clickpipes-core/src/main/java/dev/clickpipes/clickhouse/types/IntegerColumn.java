package dev.clickpipes.clickhouse.types;

import java.math.BigInteger;

/**
 * Int8, Int16, Int32, Int64, UInt8, UInt16, UInt32, UInt64. A value out of the type's range is an
 * error, never a wrap-around.
 */
final class IntegerColumn extends IntegralColumn {

    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private final int bytes;
    private final boolean signed;
    private final long min;
    private final long max; // for UInt64, Long.MAX_VALUE; larger values come as BigInteger

    IntegerColumn(String name, DataType type, int bytes, boolean signed) {
        super(name, type);
        this.bytes = bytes;
        this.signed = signed;
        int bits = bytes * 8;
        if (signed) {
            min = bits == 64 ? Long.MIN_VALUE : -(1L << (bits - 1));
            max = bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
        } else {
            min = 0;
            max = bits == 64 ? Long.MAX_VALUE : (1L << bits) - 1;
        }
    }

    @Override
    public void appendDefault() {
        data.writeZeros(bytes);
    }

    @Override
    public void appendLong(long v) throws ValueConversionException {
        if (v < min || v > max) {
            throw invalid(Long.toString(v), "is out of range [" + min + ", " + maxText() + "]");
        }
        write(v);
    }

    @Override
    public void appendBigInteger(BigInteger v) throws ValueConversionException {
        if (v.bitLength() < 64) {
            appendLong(v.longValue());
        } else if (!signed && bytes == 8 && v.signum() > 0 && v.compareTo(UINT64_MAX) <= 0) {
            write(v.longValue()); // two's complement bits are the unsigned value
        } else {
            throw invalid(v.toString(), "is out of range [" + min + ", " + maxText() + "]");
        }
    }

    @Override
    public void appendString(String v) throws ValueConversionException {
        String s = v.strip();
        try {
            if (s.length() < 19) {
                appendLong(Long.parseLong(s));
            } else {
                appendBigInteger(new BigInteger(s));
            }
        } catch (NumberFormatException e) {
            throw cannotTake(v, "text");
        }
    }

    private void write(long v) {
        switch (bytes) {
            case 1 -> data.writeByte((int) v);
            case 2 -> data.writeShort((int) v);
            case 4 -> data.writeInt((int) v);
            default -> data.writeLong(v);
        }
    }

    private String maxText() {
        return !signed && bytes == 8 ? UINT64_MAX.toString() : Long.toString(max);
    }
}
