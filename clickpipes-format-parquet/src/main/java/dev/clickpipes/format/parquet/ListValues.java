package dev.clickpipes.format.parquet;

import dev.clickpipes.clickhouse.types.Column;
import dev.clickpipes.clickhouse.types.ValueConversionException;
import java.util.ArrayList;
import java.util.List;

/**
 * The lists of one top-level list column in one window, as {@link ListColumn} read them: row {@code i}'s
 * elements are {@code [offsets[i], offsets[i + 1])} of one run of element arrays, held the way
 * {@link FlatColumns} holds a column's values, an absent element flagged in {@code elementNulls}. An
 * absent list is in the window's nulls (its run is empty). No {@code List} is kept: a row's is made only
 * when asked for. Immutable once its window is read.
 */
final class ListValues {

    private final FieldType element;
    private final FlatColumns.Storage storage;
    private final boolean isFloat;
    private final int[] offsets;
    /** Null when the elements are required. */
    private final boolean[] elementNulls;
    private final long[] longs;
    private final double[] doubles;
    private final Object[] objects;

    ListValues(FieldType element, FlatColumns.Storage storage, boolean isFloat, int[] offsets, boolean[] elementNulls,
            long[] longs, double[] doubles, Object[] objects) {
        this.element = element;
        this.storage = storage;
        this.isFloat = isFloat;
        this.offsets = offsets;
        this.elementNulls = elementNulls;
        this.longs = longs;
        this.doubles = doubles;
        this.objects = objects;
    }

    /** Row {@code row}'s list (present), as the row path makes it: its elements boxed, null for an absent one. */
    List<Object> list(int row) {
        int end = offsets[row + 1];
        List<Object> list = new ArrayList<>(end - offsets[row]);
        for (int j = offsets[row]; j < end; j++) {
            list.add(isNull(j) ? null : FlatColumns.boxed(element, storage, isFloat, longs, doubles, objects, j));
        }
        return list;
    }

    /**
     * Writes row {@code row}'s list (present) into {@code c} with the calls {@link ValueWriter#write} makes for
     * {@link #list}: each element into {@code c.arrayElements()}, then {@code c.endArray}. Whatever {@code c} is
     * (an Array, a String, a Variant), it sees the same calls, so it holds the same.
     */
    void write(int row, Column c) throws ValueConversionException {
        Column elements = c.arrayElements();
        int start = offsets[row];
        int end = offsets[row + 1];
        for (int j = start; j < end; j++) {
            if (isNull(j)) {
                elements.appendNull();
            } else {
                FlatColumns.write(element, storage, longs, doubles, objects, j, elements);
            }
        }
        c.endArray(end - start);
    }

    private boolean isNull(int j) {
        return elementNulls != null && elementNulls[j];
    }
}
