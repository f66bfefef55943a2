package dev.clickpipes.clickhouse.types;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * What String and LowCardinality(String) share: numbers, booleans, objects and arrays are kept as
 * the text they were written as, as ClickHouse's JSONEachRow reads them into a String column.
 */
abstract class TextColumn extends Column {

    TextColumn(String name, DataType type) {
        super(name, type);
    }

    @Override
    public abstract void appendString(String v);

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
        appendString(decimalText(v));
    }
}
