package dev.clickpipes.clickhouse.types;

import dev.clickpipes.format.json.JsonText;
import java.util.List;

/**
 * One value a decoder wrote, kept whole (JSON's null, boolean, number as its text, string, array,
 * object) until the column that holds it knows where it goes: a Variant tries it on each of its
 * types, a Dynamic infers its type first. {@link #writeTo} writes it into a column as the JSON
 * decoders would have, and {@link #toString} gives it back as compact JSON for messages.
 */
final class RecordedValue {

    /** What a value is. */
    enum Kind { NULL, BOOLEAN, NUMBER, STRING, ARRAY, OBJECT }

    static final RecordedValue NULL_VALUE = new RecordedValue(Kind.NULL, null, List.of(), List.of());

    final Kind kind;
    /** A number's text as written, a string, or {@code true}/{@code false}; null for the others. */
    final String text;
    /** An array's elements, or an object's values in the order written. */
    final List<RecordedValue> elements;
    /** An object's keys, in the order written (beside {@link #elements}). */
    final List<String> keys;

    private RecordedValue(Kind kind, String text, List<RecordedValue> elements, List<String> keys) {
        this.kind = kind;
        this.text = text;
        this.elements = elements;
        this.keys = keys;
    }

    static RecordedValue scalar(Kind kind, String text) {
        return new RecordedValue(kind, text, List.of(), List.of());
    }

    static RecordedValue array(List<RecordedValue> elements) {
        return new RecordedValue(Kind.ARRAY, null, elements, List.of());
    }

    static RecordedValue object(List<String> keys, List<RecordedValue> values) {
        return new RecordedValue(Kind.OBJECT, null, values, keys);
    }

    /** True for an integer's text (no point, no exponent). */
    boolean integer() {
        return kind == Kind.NUMBER && text.indexOf('.') < 0 && text.indexOf('e') < 0 && text.indexOf('E') < 0;
    }

    /**
     * Writes this value into {@code column} as the JSON decoders write a parsed value: arrays into Array
     * or, by position, an unnamed Tuple; objects into Map or, by name, a named Tuple (names it lacks are
     * skipped). Refuses arrays and objects for columns that keep JSON text (String, JSON): the text as
     * written is gone.
     */
    void writeTo(Column column) throws ValueConversionException {
        switch (kind) {
            case NULL -> column.appendNull();
            case BOOLEAN -> column.appendBoolean(Boolean.parseBoolean(text));
            case NUMBER -> column.appendNumberText(text);
            case STRING -> {
                if (!column.acceptsJsonStrings()) {
                    throw column.cannotTake(text, "the JSON string");
                }
                column.appendString(text);
            }
            case ARRAY -> {
                if (column.wantsRawJson()) {
                    throw column.cannotTake(toString(), "an array's JSON text (not kept inside a Variant or Dynamic value)");
                } else if (column.tupleSize() > 0 && !column.tupleNamed()) {
                    writeTuple(column);
                } else {
                    Column into = column.arrayElements();
                    for (RecordedValue e : elements) {
                        e.writeTo(into);
                    }
                    column.endArray(elements.size());
                }
            }
            case OBJECT -> {
                if (column.wantsRawJson()) {
                    throw column.cannotTake(toString(), "an object's JSON text (not kept inside a Variant or Dynamic value)");
                } else if (column.tupleSize() > 0 && column.tupleNamed()) {
                    writeTuple(column);
                } else {
                    Column into = column.mapKeys();
                    Column values = column.mapValues();
                    for (int i = 0; i < keys.size(); i++) {
                        into.appendString(keys.get(i));
                        elements.get(i).writeTo(values);
                    }
                    column.endMap(keys.size());
                }
            }
            default -> throw new IllegalStateException(kind.name());
        }
    }

    /** An array into an unnamed tuple (every element, by position), or an object into a named one (by name). */
    private void writeTuple(Column column) throws ValueConversionException {
        if (kind == Kind.ARRAY && elements.size() != column.tupleSize()) {
            throw column.invalid(toString(), "needs an array of " + column.tupleSize() + " elements");
        }
        column.beginTuple();
        for (int i = 0; i < elements.size(); i++) {
            int index = kind == Kind.ARRAY ? i : column.tupleIndex(keys.get(i));
            if (index >= 0) {
                elements.get(i).writeTo(column.tupleElement(index));
            }
        }
        column.endTuple();
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        appendJson(out);
        return out.toString();
    }

    private void appendJson(StringBuilder out) {
        switch (kind) {
            case NULL -> out.append("null");
            case STRING -> JsonText.appendQuoted(out, text);
            case ARRAY, OBJECT -> {
                out.append(kind == Kind.ARRAY ? '[' : '{');
                for (int i = 0; i < elements.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    if (kind == Kind.OBJECT) {
                        JsonText.appendQuoted(out, keys.get(i));
                        out.append(':');
                    }
                    elements.get(i).appendJson(out);
                }
                out.append(kind == Kind.ARRAY ? ']' : '}');
            }
            default -> out.append(text);
        }
    }
}
