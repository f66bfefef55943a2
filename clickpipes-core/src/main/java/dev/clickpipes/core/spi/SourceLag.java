package dev.clickpipes.core.spi;

import java.util.Map;
import java.util.Objects;

/**
 * How far a source is behind what it could read, per partition, in one unit: what
 * {@link Source#lag()} answers. A partition it cannot tell yet (nothing fetched) is absent.
 *
 * @param unit       what the numbers count
 * @param partitions per partition (as {@link SourcePosition#partition()} names it), how far behind
 */
public record SourceLag(Unit unit, Map<String, Long> partitions) {

    private static final SourceLag NONE = new SourceLag(Unit.RECORDS, Map.of());

    /** What a lag counts, which depends on what the source can know. */
    public enum Unit {
        /** Records not read yet (Kafka: the log end offset minus the consumer's position). */
        RECORDS,
        /** Milliseconds the last record read is behind the newest one (Kinesis' millisBehindLatest). */
        MILLISECONDS,
        /** Objects listed and not read yet (object storage). */
        OBJECTS
    }

    /** Copies the map: a lag is a snapshot. */
    public SourceLag {
        Objects.requireNonNull(unit, "unit");
        partitions = Map.copyOf(partitions);
    }

    /** A source that cannot tell, or has not fetched anything yet. */
    public static SourceLag none() {
        return NONE;
    }

    /** The sum over the partitions (0 when none is known). */
    public long total() {
        long sum = 0;
        for (long v : partitions.values()) {
            sum += v;
        }
        return sum;
    }
}
