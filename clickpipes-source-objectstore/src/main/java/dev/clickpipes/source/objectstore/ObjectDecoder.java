package dev.clickpipes.source.objectstore;

import dev.clickpipes.core.ErrorKind;
import dev.clickpipes.core.RowBuffer;
import dev.clickpipes.core.spi.DecodeException;
import dev.clickpipes.core.spi.Decoder;
import dev.clickpipes.core.spi.SourceRecord;
import dev.clickpipes.format.text.CsvDecoder;

/**
 * The decoder an object source's pipe uses ({@link ObjectStoreSource#decoder()}): the format's
 * decoder for lines and Parquet rows, and FILE_TOO_LARGE for an object over the size cap.
 */
final class ObjectDecoder implements Decoder {

    private final Decoder format;

    ObjectDecoder(Decoder format) {
        this.format = format;
    }

    /** Where records end in CSV objects read by the CSV decoder; null when one line is one record. */
    CsvRecordEnd csvRecordEnd() {
        return format instanceof CsvDecoder csv ? new CsvRecordEnd(csv.delimiter()) : null;
    }

    @Override
    public void decode(SourceRecord record, RowBuffer rows) throws DecodeException {
        if (record instanceof TooLargeRecord tooLarge) {
            throw new DecodeException(ErrorKind.FILE_TOO_LARGE, tooLarge.message());
        }
        if (record instanceof CorruptObjectRecord corrupt) {
            throw new DecodeException(ErrorKind.DATA_PARSING_ERROR, corrupt.message());
        }
        format.decode(record, rows);
    }

    @Override
    public int runLength(java.util.List<? extends SourceRecord> records, int from) {
        return format.runLength(records, from); // a stand-in for an object (too large, corrupt) is never in a run
    }

    @Override
    public void decodeRun(java.util.List<? extends SourceRecord> records, int from, int count, RowBuffer rows)
            throws DecodeException {
        format.decodeRun(records, from, count, rows);
    }

    @Override
    public String name() {
        return format.name();
    }
}
