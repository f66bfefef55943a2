package dev.clickpipes.format.parquet;

import dev.clickpipes.clickhouse.types.Column;
import dev.clickpipes.clickhouse.types.ValueConversionException;
import dev.clickpipes.core.ErrorKind;
import dev.clickpipes.core.RowBuffer;
import dev.clickpipes.core.spi.DecodeException;
import dev.clickpipes.core.spi.Decoder;
import dev.clickpipes.core.spi.SourceRecord;
import java.io.EOFException;
import java.io.IOException;
import java.util.List;

/**
 * Writes Parquet rows into a batch's columns, top-level fields to columns by name (through the
 * pipe's mapping). A {@link ParquetRecord} (one row, as the object-storage source emits them) is one
 * row; any other record is read as a whole Parquet file held in its bytes (a small file sent
 * through a queue), one row per file row, up to 64 MB of rows (more is a bad record).
 *
 * <p>Type mapping (the way ClickHouse reads Parquet): integers to any integer column (unsigned
 * 64-bit too), FLOAT/DOUBLE/FLOAT16 to floats, DECIMAL exact into Decimal, DATE to Date/Date32,
 * TIMESTAMP (millis/micros/nanos) and INT96 to DateTime64 exactly (DateTime to the second, through Column.appendInstant),
 * TIME as its integer, STRING/ENUM/JSON/BYTE_ARRAY/FIXED_LEN_BYTE_ARRAY to String/FixedString,
 * UUID to UUID, LIST to Array, MAP to Map, a struct to a Tuple (members by name, or by position
 * when the Tuple is unnamed). A value a column cannot take sends its row to the error table.
 * Stateless and thread-safe.
 */
public final class ParquetDecoder implements Decoder {

    private static final ParquetDecoder INSTANCE = new ParquetDecoder(true);
    /** The most bytes of rows one record holding a whole Parquet file may decode to: 64 MB. */
    static final long MAX_FILE_RECORD_ROW_BYTES = 64L << 20;

    /** Whether flat column chunks go through {@link ColumnChunkDecoder} (false only in tests, to compare). */
    private final boolean columnDecoders;

    private ParquetDecoder(boolean columnDecoders) {
        this.columnDecoders = columnDecoders;
    }

    /** A decoder that reads every flat column through parquet-java's column reader: the old path, for tests to compare. */
    static ParquetDecoder withoutColumnDecoders() {
        return new ParquetDecoder(false);
    }

    /** The decoder (one instance serves every pipe). */
    public static ParquetDecoder create() {
        return INSTANCE;
    }

    @Override
    public void decode(SourceRecord record, RowBuffer rows) throws DecodeException {
        if (record instanceof ParquetRecord parquet) {
            writeRow(parquet.row(), rows);
            return;
        }
        long start = rows.byteSize();
        try (ParquetRowReader reader = ParquetRowReader.open(new BytesInput(record), columnDecoders)) {
            long n = 0;
            for (ParquetRow row; (row = reader.next()) != null; ) {
                writeRow(row, rows);
                // A file's rows stay in the batch until the whole record is decoded: bound them (a footer
                // can claim billions of rows that cost no bytes; found by fuzzing)
                if ((++n & 1023) == 0 && rows.byteSize() - start > MAX_FILE_RECORD_ROW_BYTES) {
                    throw new DecodeException(ErrorKind.DATA_PARSING_ERROR, "the Parquet file in this record holds over "
                            + (MAX_FILE_RECORD_ROW_BYTES >> 20) + " MB of rows (" + n + " rows so far, "
                            + reader.rowCount() + " in its footer, from " + record.length() + " bytes); read large"
                            + " files with ObjectStoreSource, which hands out one record a row");
                }
            }
        } catch (IOException e) {
            throw new DecodeException(ErrorKind.DATA_PARSING_ERROR, e.getMessage(), e);
        }
    }

    /**
     * Parquet rows of one row group's window (or, for a file without flat fields, of one file), one after
     * the other, at most {@link FlatColumns#WINDOW_ROWS}: their flat fields go into the columns in one loop
     * per column.
     */
    @Override
    public int runLength(List<? extends SourceRecord> records, int from) {
        if (!(records.get(from) instanceof ParquetRecord first)) {
            return 0;
        }
        ParquetRow previous = first.row();
        int n = 1;
        for (int end = Math.min(records.size(), from + FlatColumns.WINDOW_ROWS); from + n < end; n++) {
            if (!(records.get(from + n) instanceof ParquetRecord next) || !next.row().follows(previous)) {
                break;
            }
            previous = next.row();
        }
        return n;
    }

    /** Writes a run {@link #runLength} found, field by field; any failure throws (the pipe then writes row by row). */
    @Override
    public void decodeRun(List<? extends SourceRecord> records, int from, int count, RowBuffer rows) throws DecodeException {
        ParquetRow first = ((ParquetRecord) records.get(from)).row();
        int n = first.fieldCount();
        for (int i = 0; i < n; i++) {
            Column column = rows.runField(first.field(i).name);
            if (column != null) {
                first.writeRun(i, records, from, count, column);
            }
        }
    }

    /** Writes one row: each top-level field into the column of its name, if the table has one. */
    static void writeRow(ParquetRow row, RowBuffer rows) throws DecodeException {
        rows.beginRow();
        int n = row.fieldCount();
        for (int i = 0; i < n; i++) {
            FieldType type = row.field(i);
            Column column = rows.field(type.name);
            if (column == null) {
                continue;
            }
            try {
                row.write(i, column);
            } catch (ValueConversionException e) {
                throw new DecodeException(ErrorKind.TYPE_CONVERSION_ERROR, "row " + row.index() + ", field `"
                        + type.name + "` (" + type.parquetType + "): " + e.getMessage(), e);
            } catch (ArithmeticException e) {
                throw new DecodeException(ErrorKind.TYPE_CONVERSION_ERROR, "row " + row.index() + ", field `"
                        + type.name + "` (" + type.parquetType + ") is out of range for column `"
                        + column.name() + "` of type " + column.type(), e);
            }
        }
        rows.endRow();
    }

    @Override
    public String name() {
        return "Parquet";
    }

    /** A record's bytes as a file. */
    private record BytesInput(SourceRecord record) implements RandomAccessInput {
        @Override
        public long length() {
            return record.length();
        }

        @Override
        public void readFully(long position, byte[] buffer, int offset, int length) throws IOException {
            if (position + length > record.length()) {
                throw new EOFException("the record has " + record.length() + " bytes; reading " + length + " at "
                        + position + " passes its end");
            }
            System.arraycopy(record.data(), record.offset() + (int) position, buffer, offset, length);
        }

        @Override
        public String name() {
            return "record at " + record.position();
        }
    }
}
