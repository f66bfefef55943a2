package dev.clickpipes.clickhouse.types;

import java.math.BigInteger;

/** Int128, Int256, UInt128, UInt256: little-endian two's complement of 16 or 32 bytes; out of range is an error. */
final class WideIntegerColumn extends IntegralColumn {

    private final int bytes;
    private final boolean signed;
    private final BigInteger min;
    private final BigInteger max;

    WideIntegerColumn(String name, DataType type, int bytes, boolean signed) {
        super(name, type);
        this.bytes = bytes;
        this.signed = signed;
        int bits = bytes * 8;
        min = signed ? BigInteger.ONE.shiftLeft(bits - 1).negate() : BigInteger.ZERO;
        max = signed ? BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE)
                : BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
    }

    @Override
    public void appendDefault() {
        data.writeZeros(bytes);
    }

    @Override
    public void appendLong(long v) throws ValueConversionException {
        if (!signed && v < 0) {
            throw invalid(Long.toString(v), "is out of range [" + min + ", " + max + "]");
        }
        data.writeLong(v);
        long fill = v < 0 ? -1L : 0L; // sign extension
        for (int i = 8; i < bytes; i += 8) {
            data.writeLong(fill);
        }
    }

    @Override
    public void appendBigInteger(BigInteger v) throws ValueConversionException {
        if (v.compareTo(min) < 0 || v.compareTo(max) > 0) {
            throw invalid(v.toString(), "is out of range [" + min + ", " + max + "]");
        }
        data.writeLittleEndian(v, bytes);
    }

    @Override
    public boolean wantsExactDecimals() {
        return true;
    }

    @Override
    public void appendString(String v) throws ValueConversionException {
        try {
            appendBigInteger(new BigInteger(v.strip()));
        } catch (NumberFormatException e) {
            throw cannotTake(v, "text");
        }
    }
}
