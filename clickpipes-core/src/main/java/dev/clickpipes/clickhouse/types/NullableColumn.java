package dev.clickpipes.clickhouse.types;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.function.Consumer;

/**
 * Nullable(T): a null map (one byte a row, 1 for NULL) and the inner column, which holds its zero
 * value for NULL rows. The null map byte is written after the inner value, so a value the inner
 * column refuses leaves no trace.
 */
final class NullableColumn extends Column {

    private final Column inner;

    NullableColumn(String name, DataType type, Column inner) {
        super(name, type);
        this.inner = inner;
    }

    @Override
    public String nativeTypeName() {
        return "Nullable(" + inner.nativeTypeName() + ")";
    }

    @Override
    public void appendDefault() {
        appendNull();
    }

    @Override
    public void appendNull() {
        inner.appendDefault();
        data.writeByte(1);
    }

    @Override
    public void appendBoolean(boolean v) throws ValueConversionException {
        inner.appendBoolean(v);
        data.writeByte(0);
    }

    @Override
    public void appendLong(long v) throws ValueConversionException {
        inner.appendLong(v);
        data.writeByte(0);
    }

    @Override
    public void appendBigInteger(BigInteger v) throws ValueConversionException {
        inner.appendBigInteger(v);
        data.writeByte(0);
    }

    @Override
    public void appendDouble(double v) throws ValueConversionException {
        inner.appendDouble(v);
        data.writeByte(0);
    }

    @Override
    public void appendDecimal(BigDecimal v) throws ValueConversionException {
        inner.appendDecimal(v);
        data.writeByte(0);
    }

    @Override
    public void appendDecimal(long unscaled, int scale) throws ValueConversionException {
        inner.appendDecimal(unscaled, scale);
        data.writeByte(0);
    }

    @Override
    public boolean wantsExactDecimals() {
        return inner.wantsExactDecimals();
    }

    @Override
    public boolean wantsNumbersAsText() {
        return inner.wantsNumbersAsText();
    }

    @Override
    public void appendInstant(long epochSecond, int nanos) throws ValueConversionException {
        inner.appendInstant(epochSecond, nanos);
        data.writeByte(0);
    }

    @Override
    public boolean acceptsJsonStrings() {
        return inner.acceptsJsonStrings();
    }

    @Override
    public void appendString(String v) throws ValueConversionException {
        inner.appendString(v);
        data.writeByte(0);
    }

    @Override
    public void appendLiteralScalar(String v, boolean quoted) throws ValueConversionException {
        inner.appendLiteralScalar(v, quoted);
        data.writeByte(0);
    }

    @Override
    public void appendChars(char[] chars, int offset, int length) throws ValueConversionException {
        inner.appendChars(chars, offset, length);
        data.writeByte(0);
    }

    @Override
    public void appendBytes(byte[] bytes, int offset, int length) throws ValueConversionException {
        inner.appendBytes(bytes, offset, length);
        data.writeByte(0);
    }

    @Override
    public void eachBuffer(Consumer<NativeBuffer> visitor) {
        super.eachBuffer(visitor);
        inner.eachBuffer(visitor);
    }

    @Override
    public void mark() {
        super.mark();
        inner.mark();
    }

    @Override
    public void rollback() {
        super.rollback();
        inner.rollback();
    }

    @Override
    public void clear() {
        super.clear();
        inner.clear();
    }

    @Override
    public long byteSize() {
        return super.byteSize() + inner.byteSize();
    }

    @Override
    public void writePrefix(NativeBuffer out) {
        inner.writePrefix(out);
    }

    @Override
    public void writeTo(NativeBuffer out) {
        super.writeTo(out);
        inner.writeTo(out);
    }
}
