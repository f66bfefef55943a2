package dev.clickpipes.core;

import dev.clickpipes.core.spi.SourcePosition;
import dev.clickpipes.core.spi.SourceRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One batch on its way: the encoded rows, the records they came from (kept so a batch can be
 * re-encoded after a schema change or split to find a bad row), the rejected records, and the
 * last position of each partition, which is committed once the batch is in ClickHouse.
 */
final class Batch {

    /** Records between two sums of the rows' byte size, at most (see {@link #reachedBytes}). */
    static final int SIZE_CHECK_RECORDS = 16;

    RowBuffer rows;
    final List<SourceRecord> records = new ArrayList<>();
    final List<ErrorRecord> errors = new ArrayList<>();
    /** The records behind {@link #errors}: a filed record is never inserted too. */
    private Set<SourceRecord> filed = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<String, SourcePosition> lastPositions = new LinkedHashMap<>();
    /**
     * The partition of the last record added and that record, whose position is not yet in {@link #lastPositions}:
     * records come in runs of one partition, and a map update per record was a few per cent of a Parquet load's pipe
     * thread. The record rather than its position, which only the run's last one needs built.
     */
    private String runPartition;
    private SourceRecord runLast;
    long bytesRead;
    /** With a decode executor: the batch's chunks, the records put in them, and the chunks counted so far. */
    final List<ChunkedDecoding.Chunk> chunks = new ArrayList<>();
    int chunked;
    int checkedChunks;
    long checkedRows;
    long checkedBytes;
    /** Records added since {@link #reachedBytes} last summed the rows' size, that size, and {@link #bytesRead} then. */
    private int recordsSinceSize;
    private long sizeAtCheck;
    private long bytesReadAtCheck;
    private long startNanos;
    /** Filled in by the writer. */
    int attempts;
    long insertNanos;
    /** Records of the batch its sink filed itself ({@link dev.clickpipes.core.spi.SinkContext#filed}), and their rows. */
    int filedBySink;
    int rowsFiledBySink;

    Batch(RowBuffer rows) {
        this.rows = rows;
    }

    boolean isEmpty() {
        return records.isEmpty();
    }

    void add(SourceRecord record) {
        if (records.isEmpty()) {
            startNanos = System.nanoTime();
        }
        records.add(record);
        bytesRead += record.length();
        String partition = record.partition();
        if (partition != runPartition) {
            flushRun();
            runPartition = partition;
        }
        runLast = record;
    }

    private void flushRun() {
        if (runPartition != null) {
            lastPositions.put(runPartition, runLast.position());
        }
    }

    /**
     * Called after each record added: whether the rows hold {@code maxBytes} or more. Summing every column's size
     * on each record took a few per cent of a Kafka pipe's thread, so the size is summed every
     * {@value #SIZE_CHECK_RECORDS} records, or sooner once the records read since reach a quarter of what the batch may
     * still take. A batch so goes past its limit by a few records at most, and which record closes it still depends on
     * the records alone.
     */
    boolean reachedBytes(long maxBytes) {
        if (++recordsSinceSize < SIZE_CHECK_RECORDS && bytesRead - bytesReadAtCheck < (maxBytes - sizeAtCheck) / 4) {
            return false;
        }
        recordsSinceSize = 0;
        bytesReadAtCheck = bytesRead;
        sizeAtCheck = rows.byteSize();
        return sizeAtCheck >= maxBytes;
    }

    /** Nanoseconds since the first record, or 0 when empty. */
    long ageNanos() {
        return records.isEmpty() ? 0 : System.nanoTime() - startNanos;
    }

    /** Files the record as an error: it goes to the error table and is never inserted. False when it was filed already. */
    boolean file(SourceRecord record, ErrorRecord error) {
        if (filed.add(record)) {
            errors.add(error);
            return true;
        }
        return false;
    }

    /** The batch's rows in the table: those of {@link #rows} its sink did not file instead. */
    int rowsInserted() {
        return rows.rows() - rowsFiledBySink;
    }

    /** Its records filed as errors, by the pipe ({@link #errors}) or by its sink. */
    int errorCount() {
        return errors.size() + filedBySink;
    }

    boolean isFiled(SourceRecord record) {
        return filed.contains(record);
    }

    /** Forgets its errors, to find them afresh (a re-encode); returns the records that were filed. */
    Set<SourceRecord> forgetErrors() {
        Set<SourceRecord> before = filed;
        filed = Collections.newSetFromMap(new IdentityHashMap<>());
        errors.clear();
        return before;
    }

    /** Whether the batch holds records of the partition. */
    boolean holds(String partition) {
        flushRun();
        return lastPositions.containsKey(partition);
    }

    Collection<SourcePosition> positions() {
        flushRun();
        return lastPositions.values();
    }

    void clear() {
        rows.clear();
        records.clear();
        errors.clear();
        filed.clear();
        lastPositions.clear();
        runPartition = null;
        runLast = null;
        bytesRead = 0;
        chunks.clear();
        chunked = 0;
        checkedChunks = 0;
        checkedRows = 0;
        checkedBytes = 0;
        recordsSinceSize = 0;
        sizeAtCheck = 0;
        bytesReadAtCheck = 0;
        attempts = 0;
        insertNanos = 0;
        filedBySink = 0;
        rowsFiledBySink = 0;
    }
}
