package dev.clickpipes.format.parquet;

import java.util.Arrays;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * A top-level list of primitives in the standard three-level shape ({@code <optional|required> group f (LIST)
 * { repeated group list { <optional|required> primitive element } }}), read from its one column's levels
 * and values with parquet-java's column reader, without its record assembly, into a window's
 * {@link ListValues}: offsets, element nulls and the elements in the storage {@link FlatColumns} gives a
 * column of the element's type (so no {@code List} and no boxed element a row). A row's list there is the
 * one {@link RowAssembler} would make (null for an absent list, null for an absent element), its elements
 * converted by the same converter or read as a flat column of their type is. Not thread-safe.
 */
final class ListColumn extends GroupConverter {

    /** Elements a window's arrays first hold when no window was read yet. */
    private static final int FIRST_CAPACITY = 64;

    /** The definition level from which the list is there (0 when it is required). */
    private final int listLevel;
    private final FieldType elementType;
    private final FlatColumns.Storage storage;
    private final boolean isFloat;
    private final boolean unsigned32;
    private final PrimitiveType.PrimitiveTypeName physical;
    private final boolean elementOptional;
    private final GroupConverter middle;
    /** Converts an element of OBJECT storage as the row path does (once per dictionary entry), into {@link #objects}. */
    private final PrimitiveConverter element;
    /** Values of the current column chunk consumed so far. */
    private long consumed;
    /** Elements the last window held: the next one's arrays start that large, so they rarely grow. */
    private int lastCount;

    // the window being read
    private int[] offsets;
    private boolean[] elementNulls;
    private long[] longs;
    private double[] doubles;
    private Object[] objects;
    private int count;

    ListColumn(GroupType field, FieldType type) {
        listLevel = field.isRepetition(Type.Repetition.OPTIONAL) ? 1 : 0;
        PrimitiveType primitive = field.getType(0).asGroupType().getType(0).asPrimitiveType();
        elementType = type.children[0];
        storage = FlatColumns.storageOf(primitive, elementType);
        isFloat = primitive.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.FLOAT;
        unsigned32 = FlatColumns.isUnsigned32(primitive);
        physical = primitive.getPrimitiveTypeName();
        elementOptional = primitive.isRepetition(Type.Repetition.OPTIONAL);
        element = RowAssembler.primitiveConverter(primitive, v -> objects[count] = v);
        middle = new GroupConverter() {
            @Override
            public Converter getConverter(int fieldIndex) {
                return element;
            }

            @Override
            public void start() {
            }

            @Override
            public void end() {
            }
        };
    }

    /**
     * True for a field read here: the three-level list {@link RowAssembler} reads as a list of its element
     * (the repeated group has one primitive, not repeated, child, and is not named {@code array} or
     * {@code <name>_tuple}, which RowAssembler reads as two-level lists of a struct).
     */
    static boolean isSimpleList(Type field) {
        if (field.isPrimitive() || field.isRepetition(Type.Repetition.REPEATED)
                || !(field.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation)) {
            return false;
        }
        GroupType group = field.asGroupType();
        if (group.getFieldCount() != 1 || !group.getType(0).isRepetition(Type.Repetition.REPEATED) || group.getType(0).isPrimitive()) {
            return false;
        }
        GroupType repeated = group.getType(0).asGroupType();
        return repeated.getFieldCount() == 1 && !repeated.getName().equals("array")
                && !repeated.getName().equals(group.getName() + "_tuple")
                && repeated.getType(0).isPrimitive() && !repeated.getType(0).isRepetition(Type.Repetition.REPEATED);
    }

    /** The path of the list's one column. */
    static String[] path(Type field) {
        GroupType repeated = field.asGroupType().getType(0).asGroupType();
        return new String[] {field.getName(), repeated.getName(), repeated.getType(0).getName()};
    }

    /** Rows {@link #fill} completed, when it threw. */
    int filled;

    /** A new column chunk starts. */
    void newChunk() {
        consumed = 0;
    }

    /**
     * Reads the next {@code rows} rows' lists into new arrays ({@link #values}), an absent list with
     * {@code nulls} set; returns the rows read, and throws what the reader throws (the rows before it are
     * in the arrays).
     */
    int fill(ColumnReader reader, boolean[] nulls, int rows, int maxDefinition) {
        long total = reader.getTotalValueCount();
        int entryLevel = listLevel + 1;
        startWindow(rows);
        filled = 0;
        for (int i = 0; i < rows; i++, filled = i) {
            int level = reader.getCurrentDefinitionLevel();
            if (level < listLevel) {
                nulls[i] = true;
                reader.consume();
                consumed++;
                offsets[i + 1] = count;
                continue;
            }
            while (true) {
                if (level == maxDefinition) {
                    reserveOne();
                    read(reader);
                    count++;
                } else if (level >= entryLevel) {
                    reserveOne();
                    elementNulls[count++] = true;
                }
                reader.consume();
                consumed++;
                if (consumed >= total || reader.getCurrentRepetitionLevel() == 0) {
                    break;
                }
                level = reader.getCurrentDefinitionLevel();
            }
            offsets[i + 1] = count;
        }
        lastCount = count;
        return rows;
    }

    /** The lists {@link #fill} read last, of the rows it completed. */
    ListValues values() {
        return new ListValues(elementType, storage, isFloat, offsets, elementNulls, longs, doubles, objects);
    }

    private void startWindow(int rows) {
        int capacity = Math.max(FIRST_CAPACITY, lastCount + (lastCount >> 3));
        offsets = new int[rows + 1];
        elementNulls = elementOptional ? new boolean[capacity] : null;
        longs = storage == FlatColumns.Storage.LONG ? new long[capacity] : null;
        doubles = storage == FlatColumns.Storage.DOUBLE ? new double[capacity] : null;
        objects = storage == FlatColumns.Storage.OBJECT ? new Object[capacity] : null;
        count = 0;
    }

    /** Makes room for one more element. */
    private void reserveOne() {
        int capacity = longs != null ? longs.length : doubles != null ? doubles.length : objects.length;
        if (count < capacity) {
            return;
        }
        int grown = Math.max(capacity + 1, capacity * 2);
        elementNulls = elementNulls == null ? null : Arrays.copyOf(elementNulls, grown);
        longs = longs == null ? null : Arrays.copyOf(longs, grown);
        doubles = doubles == null ? null : Arrays.copyOf(doubles, grown);
        objects = objects == null ? null : Arrays.copyOf(objects, grown);
    }

    /** Reads the current (present) element into slot {@link #count}. */
    private void read(ColumnReader reader) {
        switch (storage) {
            case LONG -> longs[count] = FlatColumns.readLong(reader, physical, unsigned32);
            case DOUBLE -> doubles[count] = FlatColumns.readDouble(reader, physical);
            case OBJECT -> reader.writeCurrentValueToConverter();
            default -> throw new IllegalStateException("unknown storage " + storage);
        }
    }

    @Override
    public Converter getConverter(int fieldIndex) {
        return middle;
    }

    @Override
    public void start() {
        // not driven by a record reader: the column reader hands values to the element's converter only
    }

    @Override
    public void end() {
    }
}
