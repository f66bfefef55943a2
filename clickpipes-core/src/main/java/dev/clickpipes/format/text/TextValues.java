package dev.clickpipes.format.text;

import dev.clickpipes.clickhouse.SqlNames;
import dev.clickpipes.clickhouse.types.Column;
import dev.clickpipes.clickhouse.types.DataType;
import dev.clickpipes.clickhouse.types.LiteralTypeInference;
import dev.clickpipes.clickhouse.types.ValueConversionException;

/**
 * Writes one field of a text format (CSV, TSV) into a column. Scalars go to
 * {@link Column#appendCsvText} or {@link Column#appendEscapedText}; composite columns read ClickHouse's
 * literal syntax, as its text formats write it: arrays {@code [1,2]}, tuples {@code (1,'a')}, maps
 * {@code {'k':1}}, strings in single quotes with backslash escapes, {@code NULL}; each scalar in it through
 * {@link Column#appendLiteralScalar}, which knows whether it was quoted. A TSV literal is read from the
 * field as it stands, its backslash escapes undone only by the quoted strings, as the engine reads it.
 */
final class TextValues {

    private final String text;
    private final Column root;
    private int pos;

    private TextValues(String text, Column root) {
        this.text = text;
        this.root = root;
    }

    /** Writes the field into the column; {@code escaped} for TabSeparated's fields (not CSV's). */
    static void write(TextField field, Column column, boolean escaped) throws ValueConversionException {
        if (column.keepsValueTypes() && LiteralTypeInference.isLiteral(field.text())) {
            writeInferred(field, column, escaped);
        } else if (isComposite(column) || column.tupleSize() > 0) {
            if (!escaped && column.tupleSize() > 0) {
                // the engine's CSV reader refuses '(1,'x')' for a Tuple column, though it reads tuples inside arrays
                throw new TextValues(field.literal(), column).error("ClickHouse's CSV reader takes no Tuple field; send "
                        + "it as JSON or TSV");
            }
            readWhole(field.literal(), column, column);
        } else if (escaped) {
            column.appendEscapedText(field.text());
        } else {
            column.appendCsvText(field.text(), field.quoted());
        }
    }

    /**
     * A literal into a Dynamic column: into its part of the type the engine infers from the field's text (its TSV escapes
     * undone), read from the literal as a column of that type reads it; the text itself where the engine infers none.
     */
    private static void writeInferred(TextField field, Column column, boolean escaped) throws ValueConversionException {
        String type;
        try {
            type = LiteralTypeInference.typeOf(field.text(), escaped);
        } catch (LiteralTypeInference.Refused e) {
            throw new TextValues(field.text(), column).error("refused: " + e.getMessage());
        }
        if (type.equals("String")) {
            column.appendTyped(DataType.parse("String"), c -> c.appendString(field.text()));
            return;
        }
        column.appendTyped(DataType.parse(type), c -> readWhole(field.literal(), column, c));
    }

    /** Reads {@code literal} into {@code into}, all of it; errors name {@code root}, the field's column. */
    private static void readWhole(String literal, Column root, Column into) throws ValueConversionException {
        TextValues reader = new TextValues(literal.strip(), root);
        reader.value(into);
        if (reader.pos != reader.text.length()) {
            throw reader.error("unexpected text after the value");
        }
    }

    private static boolean isComposite(Column column) {
        String name = column.type().name();
        return name.equals("Array") || name.equals("Map") || name.equals("Nested")
                || name.equals("Nullable") && isCompositeType(column.type().argument(0).name());
    }

    private static boolean isCompositeType(String name) {
        return name.equals("Array") || name.equals("Map") || name.equals("Tuple");
    }

    private void value(Column column) throws ValueConversionException {
        skipSpaces();
        char c = peek();
        if (c == '[') {
            pos++;
            Column elements = column.arrayElements();
            int count = 0;
            skipSpaces();
            if (peek() == ']') {
                pos++;
            } else {
                do {
                    value(elements);
                    count++;
                } while (separator(']') && !closesAfterComma(']'));
            }
            column.endArray(count);
        } else if (column.tupleSize() > 0) {
            tuple(column);
        } else if (c == '{') {
            pos++;
            Column keys = column.mapKeys();
            Column values = column.mapValues();
            int count = 0;
            skipSpaces();
            if (peek() == '}') {
                pos++;
            } else {
                do {
                    value(keys);
                    skipSpaces();
                    expect(':');
                    value(values);
                    count++;
                } while (separator('}'));
            }
            column.endMap(count);
        } else if (c == '\'') {
            column.appendLiteralScalar(quoted(), true);
        } else {
            String scalar = bare();
            if (scalar.equals("NULL") || scalar.equals("null")) {
                column.appendNull();
            } else {
                column.appendLiteralScalar(scalar, false);
            }
        }
    }

    /** A tuple literal, its elements by position; a comma may end it, as the engine allows: {@code (1,)}. */
    private void tuple(Column column) throws ValueConversionException {
        expect('(');
        column.beginTuple();
        int count = 0; // a Tuple has elements (value() comes here only then), so () is one empty one, refused
        do {
            if (count == column.tupleSize()) {
                throw error("more elements than the Tuple's " + column.tupleSize());
            }
            value(column.tupleElement(count++));
        } while (separator(')') && !closesAfterComma(')'));
        if (count < column.tupleSize()) {
            throw error(count + " elements, where the Tuple has " + column.tupleSize());
        }
        column.endTuple();
    }

    /** After an element: true on a comma, false on the closing bracket. */
    private boolean separator(char close) throws ValueConversionException {
        skipSpaces();
        if (peek() == ',') {
            pos++;
            return true;
        }
        expect(close);
        return false;
    }

    /**
     * After a comma: true, past it, when the closing bracket follows, as the engine reads {@code [1,]} as {@code [1]}
     * and {@code (1,)} as {@code (1)}. An empty element ({@code [,1]}, {@code [1,,2]}) is no such end, and is refused
     * where it is read.
     */
    private boolean closesAfterComma(char close) {
        skipSpaces();
        if (peek() == close) {
            pos++;
            return true;
        }
        return false;
    }

    private String quoted() throws ValueConversionException {
        StringBuilder out = new StringBuilder();
        int end = SqlNames.readQuoted(text, pos, out);
        if (end < 0) {
            throw error("unclosed quote");
        }
        pos = end;
        return out.toString();
    }

    private String bare() {
        int start = pos;
        while (pos < text.length() && ",]})".indexOf(text.charAt(pos)) < 0 && text.charAt(pos) != ':') {
            pos++;
        }
        return text.substring(start, pos).strip();
    }

    private void expect(char c) throws ValueConversionException {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void skipSpaces() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private ValueConversionException error(String what) {
        return new ValueConversionException("column `" + root.name() + "` of type " + root.type().text()
                + ": cannot read '" + text + "' at position " + pos + ": " + what);
    }
}
