package dev.clickpipes.clickhouse.routing;

import dev.clickpipes.core.spi.SourceRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Records of one target, each with the number of rows it became in the pipe's envelope buffer:
 * what the pipe counts as written for it, so that a record the router files itself can be taken
 * off that count ({@link dev.clickpipes.core.spi.SinkContext#filed}). Used by one thread at a time.
 */
final class RecordRows {

    private final List<SourceRecord> records = new ArrayList<>();
    /** {@code envelopeRows[i]}: the envelope rows of {@code records.get(i)}. */
    private int[] envelopeRows = new int[64];

    /** Adds a record that became {@code rows} rows of the envelope. */
    void add(SourceRecord record, int rows) {
        if (records.size() == envelopeRows.length) {
            envelopeRows = Arrays.copyOf(envelopeRows, 2 * envelopeRows.length);
        }
        envelopeRows[records.size()] = rows;
        records.add(record);
    }

    /** Adds the i-th record of {@code other}. */
    void addFrom(RecordRows other, int i) {
        add(other.record(i), other.rows(i));
    }

    int size() {
        return records.size();
    }

    boolean isEmpty() {
        return records.isEmpty();
    }

    SourceRecord record(int i) {
        return records.get(i);
    }

    /** The envelope rows of the i-th record. */
    int rows(int i) {
        return envelopeRows[i];
    }

    /** The envelope rows of all the records. */
    int rows() {
        int sum = 0;
        for (int i = 0; i < records.size(); i++) {
            sum += envelopeRows[i];
        }
        return sum;
    }

    /** The records, read-only. */
    List<SourceRecord> records() {
        return Collections.unmodifiableList(records);
    }

    void clear() {
        records.clear();
    }
}
