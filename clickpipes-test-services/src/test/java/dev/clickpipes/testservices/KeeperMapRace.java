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

    /**
     * What compare-and-set trials gave: how many had exactly one winner, how many had two writers
     * that each read back their own write (both believed they won), and the errors.
     */
    record CasOutcome(int trials, int oneWinner, int twoWinners, List<String> errors) {}

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

    /**
     * Both writers run {@code UPDATE version = 1, owner = <own name> WHERE key = 'race' AND version =
     * 0}, then read the row back: a writer won when its call returned OK and it reads its own name
     * with version 1. Exactly one winner per trial is a working compare-and-set.
     */
    CasOutcome compareAndSet(String settingsClause, int trials) throws Exception {
        int one = 0;
        int two = 0;
        List<String> errors = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < trials; i++) {
                reader.run("INSERT INTO " + table + " VALUES ('race', 0, '')");
                CyclicBarrier start = new CyclicBarrier(2);
                AtomicInteger winners = new AtomicInteger();
                List<Future<?>> writers = new ArrayList<>();
                String[] names = {"first", "second"};
                Sql[] sqls = {first, second};
                for (int w = 0; w < 2; w++) {
                    String name = names[w];
                    Sql writer = sqls[w];
                    writers.add(pool.submit(() -> {
                        start.await();
                        try {
                            writer.run("ALTER TABLE " + table + " UPDATE version = 1, owner = '" + name
                                    + "' WHERE key = 'race' AND version = 0" + settingsClause);
                            String row = writer.run("SELECT version, owner FROM " + table + " WHERE key = 'race'").strip();
                            if (row.equals("1\t" + name)) {
                                winners.incrementAndGet();
                            }
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
                one += winners.get() == 1 ? 1 : 0;
                two += winners.get() == 2 ? 1 : 0;
            }
        } finally {
            pool.shutdownNow();
        }
        return new CasOutcome(trials, one, two, errors);
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
