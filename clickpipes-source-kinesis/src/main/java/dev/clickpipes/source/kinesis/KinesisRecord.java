package dev.clickpipes.source.kinesis;

import dev.clickpipes.core.spi.ByteSliceRecord;
import dev.clickpipes.core.spi.SourcePosition;
import java.time.Instant;

/** One Kinesis (user) record, with the values of the source's virtual columns. */
final class KinesisRecord extends ByteSliceRecord {

    static final String KEY = "_key";
    static final String TIMESTAMP = "_timestamp";
    static final String STREAM = "_stream";
    static final String SEQUENCE_NUMBER = "_sequence_number";
    static final String SHARD_ID = "_shard_id";

    private final KinesisPosition position;
    private final String partitionKey;
    private final Instant arrival;
    private final String stream;

    KinesisRecord(byte[] data, int offset, int length, KinesisPosition position, String partitionKey,
            Instant arrival, String stream) {
        super(data, offset, length);
        this.position = position;
        this.partitionKey = partitionKey;
        this.arrival = arrival;
        this.stream = stream;
    }

    @Override
    public SourcePosition position() {
        return position;
    }

    KinesisPosition kinesisPosition() {
        return position;
    }

    @Override
    public Object virtualColumn(String name) {
        return switch (name) {
            case KEY -> partitionKey;
            case TIMESTAMP -> arrival;
            case STREAM -> stream;
            case SEQUENCE_NUMBER -> position.sequenceNumber();
            case SHARD_ID -> position.shardId();
            default -> null;
        };
    }
}
