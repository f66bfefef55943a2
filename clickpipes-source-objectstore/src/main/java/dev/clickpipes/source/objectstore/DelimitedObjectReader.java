package dev.clickpipes.source.objectstore;

import dev.clickpipes.core.spi.OversizedRecord;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The records of an object of length-delimited messages (each after its length as a base-128
 * varint, as protobuf-java's {@code writeDelimitedTo} writes them): one record a message, numbered
 * from 0. An empty message is a record (a Protobuf message of defaults). A message over
 * {@code maxRecordBytes} is read past, its first bytes kept, and handed out as an
 * {@link OversizedObjectRecord}; a length that cannot be one (over 5 bytes of varint, past 2 GB) or
 * an object that ends inside a message ends it with a {@link CorruptObjectRecord} after the
 * messages before, as does a corrupt compressed stream.
 */
final class DelimitedObjectReader implements ObjectReader {

    private final ObjectFile file;
    private final InputStream in;
    private final long skipThroughRecord;
    private final int maxRecordBytes;
    private final KeepAlive keepAlive;
    private long record;
    /** The object's byte offset of the next length, or -1 when offsets are not tracked (compressed objects). */
    private long offset;
    private boolean ended;

    /**
     * @param in                the object's (decompressed) bytes from {@code startOffset}
     * @param firstRecord       the number of the first message {@code in} starts with
     * @param startOffset       the byte offset {@code in} starts at, or -1 when it is decompressed
     * @param skipThroughRecord messages up to this number are read and dropped (resuming without offsets), -1 for none
     * @param maxRecordBytes    the longest message handed out whole
     * @param keepAlive         called at most ten times a second while skipping, to keep the object's lease; may be null
     */
    DelimitedObjectReader(ObjectFile file, InputStream in, long firstRecord, long startOffset, long skipThroughRecord,
                          int maxRecordBytes, Runnable keepAlive) {
        this.file = file;
        this.in = new BufferedInputStream(in, 1 << 16);
        this.record = firstRecord;
        this.offset = startOffset;
        this.skipThroughRecord = skipThroughRecord;
        this.maxRecordBytes = maxRecordBytes;
        this.keepAlive = new KeepAlive(keepAlive);
    }

    @Override
    public ObjectRecord next() throws IOException {
        while (!ended) {
            long number = record;
            try {
                long length = readLength(number);
                if (length < 0) {
                    ended = true;
                    return null;
                }
                record++;
                boolean skipped = number <= skipThroughRecord;
                if (skipped) {
                    keepAlive.tick();
                }
                if (length > maxRecordBytes) {
                    byte[] head = readFully(number, length, OversizedRecord.keptBytes(maxRecordBytes));
                    skipFully(number, length, length - head.length);
                    if (!skipped) {
                        return new OversizedObjectRecord(file, number, offset, head, length, maxRecordBytes);
                    }
                    continue;
                }
                byte[] data = readFully(number, length, (int) length);
                if (!skipped) {
                    return new ObjectRecord(file, number, offset, data, 0, data.length);
                }
            } catch (Compression.CorruptInputException | Truncated e) {
                ended = true;
                return new CorruptObjectRecord(file, number, "object " + file.path() + ": " + e.getMessage()
                        + "; the rest of the object is skipped");
            }
        }
        return null;
    }

    /** The next message's length, or -1 at a clean end of the object. */
    private long readLength(long number) throws IOException {
        long value = 0;
        for (int i = 0; i < 5; i++) {
            int b = in.read();
            if (b < 0) {
                if (i == 0) {
                    return -1;
                }
                throw new Truncated("message " + number + ": the object ends inside its length");
            }
            advance(1);
            value |= (long) (b & 0x7f) << (7 * i);
            if ((b & 0x80) == 0) {
                if (value > Integer.MAX_VALUE) {
                    break;
                }
                return value;
            }
        }
        throw new Truncated("message " + number + ": its length is not a varint of at most 2 GB (not a file of"
                + " length-delimited messages, or a byte is damaged)");
    }

    private byte[] readFully(long number, long length, int count) throws IOException {
        byte[] data = new byte[count];
        int n = in.readNBytes(data, 0, count);
        advance(n);
        if (n < count) {
            throw new Truncated("message " + number + " claims " + length + " bytes; the object ends after " + n);
        }
        return data;
    }

    private void skipFully(long number, long length, long count) throws IOException {
        long left = count;
        while (left > 0) {
            long n = in.skip(left);
            if (n <= 0) {
                if (in.read() < 0) {
                    throw new Truncated("message " + number + " claims " + length + " bytes; the object ends after "
                            + (length - left));
                }
                n = 1;
            }
            left -= n;
            advance(n);
        }
    }

    private void advance(long bytes) {
        if (offset >= 0) {
            offset += bytes;
        }
    }

    /** The object's bytes end inside a message, or its length cannot be one. */
    private static final class Truncated extends IOException {
        Truncated(String message) {
            super(message);
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
