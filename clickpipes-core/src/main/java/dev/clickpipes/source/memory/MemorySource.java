package dev.clickpipes.source.memory;

import dev.clickpipes.core.spi.Source;
import dev.clickpipes.core.spi.SourceContext;
import dev.clickpipes.core.spi.SourceLag;
import dev.clickpipes.core.spi.SourcePosition;
import dev.clickpipes.core.spi.SourceRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Records from memory: for tests, demos, and feeding a pipe from code. Records are numbered from 0
 * in one partition named {@code memory}. Bounded ({@link #of}: the pipe finishes after the last
 * one) or open ({@link #open()}: {@link #offer} records from any thread, {@link #end()} to finish).
 * Virtual columns: {@code _offset}, {@code _partition}. Committed offsets are kept in memory; the
 * lag is the number of records offered and not taken yet.
 */
public final class MemorySource implements Source {

    private static final int MAX_POLL = 10_000;

    private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
    private volatile boolean ended;
    private long nextOffset;
    private volatile long committedOffset = -1;

    private MemorySource() {
    }

    /** A bounded source of these records, each a UTF-8 string. */
    public static MemorySource of(List<String> records) {
        MemorySource s = new MemorySource();
        records.forEach(s::offer);
        s.end();
        return s;
    }

    /** An open source: offer records, then call {@link #end()} to let the pipe finish. */
    public static MemorySource open() {
        return new MemorySource();
    }

    /** Adds a record (UTF-8). */
    public MemorySource offer(String record) {
        return offer(record.getBytes(StandardCharsets.UTF_8));
    }

    /** Adds a record. */
    public MemorySource offer(byte[] record) {
        if (ended) {
            throw new IllegalStateException("MemorySource was ended; no more records");
        }
        queue.add(record);
        return this;
    }

    /** No more records: the pipe finishes once it has taken those queued. */
    public void end() {
        ended = true;
    }

    /** The offset of the last committed record, or -1 when none is. */
    public long committedOffset() {
        return committedOffset;
    }

    /** Records handed to the pipe so far. */
    public long polledCount() {
        return nextOffset;
    }

    @Override
    public void open(SourceContext context) {
    }

    @Override
    public List<? extends SourceRecord> poll(Duration maxWait) throws InterruptedException {
        List<SourceRecord> out = new ArrayList<>();
        byte[] first = queue.poll(maxWait.toNanos(), TimeUnit.NANOSECONDS);
        if (first == null) {
            return out;
        }
        List<byte[]> drained = new ArrayList<>();
        drained.add(first);
        queue.drainTo(drained, MAX_POLL - 1);
        for (byte[] b : drained) {
            out.add(new BytesRecord(b, 0, b.length, new OffsetPosition("memory", nextOffset++)));
        }
        return out;
    }

    @Override
    public void commit(Collection<SourcePosition> positions) {
        for (SourcePosition p : positions) {
            committedOffset = Math.max(committedOffset, ((OffsetPosition) p).offset());
        }
    }

    /** The records offered and not polled yet, as the lag of partition {@code memory}. */
    @Override
    public SourceLag lag() {
        return new SourceLag(SourceLag.Unit.RECORDS, Map.of("memory", (long) queue.size()));
    }

    @Override
    public boolean finished() {
        return ended && queue.isEmpty();
    }

    @Override
    public Set<String> virtualColumns() {
        return Set.of("_offset", "_partition");
    }

    @Override
    public String describe() {
        return "memory";
    }

    @Override
    public void close() {
    }
}
