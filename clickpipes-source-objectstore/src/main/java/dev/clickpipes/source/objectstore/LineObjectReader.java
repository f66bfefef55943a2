package dev.clickpipes.source.objectstore;

import dev.clickpipes.format.text.Lines;
import java.io.IOException;
import java.io.InputStream;
import dev.clickpipes.core.spi.OversizedRecord;

/**
 * The records of a text object (NDJSON, CSV, TSV), decompressed as they stream: records are
 * slices of 1 MB chunks, so memory holds the chunks of the records not yet inserted, whatever the
 * object's size. A record is a line, or for CSV everything up to a newline outside quotes (a quoted
 * field may hold newlines). Empty records and header records are skipped. Rows are numbered by
 * record, from 0.
 *
 * <p>A record over {@code maxRecordBytes} is not buffered whole: its first bytes are kept, the
 * rest is read past (in fixed chunks) to the next newline, and it is handed out as an
 * {@link OversizedObjectRecord}, filed in the error table. A compressed stream found corrupt
 * ends the object with a {@link CorruptObjectRecord} after the records read before it.
 */
final class LineObjectReader implements ObjectReader {

    private static final int CHUNK = 1 << 18; // under half a G1 region: a larger array is a costly humongous allocation
    private static final int FIRST_CHUNK = 64 * 1024;

    private final ObjectFile file;
    private final InputStream in;
    private final long skipThroughLine;
    private final int headerLines;
    /** For CSV: where a record ends when quoted fields may hold newlines; null for one record a line. */
    private final CsvRecordEnd csv;
    /** Bytes still to come when known (objects read as stored), else -1: small objects get small chunks. */
    private long remainingHint;
    private int nextChunk;
    private byte[] chunk = new byte[0];
    private int chunkStart;
    private int chunkEnd;
    private boolean eof;
    private long line;
    /** The object's byte offset of chunk[0], or -1 when offsets are not tracked (compressed objects). */
    private long chunkOffset;
    private final int maxRecordBytes;
    /** Why the (compressed) stream ended early, once it did: handed out as the object's last record. */
    private String corrupt;
    private final KeepAlive keepAlive;

    /**
     * @param in              the object's (decompressed) bytes from {@code startOffset}
     * @param firstLine       the number of the first line {@code in} starts with
     * @param startOffset     the byte offset {@code in} starts at, or -1 when it is decompressed
     * @param skipThroughLine lines up to this number are read and dropped (resuming without offsets), -1 for none
     * @param headerLines     lines at the start of the object that are not records (a CSV header)
     * @param sizeHint        the number of bytes {@code in} holds when known, else -1
     * @param csv             where CSV records end, or null when every line is a record
     * @param maxRecordBytes  the longest record handed out whole
     */
    LineObjectReader(ObjectFile file, InputStream in, long firstLine, long startOffset, long skipThroughLine,
                     int headerLines, long sizeHint, CsvRecordEnd csv, int maxRecordBytes) {
        this(file, in, firstLine, startOffset, skipThroughLine, headerLines, sizeHint, csv, maxRecordBytes, null);
    }

    /**
     * As the other constructor, with {@code keepAlive} called at most ten times a second while lines up
     * to {@code skipThroughLine} are read and dropped (null: none), to keep the object's lease alive.
     */
    LineObjectReader(ObjectFile file, InputStream in, long firstLine, long startOffset, long skipThroughLine,
                     int headerLines, long sizeHint, CsvRecordEnd csv, int maxRecordBytes, Runnable keepAlive) {
        this.keepAlive = new KeepAlive(keepAlive);
        this.csv = csv;
        this.maxRecordBytes = maxRecordBytes;
        this.remainingHint = sizeHint;
        this.nextChunk = FIRST_CHUNK;
        this.file = file;
        this.in = in;
        this.line = firstLine;
        this.chunkOffset = startOffset;
        this.skipThroughLine = skipThroughLine;
        this.headerLines = headerLines;
    }

    @Override
    public ObjectRecord next() throws IOException {
        while (true) {
            int nl = csv != null ? csv.find(chunk, chunkStart, chunkEnd, eof)
                    : Lines.indexOfNewline(chunk, chunkStart, chunkEnd);
            int end;
            if (nl >= 0) {
                end = nl;
            } else if (chunkEnd - chunkStart > maxRecordBytes) {
                ObjectRecord r = skipOversized();
                if (r != null) {
                    return r;
                }
                continue;
            } else if (!eof) {
                refill();
                continue;
            } else if (chunkStart < chunkEnd) {
                end = chunkEnd; // the last line has no newline
            } else if (corrupt != null) {
                String why = corrupt;
                corrupt = null;
                return new CorruptObjectRecord(file, line++, why);
            } else {
                return null;
            }
            int start = chunkStart;
            chunkStart = nl >= 0 ? nl + 1 : chunkEnd;
            long number = line++;
            int stop = end > start && chunk[end - 1] == '\r' ? end - 1 : end;
            if (stop == start || number < headerLines || number <= skipThroughLine) {
                continue;
            }
            long next = chunkOffset < 0 ? -1 : chunkOffset + chunkStart;
            if (stop - start > maxRecordBytes) {
                return new OversizedObjectRecord(file, number, next, java.util.Arrays.copyOfRange(chunk, start,
                        start + OversizedRecord.keptBytes(maxRecordBytes)), stop - start, maxRecordBytes);
            }
            return new ObjectRecord(file, number, next, chunk, start, stop - start);
        }
    }

    /**
     * The record at chunkStart is over the cap and not ended in the chunk: keeps its first bytes and
     * reads on, without growing the chunk, to the next newline (a CSV quote is not followed then).
     * Returns its stand-in, or null when it is a header or before the resume point.
     */
    private ObjectRecord skipOversized() throws IOException {
        long number = line++;
        byte[] head = java.util.Arrays.copyOfRange(chunk, chunkStart, chunkStart + OversizedRecord.keptBytes(maxRecordBytes));
        long length = 0;
        while (true) {
            int nl = Lines.indexOfNewline(chunk, chunkStart, chunkEnd);
            if (nl >= 0) {
                length += nl - chunkStart;
                chunkStart = nl + 1;
                break;
            }
            length += chunkEnd - chunkStart;
            chunkStart = chunkEnd;
            if (eof) {
                break;
            }
            refill();
        }
        if (number < headerLines || number <= skipThroughLine) {
            return null;
        }
        long next = chunkOffset < 0 ? -1 : chunkOffset + chunkStart;
        return new OversizedObjectRecord(file, number, next, head, length, maxRecordBytes);
    }

    /** Starts a new chunk holding the unfinished line; records handed out keep the old one. */
    private void refill() throws IOException {
        if (line <= skipThroughLine) {
            keepAlive.tick(); // a resume reading past rows loaded before: a chunk at a time
        }
        int rest = chunkEnd - chunkStart;
        // Records keep their chunk alive until their batch is in: size it to what the object has left.
        int size = remainingHint >= 0 ? (int) Math.min(CHUNK, remainingHint + 1) : nextChunk;
        nextChunk = Math.min(CHUNK, nextChunk * 2);
        byte[] next = new byte[(int) Math.min(Integer.MAX_VALUE - 8, Math.max(Math.max(size, rest + 1), rest * 2L))];
        System.arraycopy(chunk, chunkStart, next, 0, rest);
        if (chunkOffset >= 0) {
            chunkOffset += chunkStart;
        }
        chunk = next;
        chunkStart = 0;
        chunkEnd = rest;
        int wanted = chunk.length - chunkEnd;
        int n = 0;
        try {
            for (int r; n < wanted && (r = in.read(chunk, chunkEnd + n, wanted - n)) >= 0; ) {
                n += r;
            }
        } catch (Compression.CorruptInputException e) {
            // What was read before stays: its records are handed out, then the error. The rest of the
            // object cannot be read past the corruption.
            corrupt = "object " + file.path() + ": " + e.getMessage() + "; the rest of the object is skipped";
            wanted = n + 1; // so that eof is set below
        }
        chunkEnd += n;
        if (remainingHint >= 0) {
            remainingHint = remainingHint - n > 0 || n < wanted ? Math.max(0, remainingHint - n) : -1; // grew since listed
        }
        eof = n < wanted;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
