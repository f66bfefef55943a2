package dev.clickpipes.core;

import dev.clickpipes.core.spi.DecodeException;
import dev.clickpipes.core.spi.Decoder;
import dev.clickpipes.core.spi.SourceRecord;
import java.time.Instant;
import java.util.Arrays;

/**
 * Turns one record into rows of a {@link RowBuffer} through the decoder, or into an
 * {@link ErrorRecord} when it cannot: every column is rolled back, the rest of the batch goes on.
 */
final class RecordEncoder {

    private final String pipeName;
    private final String sourceName;
    private final Decoder decoder;

    RecordEncoder(String pipeName, String sourceName, Decoder decoder) {
        this.pipeName = pipeName;
        this.sourceName = sourceName;
        this.decoder = decoder;
    }

    /** Encodes the record; returns null when it became rows, else the error to file. */
    ErrorRecord encode(SourceRecord record, RowBuffer rows) {
        rows.beginRecord(record);
        try {
            if (rows.needsDecoding()) {
                decoder.decode(record, rows);
            } else {
                // Only virtual columns (say, _raw_message): no need to parse the record at all.
                rows.beginRow();
                rows.endRow();
            }
            return null;
        } catch (DecodeException e) {
            rows.rollbackRecord();
            return error(record, e.kind(), decoder.name() + ": " + e.getMessage());
        } catch (RuntimeException e) {
            // A decoder bug must not lose the record: file it, with the exception, for a bug report.
            rows.rollbackRecord();
            return error(record, ErrorKind.DATA_PARSING_ERROR, decoder.name() + " decoder failed: " + e);
        }
    }

    ErrorRecord error(SourceRecord record, ErrorKind kind, String message) {
        byte[] raw = Arrays.copyOfRange(record.data(), record.offset(), record.offset() + record.length());
        return new ErrorRecord(Instant.now(), pipeName, sourceName, String.valueOf(record.position()), kind,
                message, raw);
    }
}
