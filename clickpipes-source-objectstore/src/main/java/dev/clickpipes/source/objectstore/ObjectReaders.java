package dev.clickpipes.source.objectstore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.concurrent.Executor;

/**
 * Opens the reader for one object version at the progress to resume from: Parquet row by row
 * from a row group, length-delimited messages one by one (as text is resumed), text line by line (from the byte offset with a ranged read when the object is
 * stored uncompressed, else from its start, reading past the rows loaded before), or one
 * FILE_TOO_LARGE record for an object over the size cap.
 */
final class ObjectReaders {

    private final ObjectStore store;
    private final ObjectUrl url;
    private final ObjectFormat format;
    private final Compression compression;
    private final ObjectDecoder decoder;
    private final int headerLines;
    private final int maxRecordBytes;
    private final long maxObjectSize;
    /** Called while a reader reads past rows loaded before, so that the leases outlive a long skip. */
    private final Runnable keepAlive;
    /** Where compressed text is decompressed, and Parquet rows read, ahead of the decoding thread; null: on that thread. */
    private final Executor decompressExecutor;

    ObjectReaders(ObjectStore store, ObjectUrl url, ObjectFormat format, Compression compression, ObjectDecoder decoder,
            int headerLines, int maxRecordBytes, long maxObjectSize, Runnable keepAlive, Executor decompressExecutor) {
        this.store = store;
        this.url = url;
        this.format = format;
        this.compression = compression;
        this.decoder = decoder;
        this.headerLines = headerLines;
        this.maxRecordBytes = maxRecordBytes;
        this.maxObjectSize = maxObjectSize;
        this.keepAlive = keepAlive;
        this.decompressExecutor = decompressExecutor;
    }

    /** The reader of {@code object}'s rows after {@code from}'s last row. */
    ObjectReader open(ObjectInfo object, ObjectStates.Progress from) throws IOException {
        ObjectFile file = new ObjectFile(object, url.kind() == ObjectUrl.Kind.FILE
                ? Path.of(url.bucket()).resolve(object.key()).toString() : url.bucket() + "/" + object.key(),
                object.key().substring(object.key().lastIndexOf('/') + 1));
        if (maxObjectSize > 0 && object.size() > maxObjectSize) {
            return new SingleRecordReader(new TooLargeRecord(file, maxObjectSize));
        }
        return switch (format) {
            case PARQUET -> new ParquetObjectReader(store, file, from.lastRow() + 1, keepAlive, decompressExecutor);
            case PROTOBUF_DELIMITED -> openDelimited(file, from);
            default -> openLines(file, from);
        };
    }

    /**
     * Where a streamed object (text, length-delimited messages) is read from: the byte offset after
     * the last loaded record when the object is stored uncompressed and the progress has one, else
     * its start, reading past the records loaded before.
     *
     * @param in             the object's (decompressed) bytes from {@code offset}
     * @param firstRecord    the number of the first record {@code in} starts with
     * @param offset         the byte offset {@code in} starts at, or -1 when it is decompressed
     * @param skipThrough    records up to this number are read and dropped, -1 for none
     * @param sizeHint       the bytes {@code in} holds when known, else -1
     * @param keepAlive      what keeps the lease alive while records are read past; null when none are
     */
    private record Start(InputStream in, long firstRecord, long offset, long skipThrough, long sizeHint,
                         Runnable keepAlive) {
    }

    private Start start(ObjectFile file, ObjectStates.Progress from) throws IOException {
        Compression c = compression.resolve(file.info().key());
        if (c.seekable() && from.lastRow() >= 0 && from.nextOffset() >= 0) {
            return new Start(c.decompress(store.open(file.info(), from.nextOffset())), from.lastRow() + 1,
                    from.nextOffset(), -1, Math.max(0, file.info().size() - from.nextOffset()), null);
        }
        return new Start(c.decompress(store.open(file.info(), 0), decompressExecutor), 0, c.seekable() ? 0 : -1,
                from.lastRow(), c.seekable() ? file.info().size() : -1, keepAlive);
    }

    private ObjectReader openDelimited(ObjectFile file, ObjectStates.Progress from) throws IOException {
        Start s = start(file, from);
        return new DelimitedObjectReader(file, s.in(), s.firstRecord(), s.offset(), s.skipThrough(), maxRecordBytes,
                s.keepAlive());
    }

    private ObjectReader openLines(ObjectFile file, ObjectStates.Progress from) throws IOException {
        Start s = start(file, from);
        return new LineObjectReader(file, s.in(), s.firstRecord(), s.offset(), s.skipThrough(), headerLines,
                s.sizeHint(), decoder.csvRecordEnd(), maxRecordBytes, s.keepAlive());
    }
}
