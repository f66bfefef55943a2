package dev.clickpipes.source.memory;

import dev.clickpipes.core.spi.OversizedRecord;
import dev.clickpipes.core.spi.Source;
import dev.clickpipes.core.spi.SourceContext;
import dev.clickpipes.core.spi.SourcePosition;
import dev.clickpipes.core.spi.SourceRecord;
import dev.clickpipes.format.text.Lines;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The lines of a local file, one record each (NDJSON, or any line-per-record text), numbered from
 * 0. Empty lines are skipped. Bounded: the pipe finishes at the end of the file. Reads in 1 MB
 * chunks and hands out lines as slices of them, without copying. Virtual columns: {@code _file},
 * {@code _path}, {@code _offset} (the line number). The last committed line is kept in memory
 * ({@link #committedLine()}); {@link #startAfterLine} resumes after it. A line longer than
 * {@link #maxRecordBytes(int)} (default 10 MB) is not buffered whole: its first bytes go to the
 * error table as RECORD_TOO_LARGE and reading resumes at the next line.
 *
 * <h2>Checkpoint file</h2>
 * With {@link #withCheckpoint(Path)} the committed line also goes to a small file, so a process
 * that was killed resumes where its last committed batch ended instead of at line 0:
 * <ul>
 *   <li>At {@link #open}, an existing checkpoint file is read and reading starts after the line it
 *       names (or after {@link #startAfterLine}'s line, whichever is later). A missing file means
 *       "nothing committed yet"; an unreadable or malformed one fails the open, naming the file.</li>
 *   <li>After each {@link #commit} that moves the committed line, the file is replaced atomically:
 *       the number is written to {@code <checkpoint>.tmp}, which is then renamed over the
 *       checkpoint, so a kill at any moment leaves the old or the new line, never a torn one.
 *       It survives the process (a SIGKILL); it is not fsynced, so a power cut may lose the last
 *       commits (records are then read again: at-least-once still holds).</li>
 *   <li>The file holds one decimal line number and a newline. It belongs to one data file: point
 *       another file's source at another checkpoint.</li>
 * </ul>
 * A checkpoint is what lets an at-least-once pipe make progress across restarts. An exactly-once
 * pipe does not need one (it drops records at or below its state's mark), but may use one to
 * skip re-reading them: the checkpoint never passes the mark, as it is written after the mark moved.
 */
public final class NdjsonFileSource implements Source {

    private static final int CHUNK = 1 << 18; // under half a G1 region: a larger array is a costly humongous allocation
    /** The default of {@link #maxRecordBytes(int)}: 10 MB. */
    public static final int DEFAULT_MAX_RECORD_BYTES = 10 << 20;

    private final Path path;
    /** The partition of every line: the file's name, made once (a Path's toString() costs, per line). */
    private final String partition;
    private final long startAfterLine;
    private final Path checkpoint; // null: none
    private long resumeAfter;
    private InputStream in;
    private byte[] chunk = new byte[CHUNK];
    private int chunkStart;
    private int chunkEnd;
    private boolean eof;
    private long line;
    private volatile long committedLine = -1;
    private int maxRecordBytes = DEFAULT_MAX_RECORD_BYTES;

    private NdjsonFileSource(Path path, long startAfterLine, Path checkpoint) {
        this.path = path;
        this.partition = String.valueOf(path.getFileName() == null ? path : path.getFileName());
        this.startAfterLine = startAfterLine;
        this.checkpoint = checkpoint;
        this.resumeAfter = startAfterLine;
    }

    /** The whole file. */
    public static NdjsonFileSource of(Path path) {
        return new NdjsonFileSource(path, -1, null);
    }

    /** The file from the line after {@code line} (as {@link #committedLine()} returned it). */
    public static NdjsonFileSource startAfterLine(Path path, long line) {
        return new NdjsonFileSource(path, line, null);
    }

    /**
     * This source with a checkpoint file: read at open (reading resumes after the line it names),
     * replaced atomically after every commit; see the class documentation. Default: none.
     */
    public NdjsonFileSource withCheckpoint(Path checkpointFile) {
        return new NdjsonFileSource(path, startAfterLine, Objects.requireNonNull(checkpointFile, "checkpointFile"));
    }

    /** The line number a checkpoint file names, or -1 when there is no such file. */
    public static long readCheckpoint(Path checkpointFile) throws IOException {
        if (!Files.exists(checkpointFile)) {
            return -1;
        }
        String text = Files.readString(checkpointFile, StandardCharsets.US_ASCII).strip();
        try {
            long line = Long.parseLong(text);
            if (line < -1) {
                throw new NumberFormatException("negative");
            }
            return line;
        } catch (NumberFormatException e) {
            throw new IOException("checkpoint file " + checkpointFile.toAbsolutePath() + " does not hold a line number"
                    + " (it holds '" + (text.length() > 40 ? text.substring(0, 40) + "..." : text)
                    + "'); delete it to read " + "the file from its first line");
        }
    }

    /**
     * The longest line read as a record, in bytes; default {@value #DEFAULT_MAX_RECORD_BYTES} (10 MB),
     * at most 1 GB. A longer line (or a file with no newline) is not buffered: its first 64 KB go to
     * the error table as RECORD_TOO_LARGE, with its length and line number, and reading resumes at
     * the next line. Set before the pipe opens the source.
     */
    public NdjsonFileSource maxRecordBytes(int bytes) {
        if (bytes < 1 || bytes > 1 << 30) {
            throw new IllegalArgumentException("maxRecordBytes must be 1 byte to 1 GB (1073741824), got " + bytes);
        }
        maxRecordBytes = bytes;
        return this;
    }

    /** The number of the last line whose record is in ClickHouse, or -1. */
    public long committedLine() {
        return committedLine;
    }

    @Override
    public void open(SourceContext context) throws IOException {
        if (!Files.isReadable(path)) {
            throw new IOException("cannot read " + path.toAbsolutePath() + ": no such file, or not readable");
        }
        if (checkpoint != null) {
            long saved = readCheckpoint(checkpoint);
            resumeAfter = Math.max(startAfterLine, saved);
            committedLine = Math.max(committedLine, saved);
        }
        in = Files.newInputStream(path);
    }

    @Override
    public List<? extends SourceRecord> poll(Duration maxWait) throws IOException {
        List<SourceRecord> out = new ArrayList<>();
        while (out.size() < 10_000 && !finished()) {
            int nl = indexOfNewline();
            if (nl < 0) {
                if (chunkEnd - chunkStart > maxRecordBytes) {
                    skipOversized(out);
                } else if (eof) {
                    emit(out, chunkEnd); // the last line has no newline
                    chunkStart = chunkEnd;
                } else {
                    refill();
                }
                continue;
            }
            emit(out, nl);
            chunkStart = nl + 1;
        }
        return out;
    }

    private void emit(List<SourceRecord> out, int end) {
        int stop = end > chunkStart && chunk[end - 1] == '\r' ? end - 1 : end;
        long number = line++;
        if (stop > chunkStart && number > resumeAfter) {
            OffsetPosition position = new OffsetPosition(partition, number);
            out.add(stop - chunkStart > maxRecordBytes
                    ? new LongLine(chunk, chunkStart, stop - chunkStart, position, maxRecordBytes)
                    : new FileLine(chunk, chunkStart, stop - chunkStart, position));
        }
    }

    /**
     * The line at chunkStart is over the cap and not ended in the chunk: keeps its first bytes,
     * reads on (in chunks, without growing) to its newline, and files it as an oversized record.
     */
    private void skipOversized(List<SourceRecord> out) throws IOException {
        long number = line++;
        int kept = OversizedRecord.keptBytes(maxRecordBytes);
        byte[] head = java.util.Arrays.copyOfRange(chunk, chunkStart, chunkStart + kept);
        long length = 0;
        while (true) {
            int nl = indexOfNewline();
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
        if (number > startAfterLine) {
            out.add(new LongLine(head, 0, kept, new OffsetPosition(partition, number),
                    maxRecordBytes, length));
        }
    }

    /** The next newline in the chunk, or -1. */
    private int indexOfNewline() {
        return Lines.indexOfNewline(chunk, chunkStart, chunkEnd);
    }

    /** Starts a new chunk holding the unfinished line; records handed out keep the old one. */
    private void refill() throws IOException {
        int rest = chunkEnd - chunkStart;
        byte[] next = new byte[(int) Math.min(Integer.MAX_VALUE - 8, Math.max(CHUNK, rest * 2L))];
        System.arraycopy(chunk, chunkStart, next, 0, rest);
        chunk = next;
        chunkStart = 0;
        chunkEnd = rest;
        int wanted = chunk.length - chunkEnd;
        int n = in.readNBytes(chunk, chunkEnd, wanted);
        chunkEnd += n;
        eof = n < wanted; // readNBytes stops short only at the end of the stream
    }

    @Override
    public void commit(Collection<SourcePosition> positions) throws IOException {
        long before = committedLine;
        long after = before;
        for (SourcePosition p : positions) {
            after = Math.max(after, ((OffsetPosition) p).offset());
        }
        committedLine = after;
        if (checkpoint != null && after > before) {
            Path tmp = checkpoint.resolveSibling(checkpoint.getFileName() + ".tmp");
            Files.writeString(tmp, after + "\n", StandardCharsets.US_ASCII);
            Files.move(tmp, checkpoint, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    @Override
    public boolean finished() {
        return eof && chunkStart >= chunkEnd;
    }

    @Override
    public Set<String> virtualColumns() {
        return Set.of("_file", "_path", "_offset");
    }

    @Override
    public String describe() {
        return "file " + path;
    }

    @Override
    public void close() throws IOException {
        if (in != null) {
            in.close();
        }
    }

    /** A line over the cap: its first bytes (the pipe files it in the error table). */
    private final class LongLine extends FileLine implements OversizedRecord {
        private final long cap;
        private final long fullLength;

        LongLine(byte[] data, int offset, int length, OffsetPosition position, long cap) {
            this(java.util.Arrays.copyOfRange(data, offset, offset + OversizedRecord.keptBytes(cap)), 0,
                    OversizedRecord.keptBytes(cap), position, cap, length);
        }

        LongLine(byte[] head, int offset, int kept, OffsetPosition position, long cap, long fullLength) {
            super(head, offset, kept, position);
            this.cap = cap;
            this.fullLength = fullLength;
        }

        @Override
        public long fullLength() {
            return fullLength;
        }

        @Override
        public long maxRecordBytes() {
            return cap;
        }

        @Override
        public String describe() {
            return OversizedRecord.description(this, "line " + ((OffsetPosition) position()).offset() + " of " + path, "line");
        }
    }

    /** A line of the file: a slice of a chunk. */
    private class FileLine extends BytesRecord {
        FileLine(byte[] data, int offset, int length, OffsetPosition position) {
            super(data, offset, length, position);
        }

        @Override
        public Object virtualColumn(String name) {
            return switch (name) {
                case "_file" -> path.getFileName().toString();
                case "_path" -> path.toAbsolutePath().toString();
                default -> super.virtualColumn(name);
            };
        }
    }
}
