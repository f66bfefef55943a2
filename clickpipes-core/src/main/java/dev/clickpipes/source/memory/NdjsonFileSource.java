package dev.clickpipes.source.memory;

import dev.clickpipes.core.spi.Source;
import dev.clickpipes.core.spi.SourceContext;
import dev.clickpipes.core.spi.SourcePosition;
import dev.clickpipes.core.spi.SourceRecord;
import dev.clickpipes.format.text.Lines;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The lines of a local file, one record each (NDJSON, or any line-per-record text), numbered from
 * 0. Empty lines are skipped. Bounded: the pipe finishes at the end of the file. Reads in 1 MB
 * chunks and hands out lines as slices of them, without copying. Virtual columns: {@code _file},
 * {@code _path}, {@code _offset} (the line number). The last committed line is kept in memory
 * ({@link #committedLine()}); {@link #startAfterLine} resumes after it.
 */
public final class NdjsonFileSource implements Source {

    private static final int CHUNK = 1 << 18; // under half a G1 region: a larger array is a costly humongous allocation

    private final Path path;
    private final long startAfterLine;
    private InputStream in;
    private byte[] chunk = new byte[CHUNK];
    private int chunkStart;
    private int chunkEnd;
    private boolean eof;
    private long line;
    private volatile long committedLine = -1;

    private NdjsonFileSource(Path path, long startAfterLine) {
        this.path = path;
        this.startAfterLine = startAfterLine;
    }

    /** The whole file. */
    public static NdjsonFileSource of(Path path) {
        return new NdjsonFileSource(path, -1);
    }

    /** The file from the line after {@code line} (as {@link #committedLine()} returned it). */
    public static NdjsonFileSource startAfterLine(Path path, long line) {
        return new NdjsonFileSource(path, line);
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
        in = Files.newInputStream(path);
    }

    @Override
    public List<? extends SourceRecord> poll(Duration maxWait) throws IOException {
        List<SourceRecord> out = new ArrayList<>();
        while (out.size() < 10_000 && !finished()) {
            int nl = indexOfNewline();
            if (nl < 0) {
                if (eof) {
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
        if (stop > chunkStart && number > startAfterLine) {
            OffsetPosition position = new OffsetPosition(path.getFileName().toString(), number);
            out.add(new FileLine(chunk, chunkStart, stop - chunkStart, position));
        }
    }

    /** The next newline in the chunk, or -1. */
    private int indexOfNewline() {
        return Lines.indexOfNewline(chunk, chunkStart, chunkEnd);
    }

    /** Starts a new chunk holding the unfinished line; records handed out keep the old one. */
    private void refill() throws IOException {
        int rest = chunkEnd - chunkStart;
        byte[] next = new byte[Math.max(CHUNK, rest * 2)];
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
    public void commit(Collection<SourcePosition> positions) {
        for (SourcePosition p : positions) {
            committedLine = Math.max(committedLine, ((OffsetPosition) p).offset());
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

    /** A line of the file: a slice of a chunk. */
    private final class FileLine extends BytesRecord {
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
