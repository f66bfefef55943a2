package dev.clickpipes.format.parquet;

import java.io.IOException;
import java.util.List;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.filter2.compat.FilterCompat;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;

/**
 * Reads the rows of one Parquet file, one row group at a time: the footer first, then each row
 * group's column chunks with one ranged read each, so memory holds one row group, never the file.
 * Every physical and logical type is read, with nested lists, maps and structs; the codecs are
 * parquet-java's (uncompressed, snappy, gzip, zstd, lz4_raw, lz4 hadoop). Not thread-safe.
 *
 * <pre>{@code
 * try (ParquetRowReader reader = ParquetRowReader.open(RandomAccessInput.of(path))) {
 *     for (ParquetRow row; (row = reader.next()) != null; ) { ... }
 * }
 * }</pre>
 */
public final class ParquetRowReader implements AutoCloseable {

    private final RandomAccessInput input;
    private final ParquetFileReader reader;
    private final MessageType schema;
    /** The fields assembled row by row (the nested ones, or every field when none is flat); null when none is. */
    private final MessageColumnIO columnIO;
    private final RowAssembler assembler;
    /** Every top-level field, in the file's order. */
    private final FieldType[] fields;
    /** For each top-level field, its place in the values {@link #assembler} yields (-1 for a flat one); null: all assembled. */
    private final int[] assembledAt;
    /** The flat fields, read column by column; null when the file has none. */
    private final FlatColumns flat;
    private final String createdBy;
    private FlatColumns.Window window;
    private int windowRow;
    private final List<BlockMetaData> groups;
    private final long rowCount;
    private RecordReader<Object[]> records;
    private long leftInGroup;
    private int nextGroup;
    private long nextRow;

    /** The footer walked by {@link FooterCheck} before parquet-java parses it; a file too short for one is left to parquet-java to refuse. */
    private static void checkFooter(RandomAccessInput input) throws IOException {
        long length = input.length();
        if (length < 12) {
            return;
        }
        byte[] tail = new byte[8];
        input.readFully(length - 8, tail, 0, 8);
        int footerLength = (tail[0] & 0xff) | (tail[1] & 0xff) << 8 | (tail[2] & 0xff) << 16 | (tail[3] & 0xff) << 24;
        if (footerLength < 0 || footerLength > length - 12) {
            return; // parquet-java refuses a footer length past the file with its own message
        }
        byte[] footer = new byte[footerLength];
        input.readFully(length - 8 - footerLength, footer, 0, footerLength);
        try {
            FooterCheck.check(footer);
        } catch (IOException e) {
            throw new IOException(input.name() + " is not a readable Parquet file: " + e.getMessage(), e);
        }
    }

    private ParquetRowReader(RandomAccessInput input, boolean bulk) throws IOException {
        this.input = input;
        ParquetReadOptions options = ParquetReadOptions.builder(new PlainParquetConfiguration())
                .useStatsFilter(false).useDictionaryFilter(false).useRecordFilter(false)
                .useColumnIndexFilter(false).useBloomFilter(false)
                .withCodecFactory(ParquetCodecs.INSTANCE)
                .build();
        checkFooter(input);
        try {
            reader = new ParquetFileReader(new RangedInputFile(input), options);
        } catch (RuntimeException e) {
            throw new IOException(input.name() + " is not a readable Parquet file: " + e.getMessage(), e);
        } catch (StackOverflowError e) {
            // parquet-java's footer and schema readers recurse as deep as the footer says (found by fuzzing)
            throw new IOException(input.name() + " is not a readable Parquet file: its footer nests too deeply");
        }
        try {
            schema = reader.getFooter().getFileMetaData().getSchema();
            createdBy = reader.getFooter().getFileMetaData().getCreatedBy();
            RowAssembler whole = new RowAssembler(schema);
            fields = whole.fields();
            flat = FlatColumns.of(schema, fields, bulk);
            if (flat == null) {
                columnIO = new ColumnIOFactory(createdBy).getColumnIO(schema);
                assembler = whole;
                assembledAt = null;
            } else {
                // only the nested fields are assembled; the others are read column by column
                List<org.apache.parquet.schema.Type> nested = new java.util.ArrayList<>();
                int[] at = new int[schema.getFieldCount()];
                for (int i = 0; i < schema.getFieldCount(); i++) {
                    at[i] = flat.columnOf(i) < 0 ? nested.size() : -1;
                    if (flat.columnOf(i) < 0) {
                        nested.add(schema.getType(i));
                    }
                }
                assembledAt = at;
                MessageType requested = new MessageType(schema.getName(), nested);
                columnIO = nested.isEmpty() ? null : new ColumnIOFactory(createdBy).getColumnIO(requested, schema);
                assembler = nested.isEmpty() ? null : new RowAssembler(requested);
            }
        } catch (RuntimeException e) {
            reader.close();
            throw new IOException(input.name() + " is not a readable Parquet file: " + e.getMessage(), e);
        } catch (StackOverflowError e) {
            reader.close();
            throw new IOException(input.name() + " is not a readable Parquet file: its schema nests too deeply");
        }
        groups = reader.getRowGroups();
        long n = 0;
        for (BlockMetaData g : groups) {
            n += g.getRowCount();
        }
        rowCount = n;
    }

    /**
     * Opens a file: reads its footer (one ranged read of the last 64 KB, usually). The reader
     * closes {@code input} when it is closed.
     *
     * @throws IOException when the file cannot be read or is not Parquet
     */
    public static ParquetRowReader open(RandomAccessInput input) throws IOException {
        return open(input, true);
    }

    /**
     * As {@link #open(RandomAccessInput)}; {@code columnDecoders} false reads every flat column through
     * parquet-java's column reader instead of {@link ColumnChunkDecoder} (tests compare the two).
     */
    static ParquetRowReader open(RandomAccessInput input, boolean columnDecoders) throws IOException {
        try {
            return new ParquetRowReader(input, columnDecoders);
        } catch (IOException | RuntimeException e) {
            input.close();
            throw e;
        }
    }

    /** The number of rows in the file, from its footer. */
    public long rowCount() {
        return rowCount;
    }

    /** The number of row groups. */
    public int rowGroupCount() {
        return groups.size();
    }

    /** The number of the first row of the row group that holds row {@code row} (the row count when none does). */
    public long rowGroupStart(long row) {
        long start = 0;
        for (BlockMetaData g : groups) {
            if (row < start + g.getRowCount()) {
                return start;
            }
            start += g.getRowCount();
        }
        return start;
    }

    /** The number of the row {@link #next()} returns next, from 0. */
    public long nextRowIndex() {
        return nextRow;
    }

    /** The file's schema as Parquet prints it, for messages. */
    public String schemaText() {
        return schema.toString();
    }

    /**
     * Moves to row {@code row}: whole row groups before it are skipped unread, then rows in its
     * group are read and dropped. Only forward.
     */
    public void skipTo(long row) throws IOException {
        if (row < nextRow) {
            throw new IllegalArgumentException("cannot go back from row " + nextRow + " to " + row);
        }
        while (leftInGroup == 0 && nextGroup < groups.size()
                && row >= nextRow + groups.get(nextGroup).getRowCount()) {
            nextRow += groups.get(nextGroup).getRowCount();
            nextGroup++;
            reader.skipNextRowGroup();
        }
        while (nextRow < row && next() != null) {
            // dropped: the rows before the resume point are already loaded
        }
    }

    /** The next row, or null after the last. */
    public ParquetRow next() throws IOException {
        while (leftInGroup == 0) {
            if (nextGroup >= groups.size()) {
                return null;
            }
            PageReadStore pages;
            try {
                pages = reader.readNextRowGroup();
            } catch (IOException | RuntimeException e) {
                throw new IOException(input.name() + ": cannot read row group " + nextGroup + ": " + e, e);
            } catch (StackOverflowError e) {
                throw new IOException(input.name() + ": cannot read row group " + nextGroup + ": it nests too deeply");
            } catch (OutOfMemoryError e) {
                // parquet-java allocates a page's buffer by the size its header gives, before reading it
                // (ParquetFileReader.WorkaroundChunk; found by fuzzing), and offers no hook to check it
                // first. The one allocation failed: nothing was half-built, the file is a bad record.
                throw new IOException(input.name() + ": cannot read row group " + nextGroup + ": a page header "
                        + "claims more bytes than can be allocated (" + e.getMessage() + ")");
            }
            nextGroup++;
            if (pages == null) {
                nextGroup = groups.size();
                return null;
            }
            try {
                // builds the column readers, which read (and decompress) dictionary pages
                CheckedPages checked = new CheckedPages(pages);
                records = columnIO == null ? null : columnIO.getRecordReader(checked, assembler, FilterCompat.NOOP);
                if (flat != null) {
                    flat.start(checked, schema, createdBy);
                    window = null;
                }
            } catch (RuntimeException e) {
                throw new IOException(input.name() + ": cannot read row group " + (nextGroup - 1) + ": "
                        + messages(e), e);
            } catch (StackOverflowError e) {
                throw new IOException(input.name() + ": cannot read row group " + (nextGroup - 1) + ": it nests too deeply");
            }
            leftInGroup = pages.getRowCount();
        }
        if (flat != null) {
            return nextWithFlat();
        }
        Object[] values;
        try {
            values = records.read();
        } catch (RuntimeException e) {
            throw new IOException(input.name() + ": cannot read row " + nextRow + ": " + e.getMessage(), e);
        } catch (StackOverflowError e) {
            throw new IOException(input.name() + ": cannot read row " + nextRow + ": it nests too deeply");
        }
        leftInGroup--;
        return new ParquetRow(assembler.fields(), values, nextRow++);
    }

    /** The next row of a file with flat fields: those from the current window, the others assembled. */
    private ParquetRow nextWithFlat() throws IOException {
        if (window == null || windowRow == window.rows) {
            if (window != null && window.failure != null) {
                throw new IOException(input.name() + ": cannot read row " + nextRow + ": "
                        + window.failure.getMessage(), window.failure);
            }
            try {
                window = flat.read((int) Math.min(FlatColumns.WINDOW_ROWS, leftInGroup));
            } catch (RuntimeException e) {
                throw new IOException(input.name() + ": cannot read row " + nextRow + ": " + e.getMessage(), e);
            }
            windowRow = 0;
            if (window.rows == 0) {
                throw new IOException(input.name() + ": cannot read row " + nextRow + ": "
                        + window.failure.getMessage(), window.failure);
            }
        }
        Object[] values = NO_VALUES;
        if (records != null) {
            try {
                values = records.read();
            } catch (RuntimeException e) {
                throw new IOException(input.name() + ": cannot read row " + nextRow + ": " + e.getMessage(), e);
            } catch (StackOverflowError e) {
                throw new IOException(input.name() + ": cannot read row " + nextRow + ": it nests too deeply");
            }
        }
        leftInGroup--;
        return new ParquetRow(fields, values, assembledAt, nextRow++, window, windowRow++);
    }

    /** The flat column chunks started so far: {chunks, of those read by {@link ColumnChunkDecoder}}; for tests. */
    long[] flatChunkCounts() {
        return flat == null ? new long[2] : flat.chunkCounts();
    }

    private static final Object[] NO_VALUES = new Object[0];

    /** The messages of an exception and its causes: parquet-java wraps the one that says what is wrong. */
    static String messages(Throwable e) {
        StringBuilder b = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            b.append(": ").append(c.getMessage());
        }
        return b.toString();
    }

    @Override
    public void close() throws IOException {
        try {
            reader.close();
        } finally {
            input.close();
        }
    }
}
