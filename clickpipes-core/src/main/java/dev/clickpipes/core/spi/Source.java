package dev.clickpipes.core.spi;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Where records come from. A pipe calls every method from its one worker thread, in this order:
 * {@link #open}, then {@link #poll} and {@link #commit} as often as it runs, then {@link #close}.
 */
public interface Source extends AutoCloseable {

    /** Connects; a configuration the source cannot work with fails here with a message that names it. */
    void open(SourceContext context) throws Exception;

    /**
     * The next records, waiting at most {@code maxWait} for some; an empty list when none came.
     * Returns the records in source order within each partition.
     */
    List<? extends SourceRecord> poll(Duration maxWait) throws Exception;

    /**
     * Makes these positions durable: a restarted pipe resumes after them. Called only with the
     * last position of each partition whose records are all in ClickHouse.
     */
    void commit(Collection<SourcePosition> positions) throws Exception;

    /**
     * Exactly-once: another worker of the pipe took this partition over (the delivery state says
     * so: this worker stalled past its lease). The pipe has dropped, uncommitted, what it held of the
     * partition. A source whose workers share partitions lets it go (stops reading it, forgets what
     * of it is in flight) and returns true: the pipe goes on. The default returns false: the pipe
     * stops with the reason, as a source that cannot give a partition back must.
     */
    default boolean partitionLost(String partition) throws Exception {
        return false;
    }

    /** True when a bounded source has nothing more to give (a file read to its end); the pipe then finishes. */
    default boolean finished() {
        return false;
    }

    /**
     * How far behind the source is, for metrics. The pipe calls it on its thread, about once a
     * second between polls, so it must answer from what the source already knows (a client's
     * fetched metadata, the last response) and never wait on the network. Default: none.
     */
    default SourceLag lag() {
        return SourceLag.none();
    }

    /** The virtual columns whose values {@link SourceRecord#virtualColumn} gives. */
    default Set<String> virtualColumns() {
        return Set.of();
    }

    /** What this source reads, for messages and the error table (never a secret). */
    String describe();

    /** Releases the source's resources. */
    @Override
    void close() throws Exception;
}
