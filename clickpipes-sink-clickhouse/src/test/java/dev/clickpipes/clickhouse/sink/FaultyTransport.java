package dev.clickpipes.clickhouse.sink;

import dev.clickpipes.clickhouse.ClickHouseException;
import dev.clickpipes.clickhouse.ClickHouseTransport;
import dev.clickpipes.clickhouse.ForwardingTransport;
import dev.clickpipes.core.spi.SinkException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real engine behind, a fault in front: statements go to the engine, and each insert into the
 * target table (not the error table) goes through a {@link Fault} first, which may throw, run the
 * real insert and then throw, block, or change the settings.
 */
final class FaultyTransport extends ForwardingTransport {

    /** One insert into the target, as the sink sent it. */
    final class Insert {
        final int number; // 1-based, over the target's inserts
        final String sql;
        Map<String, String> settings;
        final byte[] body;
        final int length;

        Insert(int number, String sql, Map<String, String> settings, byte[] body, int length) {
            this.number = number;
            this.sql = sql;
            this.settings = settings;
            this.body = body;
            this.length = length;
        }

        /** The number of rows in the Native block (its second varint). */
        int rows() {
            int[] pos = {0};
            varint(pos); // columns
            return (int) varint(pos);
        }

        /** True when the block's bytes contain this text (a String value of a row). */
        boolean contains(String text) {
            return new String(body, 0, length, StandardCharsets.ISO_8859_1).contains(text);
        }

        /**
         * Blocks like an insert stuck in a socket read, until {@link #abortInFlight()} is called or
         * the thread is interrupted (whose flag stays set, as after an interrupted socket read).
         */
        void blockUntilAborted() {
            try {
                aborted.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Runs the real insert. */
        void proceed() throws ClickHouseException {
            delegate().insert(sql, settings, body, length);
            landed.incrementAndGet();
        }

        private long varint(int[] pos) {
            long v = 0;
            for (int shift = 0; ; shift += 7) {
                byte b = body[pos[0]++];
                v |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
            }
        }
    }

    /** What happens to an insert into the target. */
    @FunctionalInterface
    interface Fault {
        void insert(Insert insert) throws ClickHouseException;
    }

    private final Fault fault;
    final AtomicInteger inserts = new AtomicInteger();
    final AtomicInteger landed = new AtomicInteger();
    final CountDownLatch aborted = new CountDownLatch(1);
    /** Inserts into the target still inside this transport. */
    final AtomicInteger active = new AtomicInteger();
    private volatile long abortDelayMillis;

    FaultyTransport(ClickHouseTransport inner, Fault fault) {
        super(inner);
        this.fault = fault;
    }

    /** An exception as the server would report it, e.g. {@code server(394, "Query was cancelled. (QUERY_WAS_CANCELLED)")}. */
    static ClickHouseException server(int code, String text) {
        return ClickHouseException.fromServerMessage("test server", "Code: " + code + ". DB::Exception: " + text);
    }

    /** The answer to an insert that ran was lost on the way back. */
    static ClickHouseException answerLost() {
        return new ClickHouseException(SinkException.Kind.RETRYABLE, 0,
                "test server: connection reset while reading the answer", null);
    }

    @Override
    public void insert(String insertSql, Map<String, String> settings, byte[] body, int length)
            throws ClickHouseException {
        if (insertSql.contains("_clickpipes_error")) {
            super.insert(insertSql, settings, body, length);
            return;
        }
        active.incrementAndGet();
        try {
            fault.insert(new Insert(inserts.incrementAndGet(), insertSql, settings, body, length));
        } finally {
            active.decrementAndGet();
        }
    }

    /** Makes {@link #abortInFlight()} take this long after it released the blocked insert (closing sockets takes time). */
    FaultyTransport abortTakes(long millis) {
        abortDelayMillis = millis;
        return this;
    }

    @Override
    public void abortInFlight() {
        aborted.countDown();
        super.abortInFlight();
        if (abortDelayMillis > 0) {
            try {
                Thread.sleep(abortDelayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String describe() {
        return "faulty " + delegate().describe();
    }

    @Override
    public void close() {
        // the engine is shared
    }
}
