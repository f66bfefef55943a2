package dev.clickpipes.testservices;

import dev.clickpipes.clickhouse.ClickHouseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Two writers (two connections, or two processes) start the same {@code ALTER TABLE ... UPDATE
 * version = version + 1} on one KeeperMap key at the same moment, many times; counts the updates
 * that returned OK but are missing from the value (lost updates).
 */
final class KeeperMapRace {

    /** Runs one statement somewhere. */
    interface Sql {
        String run(String sql) throws ClickHouseException;
    }

    /** What the trials gave: lost updates, and the text of every error. */
    record Outcome(int trials, int lostUpdates, List<String> errors) {}

    private final Sql first;
    private final Sql second;
    private final Sql reader;
    private final String table;

    /** {@code table} must have columns {@code key String, version UInt64, owner String}, key the primary key. */
    KeeperMapRace(Sql first, Sql second, Sql reader, String table) {
        this.first = first;
        this.second = second;
        this.reader = reader;
        this.table = table;
    }

    Outcome increments(String settingsClause, int trials) throws Exception {
        String update = "ALTER TABLE " + table + " UPDATE version = version + 1 WHERE key = 'race'" + settingsClause;
        int lost = 0;
        List<String> errors = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < trials; i++) {
                reader.run("INSERT INTO " + table + " VALUES ('race', 0, '')");
                CyclicBarrier start = new CyclicBarrier(2);
                AtomicInteger ok = new AtomicInteger();
                List<Future<?>> writers = new ArrayList<>();
                for (Sql writer : List.of(first, second)) {
                    writers.add(pool.submit(() -> {
                        start.await();
                        try {
                            writer.run(update);
                            ok.incrementAndGet();
                        } catch (ClickHouseException e) {
                            synchronized (errors) {
                                errors.add(e.getMessage());
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> w : writers) {
                    w.get();
                }
                long value = Long.parseLong(reader.run("SELECT version FROM " + table + " WHERE key = 'race'").strip());
                if (value != ok.get()) {
                    lost++;
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return new Outcome(trials, lost, errors);
    }
}
