package dev.clickpipes.source.objectstore;

import dev.clickpipes.format.parquet.ParquetRecord;
import dev.clickpipes.format.parquet.ParquetRow;
import dev.clickpipes.format.parquet.ParquetRowReader;
import dev.clickpipes.format.parquet.RandomAccessInput;
import java.io.IOException;

/**
 * The rows of a Parquet object, read through ranged requests: the footer, then one request per
 * row group's run of column chunks. Only loaded when a pipe reads Parquet, so the Parquet module
 * stays optional.
 */
final class ParquetObjectReader implements ObjectReader {

    private static final byte[] NO_BYTES = new byte[0];

    private final ObjectFile file;
    private final ParquetRowReader rows;
    /** The rows read ahead on a lent thread; null: read on the caller's. */
    private final ParquetRowsAhead ahead;

    ParquetObjectReader(ObjectStore store, ObjectFile file, long firstRow) throws IOException {
        this(store, file, firstRow, null, null);
    }

    /**
     * @param firstRow  the first row to hand out: the row groups before it are skipped unread, the
     *                  rows of its group before it are read and dropped
     * @param keepAlive called at most ten times a second while rows are dropped (null: none), to keep
     *                  the object's lease alive
     * @param readAhead where the rows after {@code firstRow} are read ahead of the caller (null: on the caller's thread)
     */
    ParquetObjectReader(ObjectStore store, ObjectFile file, long firstRow, Runnable keepAlive, java.util.concurrent.Executor readAhead)
            throws IOException {
        this.file = file;
        ObjectInfo object = file.info();
        long size = object.size();
        this.rows = ParquetRowReader.open(new RandomAccessInput() {
            @Override
            public long length() {
                return size;
            }

            @Override
            public void readFully(long position, byte[] buffer, int offset, int length) throws IOException {
                store.read(object, position, buffer, offset, length);
            }

            @Override
            public String name() {
                return file.path();
            }
        });
        if (firstRow > 0) {
            skipTo(firstRow, new KeepAlive(keepAlive));
        }
        ahead = readAhead == null ? null : new ParquetRowsAhead(rows, readAhead);
    }

    private void skipTo(long firstRow, KeepAlive keepAlive) throws IOException {
        try {
            rows.skipTo(rows.rowGroupStart(firstRow));
            while (rows.nextRowIndex() < firstRow && rows.next() != null) {
                keepAlive.tick();
            }
        } catch (IOException | RuntimeException e) {
            rows.close();
            throw e;
        }
    }

    @Override
    public ObjectRecord next() throws IOException {
        ParquetRow row = ahead != null ? ahead.next() : rows.next();
        return row == null ? null : new RowRecord(file, row);
    }

    @Override
    public void close() throws IOException {
        if (ahead != null) {
            ahead.close();
        } else {
            rows.close();
        }
    }

    /** A Parquet row as a record: no bytes of its own (the error table shows the row as text instead). */
    private static final class RowRecord extends ObjectRecord implements ParquetRecord {
        private final ParquetRow row;

        RowRecord(ObjectFile file, ParquetRow row) {
            super(file, row.index(), -1, NO_BYTES, 0, 0);
            this.row = row;
        }

        @Override
        public ParquetRow row() {
            return row;
        }
    }
}
