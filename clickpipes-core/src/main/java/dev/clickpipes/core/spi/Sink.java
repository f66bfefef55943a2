package dev.clickpipes.core.spi;

import dev.clickpipes.clickhouse.TableSchema;
import dev.clickpipes.core.ErrorRecord;
import dev.clickpipes.core.RowBuffer;
import java.util.List;

/**
 * Where rows go. The pipe calls {@link #open(SinkContext)} once, then {@link #insert} for each
 * batch (possibly from the host's insert executor, never two at once), then {@link #close}.
 */
public interface Sink extends AutoCloseable {

    /**
     * Connects, reads the target table's columns and prepares the error table.
     *
     * @param pipeName the pipe's name, for the error table and logs
     */
    TableSchema open(String pipeName) throws SinkException;

    /**
     * Opens the sink for the pipe that gives this context; the pipe calls this one. A sink that
     * files records itself during {@link #insert} reports them through
     * {@link SinkContext#filed}, so that the pipe's metrics count them as error rows. Default:
     * {@link #open(String) open(context.pipeName())}, for a sink that never files records itself.
     */
    default TableSchema open(SinkContext context) throws SinkException {
        return open(context.pipeName());
    }

    /** Reads the target table's columns again, after an insert failed with {@link SinkException.Kind#SCHEMA}. */
    TableSchema refreshSchema() throws SinkException;

    /**
     * Inserts all rows of the buffer; returns once the server has acknowledged them. A pipe that
     * decodes on several threads hands a buffer of several blocks: insert every one of
     * {@link RowBuffer#blocks()}, in order, in the one insert ({@link RowBuffer#columns()} holds
     * only the rows written into the buffer itself, none then).
     *
     * @param deduplicationToken names exactly the source records these rows came from (the pipe,
     *     per partition its name and the first and last offset, and a 64-bit digest of the records' bytes): the same token always means the same
     *     rows, so a server that deduplicates inserts may drop a repeated one, and two different
     *     inserts never share one
     */
    void insert(RowBuffer rows, String deduplicationToken) throws SinkException;

    /**
     * Files rejected records (in the error table, or wherever the sink was told to).
     *
     * @param deduplicationToken as for {@link #insert}, for these records
     */
    void insertErrors(List<ErrorRecord> errors, String deduplicationToken) throws SinkException;

    /**
     * The store for exactly-once state of the pipe opened by {@link #open(SinkContext)}, after checking that
     * the target deduplicates inserts (without that, a re-sent batch would be doubled).
     *
     * @throws SinkException FATAL, naming what to change, when the sink or its target cannot do it
     */
    default DeliveryState deliveryState() throws SinkException {
        throw new SinkException(SinkException.Kind.FATAL, describe() + " cannot keep exactly-once state", null);
    }

    /**
     * Makes inserts that are in flight on other threads fail promptly (a request blocked in a
     * socket read, say). {@code Pipe.close()} calls it when the last batch did not finish within
     * the close timeout, so that nothing of the pipe runs after {@code close()} returns. The sink
     * stays usable. Default: nothing to abort.
     */
    default void abortInFlight() {
    }

    /**
     * The table rows go to, as {@code database.table}, known before {@link #open(SinkContext)} (metrics tag
     * their meters with it). Default: empty, for a sink that writes no single table.
     */
    default String table() {
        return "";
    }

    /** Where this sink writes, for messages (never a secret). */
    String describe();

    /** Releases connections. */
    @Override
    void close();
}
