package dev.clickpipes.core.spi;

/**
 * Where a record sits in its source: a partition (a Kafka topic-partition, a Kinesis shard, a
 * file) and a place in it. The pipe keeps the last position of each partition in a batch and hands
 * those to {@link Source#commit} once the batch is in ClickHouse. {@code toString()} is what the
 * error table's {@code position} column shows.
 */
public interface SourcePosition {

    /** The partition this position is in; positions of one partition are committed in order. */
    String partition();

    /**
     * This position's place in its partition, as one or more non-negative decimal numbers joined
     * by {@code '/'} ({@code "1234"}, or a Kinesis {@code "sequence/sub"}): later records have
     * larger offsets, compared by {@link Offsets#compare}. Exactly-once delivery stores offsets
     * to know what is in ClickHouse and to rebuild an interrupted batch exactly.
     */
    String offsetText();
}
