package dev.clickpipes.source.kafka;

import java.time.Instant;
import java.util.Objects;

/**
 * Where a consumer group starts reading a partition for which it has no committed offset (a new
 * group, or a new partition). Once the group has committed, it always resumes after its commit.
 */
public final class StartPosition {

    /** The oldest record still in the partition. */
    public static final StartPosition EARLIEST = new StartPosition("earliest", null);
    /** Only records produced after the consumer joins. */
    public static final StartPosition LATEST = new StartPosition("latest", null);

    private final String kind;
    private final Instant timestamp;

    private StartPosition(String kind, Instant timestamp) {
        this.kind = kind;
        this.timestamp = timestamp;
    }

    /** The oldest record still in the partition (Kafka's {@code auto.offset.reset=earliest}). */
    public static StartPosition earliest() {
        return EARLIEST;
    }

    /** Records produced after the consumer joins (Kafka's {@code auto.offset.reset=latest}). */
    public static StartPosition latest() {
        return LATEST;
    }

    /**
     * The first record whose timestamp is at or after {@code time}; the partition's end when every
     * record is older.
     */
    public static StartPosition timestamp(Instant time) {
        return new StartPosition("timestamp", Objects.requireNonNull(time, "StartPosition.timestamp: time is null"));
    }

    /** The timestamp to start from, or null for {@link #EARLIEST} and {@link #LATEST}. */
    public Instant timestamp() {
        return timestamp;
    }

    /** The consumer's {@code auto.offset.reset}: a timestamp start seeks itself and falls back to latest. */
    String autoOffsetReset() {
        return timestamp == null ? kind : "latest";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StartPosition s && s.kind.equals(kind) && Objects.equals(s.timestamp, timestamp);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, timestamp);
    }

    @Override
    public String toString() {
        return timestamp == null ? kind : "timestamp " + timestamp;
    }
}
