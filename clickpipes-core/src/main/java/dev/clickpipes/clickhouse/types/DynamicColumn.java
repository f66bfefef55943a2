package dev.clickpipes.clickhouse.types;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.ZoneId;
import java.util.regex.Pattern;

/**
 * Dynamic: each value keeps the type ClickHouse's JSONEachRow infers for it, written as a Variant of
 * those types, which the server casts to Dynamic keeping each row's type. The inference followed is the
 * engine's for scalars: integers Int64, beyond it UInt64, beyond that the number's text as String;
 * other numbers Float64; true and false Bool; strings String, except {@code YYYY-MM-DD} (a Date in the
 * Date range) and {@code YYYY-MM-DD hh:mm:ss} (a DateTime in its range), which it reads as dates.
 *
 * <p>Refused rather than stored differently: any other string that starts like a date (the engine's
 * inference reads many of them, with quirks: {@code 2024-1-1} and {@code 2024-02-30} are Dates,
 * {@code 2149-06-07} a DateTime64(9), a leading space a DateTime), and arrays and objects (the engine
 * infers Array, Tuple and nested Dynamic types for them).
 */
final class DynamicColumn extends Column {

    /** The types the inference above gives, as ClickHouse names them. */
    private static final DataType VARIANT = DataType.parse("Variant(Bool, Date, DateTime, Float64, Int64, String, UInt64)");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern DATE_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}");
    /** What the engine's inference may read as a date or time: digits and a date separator, or digits after white space. */
    private static final Pattern DATE_LIKE = Pattern.compile("\\s*\\d+[-/]\\d.*|\\s+\\d.*", Pattern.DOTALL);

    private final VariantColumn variant;
    private final int bool;
    private final int date;
    private final int dateTime;
    private final int float64;
    private final int int64;
    private final int string;
    private final int uint64;

    DynamicColumn(String name, DataType type, ZoneId serverZone) {
        super(name, type);
        this.variant = (VariantColumn) Columns.create(name, VARIANT, serverZone);
        this.bool = variant.variantIndex("Bool");
        this.date = variant.variantIndex("Date");
        this.dateTime = variant.variantIndex("DateTime");
        this.float64 = variant.variantIndex("Float64");
        this.int64 = variant.variantIndex("Int64");
        this.string = variant.variantIndex("String");
        this.uint64 = variant.variantIndex("UInt64");
    }

    @Override
    public String nativeTypeName() {
        return variant.nativeTypeName();
    }

    @Override
    public void appendDefault() {
        variant.appendNull();
    }

    @Override
    public void appendNull() {
        variant.appendNull();
    }

    @Override
    public void appendBoolean(boolean v) throws ValueConversionException {
        variant.appendTo(bool, c -> c.appendBoolean(v));
    }

    @Override
    public boolean wantsNumberText() {
        return true;
    }

    @Override
    public void appendNumberText(String text) throws ValueConversionException {
        if (text.indexOf('.') >= 0 || text.indexOf('e') >= 0 || text.indexOf('E') >= 0) {
            variant.appendTo(float64, c -> c.appendDouble(Double.parseDouble(text)));
            return;
        }
        BigInteger v = new BigInteger(text);
        if (v.bitLength() < 64) {
            variant.appendTo(int64, c -> c.appendLong(v.longValue()));
        } else if (v.signum() > 0 && v.bitLength() == 64) {
            variant.appendTo(uint64, c -> c.appendBigInteger(v));
        } else {
            variant.appendTo(string, c -> c.appendString(text));
        }
    }

    @Override
    public void appendLong(long v) throws ValueConversionException {
        appendNumberText(Long.toString(v));
    }

    @Override
    public void appendBigInteger(BigInteger v) throws ValueConversionException {
        appendNumberText(v.toString());
    }

    @Override
    public void appendDouble(double v) throws ValueConversionException {
        variant.appendTo(float64, c -> c.appendDouble(v));
    }

    @Override
    public void appendDecimal(BigDecimal v) throws ValueConversionException {
        appendDouble(v.doubleValue());
    }

    @Override
    public void appendString(String v) throws ValueConversionException {
        if (DATE.matcher(v).matches()) {
            variant.appendTo(date, c -> c.appendString(v));
        } else if (DATE_TIME.matcher(v).matches()) {
            variant.appendTo(dateTime, c -> c.appendString(v));
        } else if (DATE_LIKE.matcher(v).matches()) {
            throw invalid(v, "may be read as a date or time by ClickHouse's inference, which clickpipes-java does "
                    + "not follow beyond YYYY-MM-DD and YYYY-MM-DD hh:mm:ss; give the field a typed column");
        } else {
            variant.appendTo(string, c -> c.appendString(v));
        }
    }

    @Override
    public void mark() {
        variant.mark();
    }

    @Override
    public void rollback() {
        variant.rollback();
    }

    @Override
    public void clear() {
        variant.clear();
    }

    @Override
    public long byteSize() {
        return variant.byteSize();
    }

    @Override
    public void writePrefix(NativeBuffer out) {
        variant.writePrefix(out);
    }

    @Override
    public void writeTo(NativeBuffer out) {
        variant.writeTo(out);
    }
}
