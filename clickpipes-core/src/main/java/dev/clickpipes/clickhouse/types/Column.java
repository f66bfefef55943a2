package dev.clickpipes.clickhouse.types;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The buffer of one column of a batch, in ClickHouse's Native layout, and the conversions into
 * its type. Decoders call the {@code append} method that matches the value they read; the column
 * converts it to its exact type or throws {@link ValueConversionException}, so the server never
 * has a value to reject.
 *
 * <p>A column can be marked and rolled back, so that a record that fails half-way leaves no trace
 * in any column. Adding a type is one subclass that overrides the appends it accepts.
 * Not thread-safe: a column belongs to one batch on one thread.
 */
public abstract class Column {

    private final String name;
    private final DataType type;
    /** The column's values in Native layout (for composite columns, their own part of it). */
    protected final NativeBuffer data = new NativeBuffer();
    private int markedSize;
    private final boolean keepsValueTypes = this instanceof DynamicColumn;
    /** How this column's scalars stand in a text literal: asked once per element of every CSV or TSV array. */
    private final QuotedForm quotedForm;

    /** Creates an empty column. */
    protected Column(String name, DataType type) {
        this.name = name;
        this.type = type;
        this.quotedForm = QuotedForm.of(type);
    }

    /** The column's name in the table. */
    public final String name() {
        return name;
    }

    /** The column's type in the table. */
    public final DataType type() {
        return type;
    }

    /**
     * The type written in the Native block header, which is the layout of {@link #writeTo}:
     * the table's type, except that LowCardinality is sent as its inner type (the server converts).
     */
    public String nativeTypeName() {
        return type.text();
    }

    // ---- values -------------------------------------------------------------------------------

    /** Appends the type's zero value: 0, empty string, 1970-01-01, empty array. */
    public abstract void appendDefault();

    /** Appends a null: NULL in a Nullable column, the zero value otherwise (as ClickHouse's input_format_null_as_default). */
    public void appendNull() throws ValueConversionException {
        appendDefault();
    }

    /** Appends a boolean. */
    public void appendBoolean(boolean v) throws ValueConversionException {
        throw cannotTake(String.valueOf(v), "a boolean");
    }

    /** Appends an integer. */
    public void appendLong(long v) throws ValueConversionException {
        throw cannotTake(String.valueOf(v), "a number");
    }

    /** Appends an integer beyond the range of long. */
    public void appendBigInteger(BigInteger v) throws ValueConversionException {
        throw cannotTake(v.toString(), "a number");
    }

    /** Appends a floating-point number. */
    public void appendDouble(double v) throws ValueConversionException {
        throw cannotTake(String.valueOf(v), "a number");
    }

    /** Appends an exact decimal; columns that do not need exactness take it as a double. */
    public void appendDecimal(BigDecimal v) throws ValueConversionException {
        appendDouble(v.doubleValue());
    }

    /**
     * Appends the exact decimal {@code unscaled} &times; 10<sup>-scale</sup>, as
     * {@link #appendDecimal(BigDecimal)} would append {@code BigDecimal.valueOf(unscaled, scale)}:
     * a reader that parsed a short decimal into a long calls this, and a Decimal column takes it
     * without making a BigDecimal.
     */
    public void appendDecimal(long unscaled, int scale) throws ValueConversionException {
        appendDecimal(BigDecimal.valueOf(unscaled, scale));
    }

    /**
     * False when a JSON string must not be read as this type's text (ClickHouse's JSON reader
     * refuses {@code "true"} for a Bool, though its CSV reader takes {@code true}).
     */
    public boolean acceptsJsonStrings() {
        return true;
    }

    /** True when decimals should reach {@link #appendDecimal} instead of going through double. */
    public boolean wantsExactDecimals() {
        return false;
    }

    /** True when numbers should reach {@link #appendString} as the text they were written as (String columns). */
    public boolean wantsNumbersAsText() {
        return false;
    }

    /**
     * True when this column keeps, for each value, the type its source declares for it ({@link #appendTyped}): a
     * Dynamic column, which ClickHouse fills from a typed format (Parquet, Avro, Protobuf) with the format's own
     * types, not with the types it would infer from the values' text. A final field, not an overridable method:
     * decoders ask it once per value.
     */
    public final boolean keepsValueTypes() {
        return keepsValueTypes;
    }

    /**
     * Writes one value that its source declares to be of ClickHouse type {@code type}, with {@code write}: into
     * this column; a column that {@link #keepsValueTypes} writes it into a part of its own of that type instead.
     * What {@code write} throws (a reader's {@code IOException}) passes through as it is.
     */
    public <E extends Exception> void appendTyped(DataType type, ValueWrite<E> write) throws ValueConversionException, E {
        write.into(this);
    }

    /**
     * A write of one value into a column, such as {@code c -> c.appendLong(v)}, which may also throw {@code E} (a
     * decoder's reading of the value as it writes it).
     */
    @FunctionalInterface
    public interface ValueWrite<E extends Exception> {
        /** Writes the value into {@code column}. */
        void into(Column column) throws ValueConversionException, E;
    }

    /**
     * True when the JSON decoders should hand numbers to {@link #appendNumberText} as the text they were
     * written as, marked as numbers: Variant columns, which choose their variant by what the value was.
     */
    public boolean wantsNumberText() {
        return false;
    }

    /**
     * Appends a number given as its JSON text, through the call the JSON decoders make for this column:
     * text for text columns, else an integer ({@link #appendLong}, beyond long {@link #appendBigInteger}),
     * else a decimal or a double.
     */
    public void appendNumberText(String text) throws ValueConversionException {
        if (wantsNumbersAsText()) {
            appendString(text);
        } else if (text.indexOf('.') < 0 && text.indexOf('e') < 0 && text.indexOf('E') < 0) {
            BigInteger v = new BigInteger(text);
            if (v.bitLength() < 64) {
                appendLong(v.longValue());
            } else {
                appendBigInteger(v);
            }
        } else if (wantsExactDecimals()) {
            appendDecimal(new BigDecimal(text));
        } else {
            appendDouble(Double.parseDouble(text));
        }
    }

    /** False for the number texts JSON readers let through that are not finite numbers: NaN, Infinity, -Infinity. */
    static boolean finiteNumberText(String text) {
        return Character.isDigit(text.charAt(text.length() - 1));
    }

    /**
     * Appends a 32-bit float as the number it was written as: its shortest text where the column
     * keeps text or exact decimals (0.1, not the double widening's 0.10000000149011612), else a double.
     */
    public final void appendFloat(float v) throws ValueConversionException {
        if (wantsNumbersAsText()) {
            appendString(Float.toString(v));
        } else if (wantsExactDecimals() && Float.isFinite(v)) {
            appendDecimal(new BigDecimal(Float.toString(v)));
        } else {
            appendDouble(v);
        }
    }

    /** Appends a point in time (a source's timestamp): Date, DateTime and DateTime64 columns take it. */
    public void appendInstant(long epochSecond, int nanos) throws ValueConversionException {
        throw cannotTake(instantText(epochSecond, nanos), "a timestamp");
    }

    /**
     * A decimal as text: plain, unless its exponent is large ({@code 1e4003456} would be four million
     * digits), then in scientific notation.
     */
    static String decimalText(java.math.BigDecimal v) {
        return Math.abs((long) v.scale()) > 1000 ? v.toString() : v.toPlainString();
    }

    /** The count of digits before the point of a non-zero decimal (negative when it is below 0.1), cheaply. */
    static long integerDigits(java.math.BigDecimal v) {
        return (long) v.precision() - v.scale();
    }

    /** A point in time for a message; one beyond {@link java.time.Instant}'s range as its count of seconds. */
    static String instantText(long epochSecond, int nanos) {
        try {
            return java.time.Instant.ofEpochSecond(epochSecond, nanos).toString();
        } catch (java.time.DateTimeException | ArithmeticException e) {
            return epochSecond + " s after the epoch";
        }
    }

    /**
     * Appends one scalar field of TabSeparated, escapes undone (the engine's Escaped text serialization). The same
     * as {@link #appendString} except where the engine reads Escaped text otherwise than a JSON or CSV string: a
     * Variant's empty field is its String, not the 0 of its number variant.
     */
    public void appendEscapedText(String v) throws ValueConversionException {
        appendString(v);
    }

    /**
     * Appends one scalar field of CSV, quotes undone ({@code quoted}: it was in double quotes). The same as
     * {@link #appendString} except where the engine reads a CSV field otherwise than a JSON string: a Dynamic column
     * infers the type of an unquoted field from its text.
     */
    public void appendCsvText(String v, boolean quoted) throws ValueConversionException {
        appendString(v);
    }

    /**
     * Appends one scalar of a text literal ({@code [..]}, {@code (..)}, {@code {..}} in a TSV or CSV field), its quotes
     * and escapes undone ({@code quoted}: it was in single quotes). As {@link #appendString}, except that the engine's
     * Quoted text reads numbers without quotes and strings, dates and the like in them, so each refuses the other form.
     */
    public void appendLiteralScalar(String v, boolean quoted) throws ValueConversionException {
        if (!quotedForm.takes(quoted)) {
            throw invalid(v, quoted ? "is in quotes inside a text literal, where ClickHouse reads a " + type.text()
                    + " without them" : "is not in quotes inside a text literal, where ClickHouse reads a " + type.text()
                    + " in single quotes");
        }
        appendString(v);
    }

    /** Appends a value given as text, parsed the way ClickHouse parses its text formats. */
    public void appendString(String v) throws ValueConversionException {
        throw cannotTake(v, "text");
    }

    /** Appends text from a char range, without making a String where the column can avoid it. */
    public void appendChars(char[] chars, int offset, int length) throws ValueConversionException {
        appendString(new String(chars, offset, length));
    }

    /** Appends raw bytes; text columns keep them as they are, others read them as UTF-8 text. */
    public void appendBytes(byte[] bytes, int offset, int length) throws ValueConversionException {
        appendString(new String(bytes, offset, length, StandardCharsets.UTF_8));
    }

    /** For Array columns: the column that takes the elements; call {@link #endArray} after them. */
    public Column arrayElements() throws ValueConversionException {
        throw cannotTake("[...]", "an array");
    }

    /**
     * For Array columns: closes an array of {@code count} elements appended to {@link #arrayElements}.
     * A Variant or Dynamic column chooses the array's type here, and may refuse it.
     */
    public void endArray(int count) throws ValueConversionException {
        throw new UnsupportedOperationException(type.text() + " is not an array");
    }

    /** For Map columns: the column that takes the keys; alternate keys and {@link #mapValues()}, then {@link #endMap}. */
    public Column mapKeys() throws ValueConversionException {
        throw cannotTake("{...}", "an object");
    }

    /** For Map columns: the column that takes the values. */
    public Column mapValues() throws ValueConversionException {
        throw cannotTake("{...}", "an object");
    }

    /** For Map columns: closes a map of {@code count} entries (a Variant or Dynamic column may refuse the object here). */
    public void endMap(int count) throws ValueConversionException {
        throw new UnsupportedOperationException(type.text() + " is not a map");
    }

    /** For Tuple columns: the number of elements; 0 for every other type. */
    public int tupleSize() {
        return 0;
    }

    /** For Tuple columns: starts a tuple value; then write elements through {@link #tupleElement}, then {@link #endTuple()}. */
    public void beginTuple() throws ValueConversionException {
        throw cannotTake("(...)", "a tuple");
    }

    /** For Tuple columns: true when the elements have names (then they come from objects, else from arrays). */
    public boolean tupleNamed() {
        return false;
    }

    /** For Tuple columns: the index of the element named {@code name}, or -1. */
    public int tupleIndex(String name) {
        return -1;
    }

    /** For Tuple columns: the column of element {@code index} (from 0); each element may be written once a tuple. */
    public Column tupleElement(int index) throws ValueConversionException {
        throw cannotTake("(...)", "a tuple");
    }

    /** For Tuple columns: ends a tuple value; elements not written take their zero value. */
    public void endTuple() {
        throw new UnsupportedOperationException(type.text() + " is not a tuple");
    }

    /** For Variant columns: the index of the variant of exactly this type (as ClickHouse names it), else -1. */
    public int variantIndex(String typeText) {
        return -1;
    }

    /**
     * For Variant columns: the column of variant {@code index} (from {@link #variantIndex}), for a source that
     * knows its value's type (an Avro union's branch); write one value into it, then call {@link #endVariant}.
     */
    public Column variantElement(int index) throws ValueConversionException {
        throw cannotTake("a value of a union", "a union");
    }

    /** For Variant columns: records that the value just written to {@link #variantElement} is of variant {@code index}. */
    public void endVariant(int index) {
        throw new UnsupportedOperationException(type.text() + " is not a Variant");
    }

    /**
     * True when nested JSON (objects, arrays) should reach {@link #appendBytes} as its raw JSON
     * text: String columns (as ClickHouse reads objects as strings) and JSON columns.
     */
    public boolean wantsRawJson() {
        return false;
    }

    // ---- buffer -------------------------------------------------------------------------------

    /** Remembers the current end so {@link #rollback()} can return to it. */
    public void mark() {
        markedSize = data.size();
    }

    /** Drops everything appended since {@link #mark()}. */
    public void rollback() {
        data.truncate(markedSize);
    }

    /**
     * Hands each buffer of this column, its parts' too, to {@code visitor} in an order fixed by the column's type:
     * what {@code RowBuffer} sizes a new buffer's columns by. Composite columns forward to their parts.
     */
    public void eachBuffer(Consumer<NativeBuffer> visitor) {
        visitor.accept(data);
    }

    /** Empties the column for the next batch, keeping its memory. */
    public void clear() {
        data.clear();
        markedSize = 0;
    }

    /** Bytes held, for batch size limits. */
    public long byteSize() {
        return data.size();
    }

    /**
     * Writes the column's serialization prefix, which Native puts before the data of the whole
     * column, nested columns' prefixes included (only LowCardinality has one). Composite columns
     * forward to their parts.
     */
    public void writePrefix(NativeBuffer out) {
    }

    /** Writes the column's data (not its name or type) in Native layout. */
    public void writeTo(NativeBuffer out) {
        out.writeBuffer(data);
    }

    /** The error for a value this column cannot take; names the column, the value and the type. */
    protected ValueConversionException cannotTake(String value, String what) {
        return new ValueConversionException("column `" + name + "` of type " + type.text()
                + " cannot take " + what + " " + quote(value));
    }

    /** The error for a value this column cannot take, with the reason. */
    protected ValueConversionException invalid(String value, String reason) {
        return new ValueConversionException("column `" + name + "` of type " + type.text()
                + ": " + quote(value) + " " + reason);
    }

    private static String quote(String value) {
        String shown = value.length() > 200 ? value.substring(0, 200) + "…" : value;
        return "'" + shown + "'";
    }
}
