package dev.clickpipes.clickhouse.types;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.ZoneId;

/**
 * Dynamic: each value keeps the type ClickHouse's JSONEachRow infers for it, or, from a typed format
 * ({@link #appendTyped}, Parquet), the type the format declares, written as a Variant of the types of
 * the block, which the server casts to Dynamic keeping each row's type. The inference
 * followed is the engine's: for scalars, integers Int64, beyond it UInt64, beyond that the number's
 * text as String; other numbers Float64; true and false Bool; strings String, except
 * {@code YYYY-MM-DD} (a Date in the Date range) and {@code YYYY-MM-DD hh:mm:ss} (a DateTime in its
 * range), which it reads as dates. Arrays and objects take the Array and named Tuple types
 * {@link JsonTypeInference} gives (such as {@code Array(Int64)}, {@code Array(Nullable(String))},
 * {@code Tuple(a Int64, b Array(Float64))}); each new one becomes a variant of the block.
 *
 * <p>Refused rather than stored differently: any other string that starts like a date (the engine's
 * inference reads many of them, with quirks: {@code 2024-1-1} and {@code 2024-02-30} are Dates,
 * {@code 2149-06-07} a DateTime64(9), a leading space a DateTime), and the arrays and objects
 * {@link JsonTypeInference} refuses: those the engine infers as {@code Array(Dynamic)} or with a
 * Dynamic inside ({@code [1, "x"]}), and those whose JSON text it keeps as a String ({@code {}}).
 */
final class DynamicColumn extends WholeValueColumn {

    /** The types the scalar inference gives, as ClickHouse names them: every block has them. */
    private static final DataType VARIANT = DataType.parse("Variant(Bool, Date, DateTime, Float64, Int64, String, UInt64)");
    /** The engine's limit on a Variant's types (discriminator 255 is NULL). */
    private static final int MAX_VARIANTS = 255;

    private final ZoneId serverZone;
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
        this.serverZone = serverZone;
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
    public void appendNumberText(String text) throws ValueConversionException {
        requireFinite(text);
        if (text.indexOf('.') >= 0 || text.indexOf('e') >= 0 || text.indexOf('E') >= 0) {
            variant.appendTo(float64, c -> c.appendDouble(Double.parseDouble(text)));
            return;
        }
        appendInteger(text, false);
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
        String inferred;
        try {
            inferred = JsonTypeInference.typeOfString(v);
        } catch (JsonTypeInference.Refused e) {
            throw invalid(v, e.getMessage());
        }
        int k = inferred.equals("Date") ? date : inferred.equals("DateTime") ? dateTime : string;
        variant.appendTo(k, c -> c.appendString(v));
    }

    /**
     * A TabSeparated field, its type inferred from its text as the engine's TSV reader infers it: {@code true} and
     * {@code false} in any case Bool, an integer without leading zeros Int64 (beyond it UInt64, beyond that a
     * String), a number with a point ({@code 1.}, {@code .5}) or {@code nan} Float64, else as a JSON string
     * ({@link #appendString}: a date, a date-time or a String; {@code 01}, {@code 1e3} and {@code inf} are Strings).
     * Refused: a number after a {@code +} or a space, which the engine reads as 0. (Array, tuple and map literals
     * do not come here: the TSV decoder writes each into the part of the type {@link LiteralTypeInference} gives it.)
     */
    @Override
    public void appendEscapedText(String v) throws ValueConversionException {
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            appendBoolean(v.equalsIgnoreCase("true"));
        } else if (TSV_INTEGER.matcher(v).matches()) {
            appendInteger(v, false);
        } else if (FRACTION.matcher(v).matches() || v.equals("nan")) {
            appendFloat(v);
        } else if (!v.isEmpty() && (v.charAt(0) == '+' || Character.isWhitespace(v.charAt(0)))
                && (CSV_INTEGER.matcher(v.strip()).matches() || FRACTION.matcher(v.strip()).matches())) {
            throw invalid(v, "is a number after a '+' or a space, which ClickHouse's TSV reader reads as 0 into a "
                    + "Dynamic column; refused rather than stored as either");
        } else {
            appendString(v);
        }
    }

    /**
     * A CSV field, its type inferred from its text as the engine's CSV reader infers it: unquoted, {@code true} and
     * {@code false} Bool, an integer ({@code +1}, {@code 01} too) Int64 (beyond it UInt64, beyond that Float64), a
     * number with a point or {@code nan} or {@code inf} Float64, else as a JSON string ({@link #appendString}; so is
     * a quoted field: {@code "7"} is a String). (Array, tuple and map literals, quoted or not, do
     * not come here: the CSV decoder writes each into the part of the type {@link LiteralTypeInference} gives it.)
     */
    @Override
    public void appendCsvText(String v, boolean quoted) throws ValueConversionException {
        if (quoted) {
            appendString(v);
        } else if (v.equals("true") || v.equals("false")) {
            appendBoolean(v.equals("true"));
        } else if (CSV_INTEGER.matcher(v).matches()) {
            appendInteger(v, true);
        } else if (FRACTION.matcher(v).matches() || NOT_FINITE.matcher(v).matches()) {
            appendFloat(v);
        } else {
            appendString(v);
        }
    }

    /**
     * An integer's text (a sign allowed): Int64, beyond it UInt64, beyond that Float64 ({@code beyondAsFloat}, as
     * CSV infers it) or its text as a String (as JSON and TSV keep it).
     */
    private void appendInteger(String text, boolean beyondAsFloat) throws ValueConversionException {
        BigInteger v = new BigInteger(text.startsWith("+") ? text.substring(1) : text);
        if (v.bitLength() < 64) {
            variant.appendTo(int64, c -> c.appendLong(v.longValue()));
        } else if (v.signum() > 0 && v.bitLength() == 64) {
            variant.appendTo(uint64, c -> c.appendBigInteger(v));
        } else if (beyondAsFloat) {
            variant.appendTo(float64, c -> c.appendDouble(v.doubleValue()));
        } else {
            variant.appendTo(string, c -> c.appendString(text));
        }
    }

    private void appendFloat(String text) throws ValueConversionException {
        String t = text.toLowerCase(java.util.Locale.ROOT);
        double v = t.endsWith("nan") ? Double.NaN : t.endsWith("inf") ? (t.startsWith("-") ? Double.NEGATIVE_INFINITY
                : Double.POSITIVE_INFINITY) : Double.parseDouble(text);
        variant.appendTo(float64, c -> c.appendDouble(v));
    }

    private static final java.util.regex.Pattern TSV_INTEGER = java.util.regex.Pattern.compile("-?(0|[1-9][0-9]*)");
    /** An integer as CSV writes it: a sign allowed, leading zeros too (also {@link LiteralTypeInference}'s numbers). */
    static final java.util.regex.Pattern CSV_INTEGER = java.util.regex.Pattern.compile("[+-]?[0-9]+");
    /** A number with a point: {@code 1.5}, {@code 1.}, {@code .5}, a sign allowed. */
    static final java.util.regex.Pattern FRACTION = java.util.regex.Pattern.compile("[+-]?([0-9]+\\.[0-9]*|\\.[0-9]+)");
    private static final java.util.regex.Pattern NOT_FINITE = java.util.regex.Pattern.compile("[+-]?(nan|inf)");

    /** Writes a whole array or object into the variant of its inferred type, added to the block if new. */
    @Override
    void appendWhole(RecordedValue value) throws ValueConversionException {
        String inferred;
        try {
            inferred = JsonTypeInference.typeOf(value);
        } catch (JsonTypeInference.Refused e) {
            throw invalid(value.toString(), "is refused: " + e.getMessage());
        }
        variant.appendTo(variantOf(inferred, value.toString()), value::writeTo);
    }

    /**
     * {@inheritDoc}
     *
     * <p>A JSON value goes in as its text, a String: this library sends JSON columns as text, which the server parses,
     * and a Variant's part has to be in the type's own serialization.
     */
    @Override
    public <E extends Exception> void appendTyped(DataType type, ValueWrite<E> write) throws ValueConversionException, E {
        boolean json = type.name().equals("JSON") || type.name().equals("Object");
        variant.appendTo(json ? string : variantOf(type.text(), "a value"), write);
    }

    /** The index of the block's variant of {@code type}, added if new; {@code what} names the value for the error. */
    private int variantOf(String type, String what) throws ValueConversionException {
        int k = variant.variantIndex(type);
        if (k < 0) {
            if (variant.variantCount() >= MAX_VARIANTS) {
                throw invalid(what, "would be the " + (MAX_VARIANTS + 1) + "th type of this column in one "
                        + "batch (of type " + type + "), beyond what one Variant holds; make the batches smaller");
            }
            k = variant.addVariant(Columns.create(name(), DataType.parse(type), serverZone));
        }
        return k;
    }

    @Override
    public void mark() {
        variant.mark();
    }

    @Override
    public void rollback() {
        super.rollback();
        variant.rollback();
    }

    @Override
    public void clear() {
        super.clear();
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
