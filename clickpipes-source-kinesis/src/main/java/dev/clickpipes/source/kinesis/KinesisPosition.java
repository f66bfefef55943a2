package dev.clickpipes.source.kinesis;

import dev.clickpipes.core.spi.SourcePosition;

/**
 * A record's place in a Kinesis stream: its shard and (extended) sequence number. The partition
 * is the shard id. {@code toString()} is {@code shardId:sequenceNumber} (plus {@code /sub} for
 * a KPL-aggregated user record).
 */
public final class KinesisPosition implements SourcePosition {

    private final String shardId;
    private final String sequenceNumber;
    private final long subSequenceNumber;
    /** The lease (one processor of the shard on this worker) that read the record; checkpoints go through it. */
    final ShardLease lease;

    KinesisPosition(ShardLease lease, String sequenceNumber, long subSequenceNumber) {
        this.lease = lease;
        this.shardId = lease.shardId();
        this.sequenceNumber = sequenceNumber;
        this.subSequenceNumber = subSequenceNumber;
    }

    @Override
    public String partition() {
        return shardId;
    }

    /** The shard id, e.g. {@code shardId-000000000001}. */
    public String shardId() {
        return shardId;
    }

    /** The record's sequence number in its shard. */
    public String sequenceNumber() {
        return sequenceNumber;
    }

    /** The user record's index within a KPL-aggregated record; 0 for a plain record. */
    public long subSequenceNumber() {
        return subSequenceNumber;
    }

    @Override
    public String offsetText() {
        return sequenceNumber + "/" + subSequenceNumber;
    }

    @Override
    public String toString() {
        return subSequenceNumber == 0 ? shardId + ":" + sequenceNumber : shardId + ":" + sequenceNumber + "/" + subSequenceNumber;
    }
}
