package dev.clickpipes.core.spi;

import dev.clickpipes.core.RowBuffer;

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

    /** The format's name, for messages. */
    String name();
}
