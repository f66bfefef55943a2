package dev.clickpipes.core.spi;

import dev.clickpipes.core.RowBuffer;
import java.util.List;

/**
 * Turns a record's bytes into rows: JSON, CSV, TSV, Avro, ... A decoder writes each field straight
 * into the batch's column for it ({@link RowBuffer#field}), with no object tree in between.
 * Implementations are immutable and thread-safe: one decoder may serve several pipes.
 */
public interface Decoder {

    /**
     * Decodes one record into zero or more rows, each between {@link RowBuffer#beginRow()} and
     * {@link RowBuffer#endRow()}. On a bad record, throws: the pipe rolls back every row of the
     * record and files it in the error table.
     */
    void decode(SourceRecord record, RowBuffer rows) throws DecodeException;

    /**
     * How many of {@code records}, from {@code from} on, this decoder can write column by column in one
     * {@link #decodeRun} (records that each hold one row already read, such as a Parquet row group's);
     * 0 or 1 when they go one by one through {@link #decode}. Default 0.
     */
    default int runLength(List<? extends SourceRecord> records, int from) {
        return 0;
    }

    /**
     * Writes the one row of each of {@code records[from, from + count)} ({@code count} as {@link #runLength}
     * said), column by column: each column of the run from {@link RowBuffer#runField}, then all {@code count}
     * of its values. The rows must be exactly those {@link #decode} writes for the same records one by one.
     * On any failure, throws: the pipe rolls the run back and decodes its records one by one, which files
     * the bad ones. Default: unsupported.
     */
    default void decodeRun(List<? extends SourceRecord> records, int from, int count, RowBuffer rows)
            throws DecodeException {
        throw new UnsupportedOperationException(name() + " does not decode runs of records");
    }

    /** The format's name, for messages. */
    String name();
}
