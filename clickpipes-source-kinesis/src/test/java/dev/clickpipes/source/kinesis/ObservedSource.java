package dev.clickpipes.source.kinesis;

import dev.clickpipes.core.spi.Source;
import dev.clickpipes.core.spi.SourceContext;
import dev.clickpipes.core.spi.SourcePosition;
import dev.clickpipes.core.spi.SourceRecord;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link KinesisSource} seen from the pipe: records the order in which shards were polled and the
 * positions committed, and can simulate a crash: after {@code commitsBeforeCrash} commits the next
 * one throws (its batch is in ClickHouse, its checkpoint never made), and close() then stops KCL
 * like a killed process (no graceful shutdown).
 */
final class ObservedSource implements Source {

    private final KinesisSource delegate;
    private final int commitsBeforeCrash;
    private final AtomicInteger commits = new AtomicInteger();
    private final AtomicLong polls = new AtomicLong();
    private final AtomicLong recordsPolled = new AtomicLong();
    /** Per shard: the poll number of its first and last record. */
    final Map<String, long[]> pollSpan = new ConcurrentHashMap<>();
    /** Per shard: the last position committed. */
    final Map<String, KinesisPosition> committed = new ConcurrentHashMap<>();
    private volatile boolean crashed;

    ObservedSource(KinesisSource delegate, int commitsBeforeCrash) {
        this.delegate = delegate;
        this.commitsBeforeCrash = commitsBeforeCrash;
    }

    static ObservedSource of(KinesisSource delegate) {
        return new ObservedSource(delegate, Integer.MAX_VALUE);
    }

    long recordsPolled() {
        return recordsPolled.get();
    }

    @Override
    public void open(SourceContext context) throws Exception {
        delegate.open(context);
    }

    @Override
    public List<? extends SourceRecord> poll(Duration maxWait) throws Exception {
        List<? extends SourceRecord> records = delegate.poll(maxWait);
        if (!records.isEmpty()) {
            long n = polls.incrementAndGet();
            for (SourceRecord r : records) {
                long[] span = pollSpan.computeIfAbsent(r.position().partition(), k -> new long[] {n, n});
                span[1] = n;
            }
            recordsPolled.addAndGet(records.size());
        }
        return records;
    }

    @Override
    public void commit(Collection<SourcePosition> positions) throws Exception {
        if (commits.incrementAndGet() > commitsBeforeCrash) {
            crashed = true;
            throw new IllegalStateException("simulated crash between insert and checkpoint");
        }
        delegate.commit(positions);
        for (SourcePosition p : positions) {
            committed.put(p.partition(), (KinesisPosition) p);
        }
    }

    @Override
    public Set<String> virtualColumns() {
        return delegate.virtualColumns();
    }

    @Override
    public String describe() {
        return delegate.describe();
    }

    @Override
    public void close() throws Exception {
        if (crashed) {
            delegate.abort();
        } else {
            delegate.close();
        }
    }
}
