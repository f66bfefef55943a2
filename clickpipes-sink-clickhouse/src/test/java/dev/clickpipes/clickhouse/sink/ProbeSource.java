package dev.clickpipes.clickhouse.sink;

import dev.clickpipes.core.spi.Source;
import dev.clickpipes.core.spi.SourceContext;
import dev.clickpipes.core.spi.SourcePosition;
import dev.clickpipes.core.spi.SourceRecord;
import dev.clickpipes.source.memory.MemorySource;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link MemorySource} that records what the pipe did to it: how many commits, whether close()
 * ran with the interrupt flag set; optionally its close() flushes the pipe first (as Kafka does
 * when partitions are revoked) and takes a while (as a final commit over the network does).
 */
final class ProbeSource implements Source {

    final MemorySource memory;
    final AtomicInteger commits = new AtomicInteger();
    volatile boolean closed;
    /** Whether close() found the interrupt flag set, or was interrupted while it worked. */
    volatile boolean closedInterrupted;
    private volatile boolean flushOnClose;
    private volatile long closeTakesMillis;
    private SourceContext context;

    ProbeSource(MemorySource memory) {
        this.memory = memory;
    }

    ProbeSource flushOnClose() {
        flushOnClose = true;
        return this;
    }

    ProbeSource closeTakes(long millis) {
        closeTakesMillis = millis;
        return this;
    }

    @Override
    public void open(SourceContext context) {
        this.context = context;
        memory.open(context);
    }

    @Override
    public List<? extends SourceRecord> poll(Duration maxWait) throws InterruptedException {
        return memory.poll(maxWait);
    }

    @Override
    public void commit(Collection<SourcePosition> positions) {
        commits.incrementAndGet();
        memory.commit(positions);
    }

    @Override
    public boolean finished() {
        return memory.finished();
    }

    @Override
    public Set<String> virtualColumns() {
        return memory.virtualColumns();
    }

    @Override
    public String describe() {
        return "probe " + memory.describe();
    }

    @Override
    public void close() throws Exception {
        boolean interrupted = Thread.currentThread().isInterrupted();
        try {
            if (flushOnClose) {
                context.flush();
            }
            if (closeTakesMillis > 0) {
                Thread.sleep(closeTakesMillis);
            }
        } catch (InterruptedException e) {
            interrupted = true;
            throw e;
        } finally {
            closedInterrupted = interrupted;
            closed = true;
            memory.close();
        }
    }
}
