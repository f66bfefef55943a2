package dev.clickpipes.source.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.core.Batching;
import dev.clickpipes.core.Delivery;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import dev.clickpipes.testkit.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Function;

/** Shared helpers: a pipe from a source into a table of the embedded engine. */
final class TestPipes {

    private TestPipes() {
    }

    static Pipe.Builder pipe(String name, ObjectStoreSource source, EmbeddedClickHouse clickhouse, String table) {
        return Pipe.builder().name(name).source(source).decoder(source.decoder())
                .batching(Batching.builder().maxRows(50_000).maxAge(Duration.ofMillis(300)).build())
                .sink(ClickHouseSink.builder().transport(clickhouse).table(table).errorTable(true).build());
    }

    /**
     * Runs the pipe on a thread of its own. Not {@code CompletableFuture.runAsync(pipe)}: on 2 cores
     * its common pool has one thread, so pipes started that way run one after another, never side
     * by side.
     */
    static CompletableFuture<Void> start(Runnable pipe) {
        return CompletableFuture.runAsync(pipe, task -> {
            Thread t = new Thread(task, "pipe-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            t.start();
        });
    }

    private static final AtomicInteger THREADS = new AtomicInteger();

    static String events(int from, int count) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < from + count; i++) {
            sb.append("{\"id\":").append(i).append(",\"name\":\"n").append(i).append("\",\"v\":").append(i * 0.5).append("}\n");
        }
        return sb.toString();
    }

    /** Creates {@code name} in {@code db}: the columns of {@link #events} and the {@code _file}, {@code _row} virtual columns. */
    static String eventsTable(TestDatabase db, String name) throws Exception {
        String t = db.table(name);
        db.engine().query("CREATE TABLE " + t + " (id UInt32, name String, v Float64, _file String, _row UInt64)"
                + " ENGINE = MergeTree ORDER BY id");
        return t;
    }

    /** Waits up to 60 s until {@code table} has {@code expected} rows. */
    static void awaitCount(EmbeddedClickHouse clickhouse, String table, long expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (clickhouse.queryLong("SELECT count() FROM " + table) < expected) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(table + " did not reach " + expected + " rows; has "
                        + clickhouse.queryLong("SELECT count() FROM " + table));
            }
            Thread.sleep(100);
        }
    }

    /**
     * Loads {@code a.ndjson} and {@code b.ndjson} (1 000 rows each), rewrites {@code a} with other
     * ids and the same size (only its version tells), loads again: {@code a} is loaded again as a
     * new version, {@code b} is not; rewrites {@code a} once more and loads with
     * {@code reloadRewrittenObjects(false)}: ignored. Each load is a one-time pipe on one state table.
     *
     * @param table  a table of the columns of {@link #events} (deduplicating for exactly-once)
     * @param write  writes an object: its name and text
     * @param source the source of {@code *.ndjson} with that state table, with {@code reloadRewrittenObjects(arg)}
     */
    static void rewrittenObjectIsLoadedAgainUnlessIgnored(EmbeddedClickHouse clickhouse, String table, Delivery delivery,
            BiConsumer<String, String> write, Function<Boolean, ObjectStoreSource> source) throws Exception {
        // ids of four digits and values of four before the point: every version of a has the same size
        write.accept("a.ndjson", events(2000, 1000));
        write.accept("b.ndjson", events(5000, 1000));
        pipe("rewrite", source.apply(true), clickhouse, table).delivery(delivery).build().run();
        assertThat(clickhouse.queryLong("SELECT count() FROM " + table)).isEqualTo(2000);

        write.accept("a.ndjson", events(3000, 1000));
        pipe("rewrite", source.apply(true), clickhouse, table).delivery(delivery).build().run();
        assertThat(clickhouse.queryRows("SELECT intDiv(id, 1000), count(), uniqExact(id)"
                + " FROM " + table + " GROUP BY 1 ORDER BY 1")).as("thousands of ids: rows, distinct ids")
                .containsExactly(List.of("2", "1000", "1000"), List.of("3", "1000", "1000"),
                        List.of("5", "1000", "1000"));

        write.accept("a.ndjson", events(4000, 1000));
        pipe("rewrite", source.apply(false), clickhouse, table).delivery(delivery).build().run();
        assertThat(clickhouse.queryLong("SELECT count() FROM " + table)).isEqualTo(3000);
        assertThat(clickhouse.queryLong("SELECT count() FROM " + table
                + " WHERE id BETWEEN 4000 AND 4999")).isZero();
    }
}
