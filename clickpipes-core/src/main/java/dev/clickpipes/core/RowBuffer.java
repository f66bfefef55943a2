package dev.clickpipes.core;

import dev.clickpipes.clickhouse.TableColumn;
import dev.clickpipes.clickhouse.TableSchema;
import dev.clickpipes.clickhouse.types.Column;
import dev.clickpipes.clickhouse.types.Columns;
import dev.clickpipes.clickhouse.types.ValueConversionException;
import dev.clickpipes.core.spi.DecodeException;
import dev.clickpipes.core.spi.SourceRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rows of one batch, held as one {@link Column} buffer per insertable column of the target
 * table. Decoders write fields into it; the pipe fills virtual columns and zero values, rolls back
 * a rejected record, and hands the buffer to the sink. Not thread-safe.
 *
 * <p>A pipe that decodes on several threads ({@code Pipe.Builder.decodeExecutor}) decodes parts of
 * a batch into buffers of their own and appends them here as further blocks, in order
 * ({@link #appendBlock}); a sink sends {@link #blocks()}, each a Native block, in one insert.
 */
public final class RowBuffer {

    /** The virtual column every source has: the record's bytes as they came. */
    public static final String RAW_MESSAGE = "_raw_message";

    private final TableSchema schema;
    private final Column[] columns;
    private final Map<String, Integer> fieldIndex = new HashMap<>();
    /** Every proper path prefix of a mapped field name ({@code a}, {@code a.b} for {@code a.b.c}). */
    private final Set<String> fieldPrefixes = new java.util.HashSet<>();
    private final FieldMapping mapping;
    /** For each column, the virtual column that fills it, or null when a decoder fills it. */
    private final String[] virtualSource;
    /** For each column, the serial of the last row that wrote it: catches missing and repeated fields. */
    private final long[] writtenInRow;
    private final boolean decodes;
    /** Indexes of the columns decoders fill, in table order. */
    private final int[] decodedColumns;
    private long rowSerial;
    /** The name and column index of the k-th field of recent rows (see {@link #indexOf}). */
    private final String[] recentNames = new String[64];
    private final int[] recentIndexes = new int[64];
    private int fieldOrdinal;
    private int rows;
    private int rowsAtMark;
    private SourceRecord record;
    /** The run {@link #beginRun} started: its records, the first one's index and how many. */
    private List<? extends SourceRecord> runRecords;
    private int runFrom;
    private int runCount;
    /** Buffers decoded beside this one, whose rows come after this buffer's own. */
    private final List<RowBuffer> appended = new ArrayList<>();
    private int appendedRows;

    /**
     * An empty buffer for {@code schema}'s insertable columns.
     *
     * @param virtualColumns the names the source fills (plus {@value #RAW_MESSAGE}, always)
     */
    public RowBuffer(TableSchema schema, FieldMapping mapping, Set<String> virtualColumns) {
        this.schema = schema;
        this.mapping = mapping;
        List<TableColumn> insertable = schema.insertableColumns();
        columns = new Column[insertable.size()];
        virtualSource = new String[columns.length];
        writtenInRow = new long[columns.length];
        Map<String, Integer> byColumn = new HashMap<>();
        boolean anyDecoded = false;
        for (int i = 0; i < columns.length; i++) {
            TableColumn c = insertable.get(i);
            columns[i] = "DEFAULT".equals(c.defaultKind()) && schema.serverDefaults()
                    ? Columns.createWithDefault(c.name(), c.type(), schema.serverZone())
                    : Columns.create(c.name(), c.type(), schema.serverZone());
            if (virtualColumns.contains(c.name()) || RAW_MESSAGE.equals(c.name())) {
                virtualSource[i] = c.name();
            } else {
                anyDecoded = true;
                byColumn.put(mapping.key(c.name()), i);
            }
        }
        decodes = anyDecoded;
        decodedColumns = java.util.stream.IntStream.range(0, columns.length)
                .filter(i -> virtualSource[i] == null).toArray();
        fieldIndex.putAll(byColumn);
        for (Map.Entry<String, String> e : mapping.explicit().entrySet()) {
            Integer target = byColumn.get(mapping.key(e.getValue()));
            if (target == null) {
                throw new IllegalArgumentException("mapping " + e.getKey() + " -> " + e.getValue()
                        + ": table " + schema.qualifiedName() + " has no column `" + e.getValue()
                        + "`; its columns are " + schema.columnNames());
            }
            fieldIndex.remove(mapping.key(e.getValue()));
            fieldIndex.put(mapping.key(e.getKey()), target);
        }
        for (String field : fieldIndex.keySet()) {
            for (int dot = field.indexOf('.'); dot > 0; dot = field.indexOf('.', dot + 1)) {
                fieldPrefixes.add(field.substring(0, dot));
            }
        }
    }

    /** The table this buffer is for. */
    public TableSchema schema() {
        return schema;
    }

    /**
     * The column buffers of this buffer's own rows, in the table's order; the rows of appended
     * blocks are in their own buffers (see {@link #blocks()}).
     */
    public List<Column> columns() {
        return List.of(columns);
    }

    /** True when some column is filled by the decoder; false when the table takes only virtual columns. */
    public boolean needsDecoding() {
        return decodes;
    }

    /** The number of complete rows, of appended blocks too. */
    public int rows() {
        return rows + appendedRows;
    }

    /** Bytes held by all columns, of appended blocks too. */
    public long byteSize() {
        long n = 0;
        for (Column c : columns) {
            n += c.byteSize();
        }
        for (RowBuffer b : appended) {
            n += b.byteSize();
        }
        return n;
    }

    /**
     * The rows as one or more blocks of the same columns, in order: this buffer itself when it has
     * rows of its own, then the appended ones. A sink inserts each block's {@link #columns()}.
     */
    public List<RowBuffer> blocks() {
        if (appended.isEmpty()) {
            return List.of(this);
        }
        List<RowBuffer> blocks = new ArrayList<>(appended.size() + 1);
        if (rows > 0) {
            blocks.add(this);
        }
        blocks.addAll(appended);
        return blocks;
    }

    /**
     * Appends another buffer's rows after all of this one's, as a block of its own; no record may
     * be written here after that.
     */
    void appendBlock(RowBuffer block) {
        if (block.schema != schema || !block.appended.isEmpty()) {
            throw new IllegalArgumentException("a block of another table, or one with blocks of its own");
        }
        appended.add(block);
        appendedRows += block.rows;
    }

    /** Removes the appended blocks and returns them (to be cleared and filled again). */
    List<RowBuffer> detachBlocks() {
        List<RowBuffer> blocks = List.copyOf(appended);
        appended.clear();
        appendedRows = 0;
        return blocks;
    }

    /** The size of each of this buffer's own column buffers, in {@link Column#eachBuffer} order: a {@link #reserve} for another. */
    int[] bufferSizes() {
        List<Integer> sizes = new ArrayList<>();
        for (Column c : columns) {
            c.eachBuffer(b -> sizes.add(b.size()));
        }
        return sizes.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Makes room in each column buffer for what {@code sizes} ({@link #bufferSizes} of a buffer of the same schema)
     * says, and an eighth more: a new buffer that will take as many rows as that one then does not grow by doubling,
     * copying what it holds each time.
     */
    void reserve(int[] sizes) {
        int[] i = {0};
        for (Column c : columns) {
            c.eachBuffer(b -> {
                int n = sizes[i[0]++];
                b.reserve(n + n / 8);
            });
        }
    }

    /** Starts a record: whatever it writes can be rolled back with {@link #rollbackRecord()}. */
    public void beginRecord(SourceRecord record) {
        if (!appended.isEmpty()) {
            throw new IllegalStateException("blocks were appended: rows written now would come before theirs");
        }
        this.record = record;
        rowsAtMark = rows;
        for (Column c : columns) {
            c.mark();
        }
    }

    /**
     * Starts a run of {@code count} records, {@code records[from, from + count)}, each one row, that a
     * decoder writes column by column ({@code Decoder.decodeRun}): each column through {@link #runField},
     * once per run, then {@link #endRun}. {@link #rollbackRecord()} drops the whole run.
     */
    public void beginRun(List<? extends SourceRecord> records, int from, int count) {
        beginRecord(records.get(from));
        runRecords = records;
        runFrom = from;
        runCount = count;
        beginRow();
    }

    /**
     * The column for a field of every row of the run {@link #beginRun} started, or null when the table
     * has none; the decoder appends one value per row of the run.
     *
     * @throws DecodeException when the run's rows already have this field
     */
    public Column runField(String name) throws DecodeException {
        return field(name);
    }

    /**
     * Ends the run: the virtual columns of each of its records and the zero value of every column the
     * run did not write, as {@link #endRow()} gives each row.
     */
    public void endRun() throws DecodeException {
        for (int i = 0; i < columns.length; i++) {
            if (virtualSource[i] != null) {
                for (int j = 0; j < runCount; j++) {
                    record = runRecords.get(runFrom + j);
                    writeVirtual(columns[i], virtualSource[i]);
                }
            } else if (writtenInRow[i] != rowSerial) {
                for (int j = 0; j < runCount; j++) {
                    columns[i].appendDefault();
                }
            }
        }
        record = runRecords.get(runFrom + runCount - 1);
        rows += runCount;
        runRecords = null;
    }

    /** Drops every row of the current record. */
    public void rollbackRecord() {
        for (Column c : columns) {
            c.rollback();
        }
        rows = rowsAtMark;
    }

    /** Starts a row. */
    public void beginRow() {
        rowSerial++;
        fieldOrdinal = 0;
    }

    /**
     * The column index of a field, or -1. Records of a stream mostly name their fields in the
     * same order, and decoders hand out canonical (interned) name strings, so the lookup of the
     * k-th field of a row is first tried against the name the k-th field had last time, by
     * identity: a hash lookup per field was the largest single cost of decoding.
     */
    private int indexOf(String name) {
        int k = fieldOrdinal++;
        if (k < recentNames.length && recentNames[k] == name) {
            return recentIndexes[k];
        }
        Integer i = fieldIndex.get(mapping.caseInsensitive() ? mapping.key(name) : name);
        int index = i == null ? -1 : i;
        if (k < recentNames.length) {
            recentNames[k] = name;
            recentIndexes[k] = index;
        }
        return index;
    }

    /**
     * The column for a record field, or null when the table has none (the field is ignored).
     * Each field may be written once a row.
     *
     * @throws DecodeException when the row already has this field
     */
    public Column field(String name) throws DecodeException {
        int i = indexOf(name);
        if (i < 0) {
            return null;
        }
        if (writtenInRow[i] == rowSerial) {
            throw new DecodeException(ErrorKind.DATA_PARSING_ERROR, "field `" + name + "` appears twice");
        }
        writtenInRow[i] = rowSerial;
        return columns[i];
    }

    /** How many columns decoders fill: the fields of a row without names go to these, in table order. */
    public int fieldColumnCount() {
        return decodedColumns.length;
    }

    /**
     * The column for the field at {@code position} of a row without names (CSV, TSV): the
     * position-th column the decoder fills, in the table's order.
     *
     * @throws DecodeException when the row already has this field
     */
    public Column fieldAt(int position) throws DecodeException {
        int i = decodedColumns[position];
        if (writtenInRow[i] == rowSerial) {
            throw new DecodeException(ErrorKind.DATA_PARSING_ERROR, "field " + position + " appears twice");
        }
        writtenInRow[i] = rowSerial;
        return columns[i];
    }

    /** True when some column is mapped to a field path below {@code path} ({@code a.b.c} is below {@code a}). */
    public boolean hasFieldsUnder(String path) {
        return fieldPrefixes.contains(mapping.caseInsensitive() ? mapping.key(path) : path);
    }

    /**
     * Ends a row: fills the virtual columns from the current record and gives every column the
     * row did not write its zero value.
     */
    public void endRow() throws DecodeException {
        for (int i = 0; i < columns.length; i++) {
            if (virtualSource[i] != null) {
                writeVirtual(columns[i], virtualSource[i]);
            } else if (writtenInRow[i] != rowSerial) {
                columns[i].appendDefault();
            }
        }
        rows++;
    }

    private void writeVirtual(Column column, String name) throws ValueConversionException {
        if (RAW_MESSAGE.equals(name)) {
            column.appendBytes(record.data(), record.offset(), record.length());
            return;
        }
        Object v = record.virtualColumn(name);
        if (v == null) {
            column.appendNull();
        } else if (v instanceof String s) {
            column.appendString(s);
        } else if (v instanceof Long || v instanceof Integer) {
            column.appendLong(((Number) v).longValue());
        } else if (v instanceof Instant t) {
            column.appendInstant(t.getEpochSecond(), t.getNano());
        } else if (v instanceof byte[] b) {
            column.appendBytes(b, 0, b.length);
        } else if (v instanceof List<?> list) {
            Column elements = column.arrayElements();
            for (Object item : list) {
                elements.appendString(String.valueOf(item));
            }
            column.endArray(list.size());
        } else {
            throw new IllegalStateException("virtual column " + name + " has a value of " + v.getClass());
        }
    }

    /**
     * Whether the last row ended took column {@code index} (of {@link #columns()}) from its record, a
     * field or a virtual column, rather than the column's default: what a preview shows.
     */
    public boolean lastRowFilled(int index) {
        return virtualSource[index] != null || writtenInRow[index] == rowSerial;
    }

    /** Empties every column for the next batch, keeping their memory, and drops the appended blocks. */
    public void clear() {
        for (Column c : columns) {
            c.clear();
        }
        appended.clear();
        appendedRows = 0;
        rows = 0;
        rowsAtMark = 0;
        record = null;
        runRecords = null;
    }
}
