package dev.clickpipes.source.kinesis;

import java.time.Instant;
import java.util.Objects;
import software.amazon.kinesis.common.InitialPositionInStream;
import software.amazon.kinesis.common.InitialPositionInStreamExtended;

/**
 * Where a pipe starts reading a shard that has no checkpoint yet. A shard with a checkpoint (from
 * an earlier run of the same application) always resumes after it, whatever this says.
 */
public final class KinesisStartPosition {

    private static final KinesisStartPosition TRIM_HORIZON = new KinesisStartPosition(InitialPositionInStream.TRIM_HORIZON, null);
    private static final KinesisStartPosition LATEST = new KinesisStartPosition(InitialPositionInStream.LATEST, null);

    private final InitialPositionInStream kind;
    private final Instant timestamp;

    private KinesisStartPosition(InitialPositionInStream kind, Instant timestamp) {
        this.kind = kind;
        this.timestamp = timestamp;
    }

    /** The oldest record the stream still holds (TRIM_HORIZON). */
    public static KinesisStartPosition trimHorizon() {
        return TRIM_HORIZON;
    }

    /** Only records put after the shard is first read (LATEST). */
    public static KinesisStartPosition latest() {
        return LATEST;
    }

    /** The first record that arrived at or after {@code timestamp} (AT_TIMESTAMP). */
    public static KinesisStartPosition atTimestamp(Instant timestamp) {
        return new KinesisStartPosition(InitialPositionInStream.AT_TIMESTAMP,
                Objects.requireNonNull(timestamp, "KinesisStartPosition.atTimestamp: timestamp is null"));
    }

    InitialPositionInStreamExtended toKcl() {
        return kind == InitialPositionInStream.AT_TIMESTAMP
                ? InitialPositionInStreamExtended.newInitialPositionAtTimestamp(java.util.Date.from(timestamp))
                : InitialPositionInStreamExtended.newInitialPosition(kind);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KinesisStartPosition p && p.kind == kind && Objects.equals(p.timestamp, timestamp);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, timestamp);
    }

    @Override
    public String toString() {
        return timestamp == null ? kind.name() : kind.name() + "(" + timestamp + ")";
    }
}
