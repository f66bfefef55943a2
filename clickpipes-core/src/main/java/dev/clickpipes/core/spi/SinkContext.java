package dev.clickpipes.core.spi;

import dev.clickpipes.core.ErrorRecord;
import java.util.List;

/**
 * What a sink may tell the pipe that runs it, handed to {@link Sink#open(SinkContext)}. Calls come
 * from the thread of the sink call that makes them.
 */
public interface SinkContext {

    /** The pipe's name, for the error table and logs. */
    String pipeName();

    /**
     * The sink filed these records in an error table itself instead of inserting their rows (a
     * router whose target table is gone, or whose table changed so that a record no longer decodes
     * into it). Call it from {@link Sink#insert}, once per record filed: a record filed during an
     * insert that then fails is not reported again when the pipe tries the insert once more. The
     * pipe counts the records in {@code PipeMetrics.errorRows()} (by their kind) at once, and leaves
     * {@code rows} out of {@code PipeMetrics.rowsWritten()} when the insert is acknowledged.
     *
     * @param errors the records, as filed
     * @param rows   how many rows of the {@link dev.clickpipes.core.RowBuffer} handed to {@code insert}
     *               these records stood for
     */
    void filed(List<ErrorRecord> errors, int rows);
}
