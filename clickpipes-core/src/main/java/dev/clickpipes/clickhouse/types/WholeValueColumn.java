package dev.clickpipes.clickhouse.types;

import java.math.BigInteger;

/**
 * A column that takes arrays and objects whole: what a decoder writes as an array's elements or an
 * object's keys and values goes to a {@link ValueRecorder}, and when the array or object ends, the
 * whole {@link RecordedValue} goes to {@link #appendWhole}, which decides where it goes (a Variant
 * tries its types on it, a Dynamic infers its type). As the type is chosen per value, numbers come
 * as the text they were written as ({@link #appendNumberText}), integers too.
 */
abstract class WholeValueColumn extends Column {

    /** Records an array or object until it is whole; made at the first. */
    private ValueRecorder recorder;
    /** True while an array or object is being recorded. */
    private boolean open;

    WholeValueColumn(String name, DataType type) {
        super(name, type);
    }

    /** Writes a whole array or object; throws, leaving the column to be rolled back, when it does not fit. */
    abstract void appendWhole(RecordedValue value) throws ValueConversionException;

    @Override
    public final boolean wantsNumberText() {
        return true;
    }

    @Override
    public final void appendLong(long v) throws ValueConversionException {
        appendNumberText(Long.toString(v));
    }

    @Override
    public final void appendBigInteger(BigInteger v) throws ValueConversionException {
        appendNumberText(v.toString());
    }

    /** Refuses NaN and the infinities: ClickHouse refuses them, or reads them as another type than this column would choose. */
    final void requireFinite(String text) throws ValueConversionException {
        if (!finiteNumberText(text)) {
            throw invalid(text, "is not a finite number; refused (ClickHouse refuses NaN and Infinity, and reads -Infinity as text or a "
                    + "float depending on the types)");
        }
    }

    @Override
    public final Column arrayElements() {
        return recorder().arrayElements();
    }

    @Override
    public final void endArray(int count) throws ValueConversionException {
        recorder.endArray(count);
        appendRecorded();
    }

    @Override
    public final Column mapKeys() {
        return recorder().mapKeys();
    }

    @Override
    public final Column mapValues() {
        return recorder().mapValues();
    }

    @Override
    public final void endMap(int count) throws ValueConversionException {
        recorder.endMap(count);
        appendRecorded();
    }

    /** Hands the array or object just ended, whole, to {@link #appendWhole}. */
    private void appendRecorded() throws ValueConversionException {
        open = false;
        appendWhole(recorder.take(1).get(0));
    }

    /** The recorder of the array or object being written, emptied of what a refused record may have left in it. */
    private ValueRecorder recorder() {
        if (recorder == null) {
            recorder = new ValueRecorder(name(), type());
        } else if (!open) {
            recorder.clear();
        }
        open = true;
        return recorder;
    }

    @Override
    public void rollback() {
        super.rollback();
        open = false;
    }

    @Override
    public void clear() {
        super.clear();
        open = false;
    }
}
