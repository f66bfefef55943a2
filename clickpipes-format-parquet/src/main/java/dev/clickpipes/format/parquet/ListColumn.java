package dev.clickpipes.format.parquet;

import java.util.ArrayList;
import java.util.List;
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
 * and values with parquet-java's column reader, without its record assembly: each row's value is the
 * {@code List} {@link RowAssembler} would make (null for an absent list, null for an absent element), its
 * elements converted by the same converter. Not thread-safe.
 */
final class ListColumn extends GroupConverter {

    /** The definition level from which the list is there (0 when it is required). */
    private final int listLevel;
    private final GroupConverter middle;
    private final PrimitiveConverter element;
    private Object value;
    /** Values of the current column chunk consumed so far. */
    private long consumed;

    ListColumn(GroupType field) {
        listLevel = field.isRepetition(Type.Repetition.OPTIONAL) ? 1 : 0;
        element = RowAssembler.primitiveConverter(field.getType(0).asGroupType().getType(0).asPrimitiveType(), v -> value = v);
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
     * Reads the next {@code rows} rows' lists into {@code lists}, absent ones as null with {@code nulls} set;
     * returns the rows read, and throws what the reader throws (the rows before it are in the arrays).
     */
    int fill(ColumnReader reader, boolean[] nulls, Object[] lists, int rows, int maxDefinition) {
        long total = reader.getTotalValueCount();
        int entryLevel = listLevel + 1;
        filled = 0;
        for (int i = 0; i < rows; i++, filled = i) {
            int level = reader.getCurrentDefinitionLevel();
            if (level < listLevel) {
                nulls[i] = true;
                reader.consume();
                consumed++;
                continue;
            }
            List<Object> list = new ArrayList<>();
            while (true) {
                if (level == maxDefinition) {
                    value = null;
                    reader.writeCurrentValueToConverter();
                    list.add(value);
                } else if (level >= entryLevel) {
                    list.add(null);
                }
                reader.consume();
                consumed++;
                if (consumed >= total || reader.getCurrentRepetitionLevel() == 0) {
                    break;
                }
                level = reader.getCurrentDefinitionLevel();
            }
            lists[i] = list;
        }
        return rows;
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
