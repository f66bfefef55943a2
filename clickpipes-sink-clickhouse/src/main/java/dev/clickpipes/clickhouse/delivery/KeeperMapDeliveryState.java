package dev.clickpipes.clickhouse.delivery;

import dev.clickpipes.clickhouse.ClickHouseException;
import dev.clickpipes.clickhouse.ClickHouseTransport;
import dev.clickpipes.clickhouse.KeeperMapTable;
import dev.clickpipes.clickhouse.SqlNames;
import dev.clickpipes.core.spi.DeliveryState;
import dev.clickpipes.core.spi.PartitionState;
import dev.clickpipes.core.spi.PartitionLostException;
import dev.clickpipes.core.spi.SinkException;
import java.util.List;

/**
 * Exactly-once state in the destination ClickHouse itself: a KeeperMap table (rows kept in
 * ClickHouse Keeper or ZooKeeper, linearizable) next to the target, {@code clickpipes_state}, one
 * row per pipe and partition.
 *
 * <p>Every write is a compare-and-set on the row's version ({@link KeeperMapTable}): the first
 * state is a strict INSERT, every later one a conditional update from version {@code v - 1}. The
 * row is then read back by key: unless it holds what this worker wrote, another worker moved the
 * partition on and this one is fenced (a Kafka rebalance, a lease taken over, a process resumed
 * after a long stop).
 */
public final class KeeperMapDeliveryState implements DeliveryState {

    /** The state table's name, in the target's database. */
    public static final String TABLE = "clickpipes_state";

    private static final String COLUMNS = "key, pipe, partition, version, mark, pending_first, pending_last";

    private final KeeperMapTable table;
    private final ClickHouseTransport transport;
    private final String pipe;

    private KeeperMapDeliveryState(KeeperMapTable table, ClickHouseTransport transport, String pipe) {
        this.table = table;
        this.transport = transport;
        this.pipe = pipe;
    }

    /**
     * Creates the state table in {@code database} when missing and returns the store of one pipe.
     *
     * @throws ClickHouseException FATAL, saying what the server lacks, when KeeperMap cannot be used
     */
    public static KeeperMapDeliveryState open(ClickHouseTransport transport, String database, String pipe)
            throws ClickHouseException {
        KeeperMapTable table = KeeperMapTable.open(transport, database, TABLE, "/clickpipes_state/" + database,
                "pipe String, partition String, version UInt64, mark String, pending_first String, pending_last String",
                "exactly-once state");
        return new KeeperMapDeliveryState(table, transport, pipe);
    }

    @Override
    public PartitionState read(String partition) throws SinkException {
        List<List<String>> rows = table.read("version, mark, pending_first, pending_last", List.of(key(partition)));
        if (rows.isEmpty()) {
            return PartitionState.INITIAL;
        }
        List<String> r = rows.get(0);
        return new PartitionState(Long.parseLong(r.get(0)), emptyToNull(r.get(1)), emptyToNull(r.get(2)),
                emptyToNull(r.get(3)));
    }

    @Override
    public void write(String partition, PartitionState next) throws SinkException {
        String key = key(partition);
        if (next.version() == 1) {
            table.insertNew(COLUMNS, List.of(key, pipe, partition, "1", nullToEmpty(next.mark()),
                    nullToEmpty(next.pendingFirst()), nullToEmpty(next.pendingLast())));
        } else {
            table.update(key, next.version() - 1, "version = " + next.version()
                    + ", mark = " + SqlNames.literal(nullToEmpty(next.mark()))
                    + ", pending_first = " + SqlNames.literal(nullToEmpty(next.pendingFirst()))
                    + ", pending_last = " + SqlNames.literal(nullToEmpty(next.pendingLast())));
        }
        // Another worker may have written first, or an earlier attempt of ours landed and only its
        // answer was lost: the read tells which.
        PartitionState now = read(partition);
        if (!now.equals(next)) {
            throw new PartitionLostException(partition, "pipe " + pipe + ": another worker moved the state of "
                    + partition + " to " + now + " while this worker was at version " + (next.version() - 1)
                    + "; this worker no longer owns it (nothing more of it is committed by this worker)");
        }
    }

    /** The row key: readable, and unambiguous whatever the partition's name holds. */
    private String key(String partition) {
        return KeeperMapTable.rowKey(pipe, partition);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    @Override
    public String describe() {
        return "KeeperMap table " + table.name() + " at " + transport.describe();
    }

    /** Nothing to release: the transport belongs to the sink. */
    @Override
    public void close() {
    }
}
