package dev.clickpipes.clickhouse.types;

import java.math.BigDecimal;
import java.math.BigInteger;

/** String: any bytes. Numbers, booleans, objects and arrays are kept as the JSON text they were written as. */
final class StringColumn extends Column {

    StringColumn(String name, DataType type) {
        super(name, type);
    }

    @Override
    public void appendDefault() {
        data.writeByte(0); // varint length 0
    }

    @Override
    public void appendString(String v) {
        data.writeString(v);
    }

    @Override
    public void appendChars(char[] chars, int offset, int length) {
        data.writeUtf8(chars, offset, length);
    }

    @Override
    public void appendBytes(byte[] bytes, int offset, int length) {
        data.writeVarUInt(length);
        data.writeBytes(bytes, offset, length);
    }

    @Override
    public boolean wantsNumbersAsText() {
        return true;
    }

    @Override
    public boolean wantsRawJson() {
        return true;
    }

    @Override
    public void appendBoolean(boolean v) {
        appendString(Boolean.toString(v));
    }

    @Override
    public void appendLong(long v) {
        appendString(Long.toString(v));
    }

    @Override
    public void appendBigInteger(BigInteger v) {
        appendString(v.toString());
    }

    @Override
    public void appendDouble(double v) {
        appendString(Double.toString(v));
    }

    @Override
    public void appendDecimal(BigDecimal v) {
        appendString(v.toPlainString());
    }

    @Override
    public Column newEmpty() {
        return new StringColumn(name(), type());
    }
}
