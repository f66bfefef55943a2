package dev.clickpipes.core.spi;

/**
 * Where exactly-once delivery keeps each partition's {@link PartitionState}. It must be
 * linearizable and compare-and-set: of two workers writing the same version of a partition's
 * state, exactly one succeeds. That is what fences a worker that lost its partition (a Kafka
 * rebalance, a Kinesis lease taken over, a process stopped past its lease): its next write
 * fails, and it stops before inserting anything the new owner has not recorded.
 *
 * <p>{@code ClickHouseSink} provides one in the destination itself (a KeeperMap table, on servers
 * with Keeper: ClickHouse Cloud and Keeper-backed clusters). Implementations are thread-safe.
 */
public interface DeliveryState extends AutoCloseable {

    /** The last state written for the partition, or {@link PartitionState#INITIAL}. */
    PartitionState read(String partition) throws SinkException;

    /**
     * Writes {@code next}, whose version must be one more than the state this worker last read
     * or wrote for the partition.
     *
     * @throws SinkException of kind {@link SinkException.Kind#FATAL} when another worker wrote
     *     that version first (this worker is fenced), or RETRYABLE when the store is unreachable
     */
    void write(String partition, PartitionState next) throws SinkException;

    /** What the state is kept in, for messages. */
    String describe();

    /** Releases what the store holds. */
    @Override
    void close();
}
