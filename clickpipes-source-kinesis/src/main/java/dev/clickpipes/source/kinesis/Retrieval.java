package dev.clickpipes.source.kinesis;

/** How the Kinesis Client Library reads shards. */
public enum Retrieval {
    /**
     * GetRecords polling: shares each shard's 2 MB/s read limit with every other consumer of the
     * stream; no extra cost. The default.
     */
    POLLING,
    /**
     * Enhanced fan-out: SubscribeToShard over HTTP/2 with a dedicated 2 MB/s per shard for this
     * application and lower latency; registers a stream consumer named after the application
     * (billed by AWS per consumer-shard hour).
     */
    ENHANCED_FAN_OUT
}
