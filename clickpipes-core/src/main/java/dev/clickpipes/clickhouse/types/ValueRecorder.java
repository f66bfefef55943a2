package dev.clickpipes.clickhouse.types;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * A column that keeps what decoders write into it as {@link RecordedValue}s instead of encoding it:
 * what a Variant or Dynamic column hands its decoder for an array's elements or an object's keys and
 * values, so that the whole array or object is known before it goes anywhere. Nested arrays and
 * objects go to recorders of their own, one level down. Points in time and non-finite numbers are
 * refused (JSON has neither inside an array or object).
 */
final class ValueRecorder extends Column {

    private final List<RecordedValue> values = new ArrayList<>();
    private ValueRecorder elements;
    private ValueRecorder keys;
    private ValueRecorder mapValues;

    /** A recorder for a value of the column {@code name} of type {@code type} (named in errors). */
    ValueRecorder(String name, DataType type) {
        super(name, type);
    }

    /** Removes and returns the last {@code count} values recorded, in order. */
    List<RecordedValue> take(int count) {
        List<RecordedValue> last = values.subList(values.size() - count, values.size());
        List<RecordedValue> taken = List.copyOf(last);
        last.clear();
        return taken;
    }

    private void add(RecordedValue.Kind kind, String text) {
        values.add(RecordedValue.scalar(kind, text));
    }

    @Override
    public void appendDefault() {
        values.add(RecordedValue.NULL_VALUE);
    }

    @Override
    public void appendBoolean(boolean v) {
        add(RecordedValue.Kind.BOOLEAN, Boolean.toString(v));
    }

    @Override
    public boolean wantsNumberText() {
        return true;
    }

    @Override
    public void appendNumberText(String text) throws ValueConversionException {
        if (!finiteNumberText(text)) {
            throw cannotTake(text, "inside an array or object the number");
        }
        add(RecordedValue.Kind.NUMBER, text);
    }

    @Override
    public void appendLong(long v) {
        add(RecordedValue.Kind.NUMBER, Long.toString(v));
    }

    @Override
    public void appendBigInteger(BigInteger v) {
        add(RecordedValue.Kind.NUMBER, v.toString());
    }

    @Override
    public void appendDouble(double v) throws ValueConversionException {
        appendNumberText(Double.toString(v));
    }

    @Override
    public void appendDecimal(BigDecimal v) {
        add(RecordedValue.Kind.NUMBER, v.toString());
    }

    @Override
    public void appendString(String v) {
        add(RecordedValue.Kind.STRING, v);
    }

    @Override
    public Column arrayElements() {
        if (elements == null) {
            elements = new ValueRecorder(name(), type());
        }
        return elements;
    }

    @Override
    public void endArray(int count) {
        values.add(RecordedValue.array(elements.take(count)));
    }

    @Override
    public Column mapKeys() {
        if (keys == null) {
            keys = new ValueRecorder(name(), type());
            mapValues = new ValueRecorder(name(), type());
        }
        return keys;
    }

    @Override
    public Column mapValues() {
        mapKeys();
        return mapValues;
    }

    @Override
    public void endMap(int count) {
        List<String> names = new ArrayList<>();
        for (RecordedValue k : keys.take(count)) {
            names.add(k.text);
        }
        values.add(RecordedValue.object(names, mapValues.take(count)));
    }

    @Override
    public void clear() {
        values.clear();
        for (ValueRecorder r : new ValueRecorder[] {elements, keys, mapValues}) {
            if (r != null) {
                r.clear();
            }
        }
    }

    @Override
    public void mark() {
    }

    @Override
    public void rollback() {
        clear();
    }

    @Override
    public long byteSize() {
        return 0;
    }

    @Override
    public void writeTo(NativeBuffer out) {
        throw new UnsupportedOperationException("a recorder is never sent");
    }
}
