package dev.clickpipes.source.objectstore;

import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.core.Batching;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import dev.clickpipes.testkit.TestDatabase;
import java.time.Duration;

/** Shared helpers: a pipe from a source into a table of the embedded engine. */
final class TestPipes {

    private TestPipes() {
    }

    static Pipe.Builder pipe(String name, ObjectStoreSource source, EmbeddedClickHouse clickhouse, String table) {
        return Pipe.builder().name(name).source(source).decoder(source.decoder())
                .batching(Batching.builder().maxRows(50_000).maxAge(Duration.ofMillis(300)).build())
                .sink(ClickHouseSink.builder().transport(clickhouse).table(table).errorTable(true).build());
    }

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
}
