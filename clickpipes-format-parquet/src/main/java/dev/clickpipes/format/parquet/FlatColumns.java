package dev.clickpipes.format.parquet;

import dev.clickpipes.format.parquet.FieldType.Kind;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Reads a row group's flat columns (top-level primitive fields, required or optional, not
 * repeated, and top-level lists of such in the standard three-level shape, {@link ListColumn}, whose
 * elements are held the same way with their offsets, {@link ListValues}) column by column, a window of
 * rows at a time, into plain arrays: integers, dates and
 * timestamps as longs, floats as doubles, nulls from the definition levels, other values (text,
 * decimals, INT96) as a row would hold them, converted once per dictionary entry when the page is
 * dictionary-encoded. No record assembly: {@link ParquetRow}s of the window point into its arrays,
 * and {@link ParquetDecoder} writes a row's values from there, one column append each. Nested
 * fields are left to the row path ({@link RowAssembler}). Not thread-safe; a filled window is
 * immutable, and may be read from any thread.
 */
final class FlatColumns {

    /** Rows per window: enough to stay in a column's loop, small enough that a window costs little memory. */
    static final int WINDOW_ROWS = 4096;

    /** How a column's values are held. */
    enum Storage {
        LONG, DOUBLE, OBJECT
    }

    /** The top-level field index of each flat column. */
    private final int[] fieldIndex;
    /** For each top-level field, its flat column, or -1 when it goes through the row path. */
    private final int[] columnOf;
    private final FieldType[] types;
    private final Storage[] storage;
    private final boolean[] isFloat;
    private final ColumnDescriptor[] descriptors;
    private final Collector[] collectors;
    /** Per column, its reader of a top-level list of primitives ({@link ListColumn#isSimpleList}), or null. */
    private final ListColumn[] lists;
    /** Whether chunks that {@link ColumnChunkDecoder} supports are read by it (false: all by parquet-java's reader). */
    private final boolean bulk;
    private ColumnReader[] readers;
    /** Per column of the current row group: its bulk decoder, or null when {@link #readers} has its reader. */
    private ColumnChunkDecoder[] decoders;
    /** What stopped the column {@link #fill} read last, or null. */
    private RuntimeException failed;
    /** Column chunks started so far, and of those the ones {@link ColumnChunkDecoder} read. */
    private long chunks;
    private long decodedChunks;

    private FlatColumns(MessageType schema, FieldType[] fields, boolean bulk) {
        this.bulk = bulk;
        int n = schema.getFieldCount();
        columnOf = new int[n];
        int count = 0;
        for (int i = 0; i < n; i++) {
            columnOf[i] = isFlat(schema.getType(i)) ? count++ : -1;
        }
        fieldIndex = new int[count];
        types = new FieldType[count];
        storage = new Storage[count];
        isFloat = new boolean[count];
        descriptors = new ColumnDescriptor[count];
        collectors = new Collector[count];
        lists = new ListColumn[count];
        for (int i = 0; i < n; i++) {
            int k = columnOf[i];
            if (k < 0) {
                continue;
            }
            if (!schema.getType(i).isPrimitive()) {
                fieldIndex[k] = i;
                types[k] = fields[i];
                storage[k] = Storage.OBJECT; // the lists'; their elements are held as the ListColumn says
                descriptors[k] = schema.getColumnDescription(ListColumn.path(schema.getType(i)));
                lists[k] = new ListColumn(schema.getType(i).asGroupType(), fields[i]);
                continue;
            }
            PrimitiveType type = schema.getType(i).asPrimitiveType();
            fieldIndex[k] = i;
            types[k] = fields[i];
            storage[k] = storageOf(type, fields[i]);
            isFloat[k] = type.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.FLOAT;
            descriptors[k] = schema.getColumnDescription(new String[] {type.getName()});
            collectors[k] = new Collector(type, storage[k]);
        }
    }

    /** The flat columns of {@code schema}, or null when it has none (every field is nested). */
    static FlatColumns of(MessageType schema, FieldType[] fields) {
        return of(schema, fields, true);
    }

    /** As {@link #of(MessageType, FieldType[])}; {@code bulk} false reads every chunk through parquet-java's column reader (to compare). */
    static FlatColumns of(MessageType schema, FieldType[] fields, boolean bulk) {
        FlatColumns flat = new FlatColumns(schema, fields, bulk);
        return flat.fieldIndex.length == 0 ? null : flat;
    }

    /** True for a field read here: a top-level primitive that is not repeated, or a list of such ({@link ListColumn}). */
    static boolean isFlat(Type field) {
        return field.isPrimitive() ? !field.isRepetition(Type.Repetition.REPEATED) : ListColumn.isSimpleList(field);
    }

    /** How a column of {@code type} (a top-level field's, or a list's elements) holds its values. */
    static Storage storageOf(PrimitiveType type, FieldType field) {
        return switch (type.getPrimitiveTypeName()) {
            case BOOLEAN -> Storage.LONG;
            case INT32, INT64 -> Storage.LONG; // decimals too: their unscaled value
            case FIXED_LEN_BYTE_ARRAY -> field.kind == Kind.DECIMAL && type.getTypeLength() >= 1 && type.getTypeLength() <= 8
                    ? Storage.LONG : Storage.OBJECT;
            case FLOAT, DOUBLE -> Storage.DOUBLE;
            default -> Storage.OBJECT;
        };
    }

    /** The flat column of top-level field {@code i}, or -1. */
    int columnOf(int field) {
        return columnOf[field];
    }

    /**
     * Starts a row group: opens a reader on each flat column's pages (which reads its dictionary).
     *
     * @throws RuntimeException as parquet-java throws it, for a page it cannot read
     */
    void start(PageReadStore pages, MessageType schema, String createdBy) {
        readers = new ColumnReader[descriptors.length];
        decoders = new ColumnChunkDecoder[descriptors.length];
        for (ListColumn list : lists) {
            if (list != null) {
                list.newChunk();
            }
        }
        if (!bulk) {
            ColumnReadStoreImpl store = new ColumnReadStoreImpl(pages, new Root(), schema, createdBy);
            for (int k = 0; k < descriptors.length; k++) {
                readers[k] = store.getColumnReader(descriptors[k]);
            }
            return;
        }
        BufferedChunk[] buffered = new BufferedChunk[descriptors.length];
        for (int k = 0; k < descriptors.length; k++) {
            buffered[k] = BufferedChunk.read(pages.getPageReader(descriptors[k]));
            if (ColumnChunkDecoder.supports(descriptors[k], buffered[k])) {
                decoders[k] = new ColumnChunkDecoder(descriptors[k], storage[k], buffered[k]);
                decodedChunks++;
            }
            chunks++;
        }
        ColumnReadStoreImpl store = new ColumnReadStoreImpl(new ReplayedPages(pages, descriptors, buffered), new Root(), schema, createdBy);
        for (int k = 0; k < descriptors.length; k++) {
            if (decoders[k] == null) {
                readers[k] = store.getColumnReader(descriptors[k]);
            }
        }
    }

    /** The flat column chunks started so far: {chunks, of those read by {@link ColumnChunkDecoder}}. */
    long[] chunkCounts() {
        return new long[] {chunks, decodedChunks};
    }

    /**
     * Reads the next {@code rows} rows of every flat column. A column that fails part way leaves a
     * window of the rows before the failure, which holds the failure to be thrown after them.
     */
    Window read(int rows) {
        Window w = new Window(this, rows);
        for (int k = 0; k < descriptors.length; k++) {
            int filled = fill(k, w, Math.min(rows, w.rows));
            if (filled < w.rows) {
                w.rows = filled; // the columns after this one are read only up to here
            }
        }
        return w;
    }

    private int fill(int k, Window w, int rows) {
        boolean[] nulls = descriptors[k].getMaxDefinitionLevel() > 0 ? new boolean[rows] : null;
        failed = null;
        int i;
        if (lists[k] != null) {
            i = fillLists(k, nulls, rows);
            w.lists[k] = lists[k].values();
        } else {
            Collector collector = collectors[k];
            collector.into(storage[k], rows);
            i = decoders[k] != null ? fillInBulk(k, nulls, rows) : fillFromReader(k, nulls, rows);
            w.longs[k] = collector.longs;
            w.doubles[k] = collector.doubles;
            w.objects[k] = collector.objects;
        }
        if (failed != null) {
            w.failure = w.failure == null || i < w.rows ? failed : w.failure;
        }
        w.nulls[k] = nulls;
        return i;
    }

    /** Column {@code k}'s next rows through parquet-java's column reader, value by value; a failure goes to {@link #failed}. */
    private int fillFromReader(int k, boolean[] nulls, int rows) {
        ColumnReader reader = readers[k];
        Collector collector = collectors[k];
        int maxDefinition = descriptors[k].getMaxDefinitionLevel();
        long[] longs = collector.longs;
        double[] doubles = collector.doubles;
        PrimitiveType.PrimitiveTypeName physical = descriptors[k].getPrimitiveType().getPrimitiveTypeName();
        int i = 0;
        try {
            for (; i < rows; i++) {
                if (reader.getCurrentDefinitionLevel() != maxDefinition) {
                    nulls[i] = true;
                } else if (storage[k] == Storage.OBJECT) {
                    collector.row = i;
                    reader.writeCurrentValueToConverter(); // converted as the row path does, once per dictionary entry
                } else if (storage[k] == Storage.LONG) {
                    longs[i] = readLong(reader, physical, collector.unsigned32);
                } else {
                    doubles[i] = readDouble(reader, physical);
                }
                reader.consume();
            }
        } catch (RuntimeException e) {
            failed = e;
        }
        return i;
    }

    /**
     * The current value of a LONG column, plain from the reader (it decodes a dictionary id itself): an integer,
     * a boolean as 0 or 1, a short fixed-length decimal's unscaled value.
     */
    static long readLong(ColumnReader reader, PrimitiveType.PrimitiveTypeName physical, boolean unsigned32) {
        return switch (physical) {
            case INT64 -> reader.getLong();
            case INT32 -> unsigned32 ? Integer.toUnsignedLong(reader.getInteger()) : reader.getInteger();
            case BOOLEAN -> reader.getBoolean() ? 1 : 0;
            case FIXED_LEN_BYTE_ARRAY -> PlainPageDecoder.bigEndian(reader.getBinary().toByteBuffer());
            default -> throw new IllegalStateException(physical + " is not held as a long");
        };
    }

    /** The current value of a DOUBLE column, plain from the reader. */
    static double readDouble(ColumnReader reader, PrimitiveType.PrimitiveTypeName physical) {
        return physical == PrimitiveType.PrimitiveTypeName.FLOAT ? reader.getFloat() : reader.getDouble();
    }

    /** Value {@code i} of arrays held as {@code storage}, as a row would hold it (see {@link Kind}). */
    static Object boxed(FieldType type, Storage storage, boolean isFloat, long[] longs, double[] doubles, Object[] objects, int i) {
        return switch (storage) {
            case LONG -> switch (type.kind) {
                case BOOLEAN -> longs[i] != 0;
                case DECIMAL -> java.math.BigDecimal.valueOf(longs[i], type.scale);
                default -> longs[i];
            };
            case DOUBLE -> isFloat ? (Object) (float) doubles[i] : (Object) doubles[i];
            case OBJECT -> objects[i];
        };
    }

    /** Writes value {@code i} of arrays held as {@code storage} into {@code c}, as {@link ValueWriter#write} writes {@link #boxed}. */
    static void write(FieldType type, Storage storage, long[] longs, double[] doubles, Object[] objects, int i,
            dev.clickpipes.clickhouse.types.Column c) throws dev.clickpipes.clickhouse.types.ValueConversionException {
        if (storage == Storage.DOUBLE && c.keepsValueTypes()) {
            ValueWriter.write(type, doubles[i], c); // a FLOAT keeps Float32 there (the boxed kind does not matter)
            return;
        }
        switch (storage) {
            case LONG -> ValueWriter.writeLong(type, longs[i], c);
            case DOUBLE -> c.appendDouble(doubles[i]);
            case OBJECT -> ValueWriter.write(type, objects[i], c);
            default -> throw new IllegalStateException("unknown storage " + storage);
        }
    }

    /** List column {@code k}'s next rows through its {@link ListColumn}; a failure goes to {@link #failed}. */
    private int fillLists(int k, boolean[] nulls, int rows) {
        try {
            return lists[k].fill(readers[k], nulls, rows, descriptors[k].getMaxDefinitionLevel());
        } catch (RuntimeException e) {
            failed = e;
            return lists[k].filled;
        }
    }

    /** Column {@code k}'s next rows through its {@link ColumnChunkDecoder}, in bulk; a failure goes to {@link #failed}. */
    private int fillInBulk(int k, boolean[] nulls, int rows) {
        Collector collector = collectors[k];
        try {
            decoders[k].fill(nulls, collector.longs, collector.doubles, collector.objects, rows);
            return rows;
        } catch (RuntimeException e) {
            failed = e;
            return decoders[k].filled;
        }
    }

    /** True for an INT32 annotated as an unsigned integer: read as its unsigned value. */
    static boolean isUnsigned32(PrimitiveType type) {
        return type.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.INT32
                && type.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation i
                && !i.isSigned();
    }

    /** The values of a run of rows of every flat column; immutable once {@link #read} returned it. */
    static final class Window {
        private final FlatColumns columns;
        private final boolean[][] nulls;
        private final long[][] longs;
        private final double[][] doubles;
        private final Object[][] objects;
        /** Per column, the window's lists of a list column, else null. */
        private final ListValues[] lists;
        /** The rows read; fewer than asked when {@link #failure} is set. */
        int rows;
        /** What stopped a column before the rows asked, to be thrown after the rows before it. */
        RuntimeException failure;

        private Window(FlatColumns columns, int rows) {
            int n = columns.descriptors.length;
            this.columns = columns;
            this.rows = rows;
            nulls = new boolean[n][];
            longs = new long[n][];
            doubles = new double[n][];
            objects = new Object[n][];
            lists = new ListValues[n];
        }

        /** True when top-level field {@code field} is read here. */
        boolean has(int field) {
            return columns.columnOf[field] >= 0;
        }

        /** The value of field {@code field} in row {@code row} of the window, as a row would hold it (see {@link Kind}). */
        Object value(int field, int row) {
            int k = columns.columnOf[field];
            if (nulls[k] != null && nulls[k][row]) {
                return null;
            }
            return lists[k] != null ? lists[k].list(row)
                    : boxed(columns.types[k], columns.storage[k], columns.isFloat[k], longs[k], doubles[k], objects[k], row);
        }

        /** Writes field {@code field} of row {@code row} into {@code c}, as {@link ValueWriter#write} writes the same value. */
        void write(int field, int row, dev.clickpipes.clickhouse.types.Column c)
                throws dev.clickpipes.clickhouse.types.ValueConversionException {
            int k = columns.columnOf[field];
            if (nulls[k] != null && nulls[k][row]) {
                ValueWriter.writeNull(columns.types[k], c);
            } else if (lists[k] != null && c.keepsValueTypes()) {
                c.appendTyped(columns.types[k].dataType(), typed -> lists[k].write(row, typed));
            } else if (lists[k] != null) {
                lists[k].write(row, c);
            } else {
                FlatColumns.write(columns.types[k], columns.storage[k], longs[k], doubles[k], objects[k], row, c);
            }
        }

        /** Writes field {@code field} of rows {@code [from, from + count)} of the window into {@code c}, as {@link #write} writes each. */
        void writeRun(int field, int from, int count, dev.clickpipes.clickhouse.types.Column c)
                throws dev.clickpipes.clickhouse.types.ValueConversionException {
            int k = columns.columnOf[field];
            boolean[] isNull = nulls[k];
            FieldType type = columns.types[k];
            int end = from + count;
            if (lists[k] != null || c.keepsValueTypes()) {
                for (int row = from; row < end; row++) {
                    write(field, row, c);
                }
                return;
            }
            switch (columns.storage[k]) {
                case LONG -> {
                    long[] values = longs[k];
                    for (int row = from; row < end; row++) {
                        if (isNull != null && isNull[row]) {
                            c.appendNull();
                        } else {
                            ValueWriter.writeLongInto(type, values[row], c); // c does not keep value types: above
                        }
                    }
                }
                case DOUBLE -> {
                    double[] values = doubles[k];
                    for (int row = from; row < end; row++) {
                        if (isNull != null && isNull[row]) {
                            c.appendNull();
                        } else {
                            c.appendDouble(values[row]);
                        }
                    }
                }
                case OBJECT -> {
                    Object[] values = objects[k];
                    for (int row = from; row < end; row++) {
                        if (isNull != null && isNull[row]) {
                            c.appendNull();
                        } else {
                            ValueWriter.writeInto(type, values[row], c);
                        }
                    }
                }
                default -> throw new IllegalStateException("unknown storage " + columns.storage[k]);
            }
        }
    }

    /** The root of the flat columns' converters: parquet-java asks it for each column's by field index. */
    private final class Root extends GroupConverter {
        @Override
        public Converter getConverter(int field) {
            int k = columnOf[field];
            return lists[k] != null ? lists[k] : collectors[k];
        }

        @Override
        public void start() {
        }

        @Override
        public void end() {
        }
    }

    /**
     * Holds the current window's arrays of a column; for OBJECT storage, also the converter that
     * parquet-java hands its values (and dictionary) to, which puts them at {@link #row}.
     */
    private static final class Collector extends PrimitiveConverter {
        private final boolean unsigned32;
        /** For OBJECT storage: converts as the row path does (once per dictionary entry), into {@link #objects}. */
        private final PrimitiveConverter objectConverter;
        int row;
        long[] longs;
        double[] doubles;
        Object[] objects;

        Collector(PrimitiveType type, Storage storage) {
            unsigned32 = isUnsigned32(type);
            objectConverter = storage == Storage.OBJECT ? RowAssembler.primitiveConverter(type, v -> objects[row] = v) : null;
        }

        void into(Storage storage, int rows) {
            longs = storage == Storage.LONG ? new long[rows] : null;
            doubles = storage == Storage.DOUBLE ? new double[rows] : null;
            objects = storage == Storage.OBJECT ? new Object[rows] : null;
        }

        @Override
        public boolean hasDictionarySupport() {
            return objectConverter != null && objectConverter.hasDictionarySupport();
        }

        @Override
        public void setDictionary(org.apache.parquet.column.Dictionary dictionary) {
            objectConverter.setDictionary(dictionary);
        }

        @Override
        public void addValueFromDictionary(int id) {
            objectConverter.addValueFromDictionary(id);
        }

        @Override
        public void addBinary(org.apache.parquet.io.api.Binary value) {
            objectConverter.addBinary(value);
        }

        // INT32 and INT64 decimals; the other values of LONG and DOUBLE columns are read with the reader's getters

        @Override
        public void addInt(int value) {
            objectConverter.addInt(value);
        }

        @Override
        public void addLong(long value) {
            objectConverter.addLong(value);
        }
    }
}
