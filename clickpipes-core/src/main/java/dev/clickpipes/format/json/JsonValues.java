package dev.clickpipes.format.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.clickpipes.clickhouse.types.Column;
import dev.clickpipes.clickhouse.types.ValueConversionException;
import java.io.IOException;

/** Writes one JSON value (scalar or nested) from a parser into a column, recursively. */
final class JsonValues {

    private JsonValues() {
    }

    /** Writes the value starting at token {@code t} into {@code column}, consuming all its tokens. */
    static void write(JsonParser p, JsonToken t, Column column) throws IOException, ValueConversionException {
        switch (t) {
            case VALUE_NULL -> column.appendNull();
            case VALUE_TRUE -> column.appendBoolean(true);
            case VALUE_FALSE -> column.appendBoolean(false);
            case VALUE_STRING -> column.appendChars(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
            case VALUE_NUMBER_INT -> {
                if (column.wantsNumbersAsText()) {
                    column.appendString(p.getText());
                } else if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    column.appendBigInteger(p.getBigIntegerValue());
                } else {
                    column.appendLong(p.getLongValue());
                }
            }
            case VALUE_NUMBER_FLOAT -> {
                if (column.wantsNumbersAsText()) {
                    column.appendString(p.getText());
                } else if (column.wantsExactDecimals()) {
                    column.appendDecimal(p.getDecimalValue());
                } else {
                    column.appendDouble(p.getDoubleValue());
                }
            }
            case START_ARRAY -> {
                Column elements = column.arrayElements();
                int count = 0;
                JsonToken e;
                while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                    write(p, e, elements);
                    count++;
                }
                column.endArray(count);
            }
            case START_OBJECT -> throw new ValueConversionException("column `" + column.name() + "` of type "
                    + column.type().text() + " cannot take a JSON object");
            default -> throw new IllegalStateException("unexpected JSON token " + t);
        }
    }
}
