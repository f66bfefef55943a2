package dev.clickpipes.format.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.clickpipes.clickhouse.types.Column;
import dev.clickpipes.clickhouse.types.ValueConversionException;
import java.io.IOException;

/**
 * Writes one JSON value (scalar or nested, to any depth) from a parser into a column: arrays into
 * Array, objects into Map, Tuple (by element name) or JSON, arrays into Tuple (by position), and
 * objects or arrays into String as their JSON text, as ClickHouse's JSONEachRow does.
 */
final class JsonValues {

    private JsonValues() {
    }

    /**
     * Writes the value starting at token {@code t} into {@code column}, consuming all its tokens.
     *
     * @param record the bytes the parser reads, from which raw JSON text is sliced
     * @param base   where the parser's input starts in {@code record}
     */
    static void write(JsonParser p, JsonToken t, Column column, byte[] record, int base)
            throws IOException, ValueConversionException {
        switch (t) {
            case VALUE_NULL -> column.appendNull();
            case VALUE_TRUE -> column.appendBoolean(true);
            case VALUE_FALSE -> column.appendBoolean(false);
            case VALUE_STRING -> {
                if (!column.acceptsJsonStrings()) {
                    throw new ValueConversionException("column `" + column.name() + "` of type "
                            + column.type().text() + " cannot take the JSON string \"" + p.getText() + "\"");
                }
                appendString(p, column, record, base);
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> writeNumber(p, t, column);
            case START_ARRAY -> {
                if (column.wantsRawJson()) {
                    appendRaw(p, column, record, base);
                } else if (column.tupleSize() > 0 && !column.tupleNamed()) {
                    writeTupleFromArray(p, column, record, base);
                } else {
                    writeArray(p, column, record, base);
                }
            }
            case START_OBJECT -> {
                if (column.wantsRawJson()) {
                    appendRaw(p, column, record, base);
                } else if (column.tupleSize() > 0 && column.tupleNamed()) {
                    writeTupleFromObject(p, column, record, base);
                } else {
                    writeMap(p, column, record, base);
                }
            }
            default -> throw new IllegalStateException("unexpected JSON token " + t);
        }
    }

    private static void writeNumber(JsonParser p, JsonToken t, Column column) throws IOException, ValueConversionException {
        switch (t) {
            case VALUE_NUMBER_INT -> {
                if (column.wantsNumberText()) {
                    column.appendNumberText(p.getText());
                } else if (column.wantsNumbersAsText()) {
                    column.appendString(p.getText());
                } else if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    column.appendBigInteger(p.getBigIntegerValue());
                } else {
                    column.appendLong(p.getLongValue());
                }
            }
            case VALUE_NUMBER_FLOAT -> {
                if (column.wantsNumberText()) {
                    column.appendNumberText(p.getText());
                } else if (column.wantsNumbersAsText()) {
                    column.appendString(p.getText());
                } else if (column.wantsExactDecimals()) {
                    if (p.isNaN()) { // NaN, Infinity (allowed for float columns): Jackson's BigDecimal throws
                        throw new ValueConversionException("column `" + column.name() + "` of type "
                                + column.type().text() + " cannot take " + p.getText());
                    }
                    column.appendDecimal(p.getDecimalValue());
                } else {
                    column.appendDouble(p.getDoubleValue());
                }
            }
            default -> throw new IllegalStateException("unexpected JSON token " + t);
        }
    }

    /**
     * A JSON string value. Most strings have no escapes: then their UTF-8 bytes are taken from the
     * record as they are, and Jackson only skips the token (it parses strings lazily), which saves
     * decoding to chars and encoding back to UTF-8, the largest cost after tokenizing.
     */
    private static void appendString(JsonParser p, Column column, byte[] record, int base)
            throws IOException, ValueConversionException {
        int start = base + (int) p.currentTokenLocation().getByteOffset() + 1; // after the opening quote
        int end = start;
        while (end < record.length) {
            byte b = record[end];
            if (b == '"') {
                column.appendBytes(record, start, end - start);
                return;
            }
            if (b == '\\' || (b >= 0 && b < 0x20)) {
                break; // escapes (or an invalid control character) need Jackson's full parse
            }
            end++;
        }
        column.appendChars(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
    }

    private static void writeArray(JsonParser p, Column column, byte[] record, int base)
            throws IOException, ValueConversionException {
        Column elements = column.arrayElements();
        int count = 0;
        JsonToken e;
        while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
            write(p, e, elements, record, base);
            count++;
        }
        column.endArray(count);
    }

    private static void writeMap(JsonParser p, Column column, byte[] record, int base)
            throws IOException, ValueConversionException {
        Column keys = column.mapKeys();
        Column values = column.mapValues();
        int count = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            keys.appendString(p.currentName());
            write(p, p.nextToken(), values, record, base);
            count++;
        }
        column.endMap(count);
    }

    private static void writeTupleFromObject(JsonParser p, Column column, byte[] record, int base)
            throws IOException, ValueConversionException {
        column.beginTuple();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            int index = column.tupleIndex(p.currentName());
            JsonToken value = p.nextToken();
            if (index < 0) {
                p.skipChildren(); // fields the tuple does not name are ignored, like top-level ones
            } else {
                write(p, value, column.tupleElement(index), record, base);
            }
        }
        column.endTuple();
    }

    private static void writeTupleFromArray(JsonParser p, Column column, byte[] record, int base)
            throws IOException, ValueConversionException {
        column.beginTuple();
        int index = 0;
        JsonToken e;
        while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
            if (index >= column.tupleSize()) {
                throw new ValueConversionException("column `" + column.name() + "` of type " + column.type().text()
                        + " cannot take an array of more than " + column.tupleSize() + " elements");
            }
            write(p, e, column.tupleElement(index++), record, base);
        }
        if (index < column.tupleSize()) {
            // As ClickHouse: an array gives every element of an unnamed tuple (an object may leave some out).
            throw new ValueConversionException("column `" + column.name() + "` of type " + column.type().text()
                    + " needs an array of " + column.tupleSize() + " elements, got " + index);
        }
        column.endTuple();
    }

    /** The object or array at the current token, as the exact JSON text it was written as. */
    private static void appendRaw(JsonParser p, Column column, byte[] record, int base)
            throws IOException, ValueConversionException {
        int start = base + (int) p.currentTokenLocation().getByteOffset();
        p.skipChildren();
        int end = base + (int) p.currentTokenLocation().getByteOffset() + 1;
        column.appendBytes(record, start, end - start);
    }
}
