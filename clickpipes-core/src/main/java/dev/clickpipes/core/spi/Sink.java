package dev.clickpipes.core.spi;

import dev.clickpipes.clickhouse.TableSchema;
import dev.clickpipes.core.ErrorRecord;
import dev.clickpipes.core.RowBuffer;
import java.util.List;

/**
 * Where rows go. The pipe calls {@link #open} once, then {@link #insert} for each batch (possibly
 * from the host's insert executor, never two at once), then {@link #close}.
 */
public interface Sink extends AutoCloseable {

    /**
     * Connects, reads the target table's columns and prepares the error table.
     *
     * @param pipeName the pipe's name, for the error table and logs
     */
    TableSchema open(String pipeName) throws SinkException;

    /** Reads the target table's columns again, after an insert failed with {@link SinkException.Kind#SCHEMA}. */
    TableSchema refreshSchema() throws SinkException;

    /** Inserts all rows of the buffer; returns once the server has acknowledged them. */
    void insert(RowBuffer rows) throws SinkException;

    /** Files rejected records (in the error table, or wherever the sink was told to). */
    void insertErrors(List<ErrorRecord> errors) throws SinkException;

    /** Where this sink writes, for messages (never a secret). */
    String describe();

    /** Releases connections. */
    @Override
    void close();
}
