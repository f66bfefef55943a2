package dev.clickpipes.testservices;

import dev.clickpipes.testkit.EmbeddedClickHouse;
import dev.clickpipes.testkit.TestDatabase;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The figures in docs/keepermap.md: latency per KeeperMap operation (embedded engine, and over
 * HTTP to a child process) and lost updates in racing increments with and without strict mode.
 * Prints, asserts nothing; runs only with {@code -Dclickpipes.measure=true}.
 */
@EnabledIfSystemProperty(named = "clickpipes.measure", matches = "true")
class KeeperMapMeasurementTest {

    private static final int N = 200;

    @Test
    void measure() throws Exception {
        ZooKeeperService zk = ZooKeeperService.shared();
        EmbeddedClickHouse ch = EmbeddedClickHouse.shared();
        String path = "/measure_" + UUID.randomUUID();
        String ddl = " (key String, version UInt64, owner String) ENGINE = KeeperMap('" + path + "') PRIMARY KEY key";
        try (TestDatabase db = ch.newDatabase();
                ChdbServerProcess child = ChdbServerProcess.builder().port(20023).zooKeeper(zk.connectString()).start()) {
            String t = db.table("kv");
            ch.query("CREATE TABLE " + t + ddl);
            HttpSql remote = new HttpSql(child);
            remote.query("CREATE DATABASE child");
            remote.query("CREATE TABLE child.kv" + ddl);

            Map<String, String> ops = new LinkedHashMap<>();
            ops.put("INSERT new key, strict", "INSERT INTO %s SETTINGS keeper_map_strict_mode = 1 VALUES ('n%d', 1, '')");
            ops.put("INSERT existing key, not strict (overwrites)", "INSERT INTO %s VALUES ('n%d', 2, '')");
            ops.put("INSERT existing key, strict (fails)", "INSERT INTO %s SETTINGS keeper_map_strict_mode = 1 VALUES ('n%d', 3, '')");
            ops.put("point read WHERE key = ...", "SELECT version FROM %s WHERE key = 'n%d'");
            ops.put("conditional ALTER UPDATE, strict", "ALTER TABLE %s UPDATE version = 5 WHERE key = 'n%d' AND version = 2 SETTINGS keeper_map_strict_mode = 1");
            ops.put("conditional ALTER UPDATE, not strict", "ALTER TABLE %s UPDATE version = 6 WHERE key = 'n%d' AND version = 5");
            ops.put("DELETE FROM ... WHERE key = ..., strict", "DELETE FROM %s WHERE key = 'n%d' SETTINGS keeper_map_strict_mode = 1");
            for (Map.Entry<String, String> op : ops.entrySet()) {
                long[] local = new long[N];
                long[] http = new long[N];
                // One process after the other: writes alternating between two engines cost ~110 ms each (below).
                for (int i = 0; i < N; i++) {
                    int k = i;
                    local[i] = time(() -> ch.query(op.getValue().formatted(t, k)));
                }
                for (int i = 0; i < N; i++) {
                    int k = i;
                    http[i] = time(() -> remote.query(op.getValue().formatted("child.kv", N + k)));
                }
                System.out.printf("LATENCY %-45s embedded median %.2f ms p90 %.2f ms | HTTP child median %.2f ms p90 %.2f ms%n",
                        op.getKey(), pct(local, 50), pct(local, 90), pct(http, 50), pct(http, 90));
            }
            long[] local = new long[N / 4];
            long[] http = new long[N / 4];
            for (int i = 0; i < N / 4; i++) {
                int k = i;
                local[i] = time(() -> ch.query("INSERT INTO " + t + " VALUES ('alt" + k + "', 1, '')"));
                http[i] = time(() -> remote.query("INSERT INTO child.kv VALUES ('alt" + k + "x', 1, '')"));
            }
            System.out.printf("LATENCY %-45s embedded median %.2f ms p90 %.2f ms | HTTP child median %.2f ms p90 %.2f ms%n",
                    "INSERT, the two engines taking turns", pct(local, 50), pct(local, 90), pct(http, 50), pct(http, 90));
            String strict = " SETTINGS keeper_map_strict_mode = 1";
            KeeperMapRace.Sql parentOnChildName = sql -> ch.query(sql.replace("child.kv", t));
            for (String settings : new String[] {"", strict}) {
                report("two connections, one process" + settings, new KeeperMapRace(ch::query, ch::query, ch::query, t)
                        .increments(settings, 50));
                report("two processes" + settings, new KeeperMapRace(parentOnChildName, remote::query, remote::query,
                        "child.kv").increments(settings, 50));
                KeeperMapRace.CasOutcome cas = new KeeperMapRace(ch::query, ch::query, ch::query, t).compareAndSet(settings, 50);
                System.out.printf("CAS two connections%s: trials %d, one winner %d, two winners %d, errors %d%n", settings,
                        cas.trials(), cas.oneWinner(), cas.twoWinners(), cas.errors().size());
                cas = new KeeperMapRace(parentOnChildName, remote::query, remote::query, "child.kv").compareAndSet(settings, 50);
                System.out.printf("CAS two processes%s: trials %d, one winner %d, two winners %d, errors %d%n", settings,
                        cas.trials(), cas.oneWinner(), cas.twoWinners(), cas.errors().size());
            }
        }
    }

    private static void report(String label, KeeperMapRace.Outcome o) {
        System.out.printf("RACE %-60s trials %d, lost updates %d, errors %d %s%n", label, o.trials(), o.lostUpdates(),
                o.errors().size(), o.errors().stream().map(e -> e.replaceAll(".*(Code: \\d+[^:]*: [^(]*\\([^)]*\\)).*", "$1"))
                        .distinct().toList());
    }

    interface Op {
        void run() throws Exception;
    }

    private static long time(Op op) {
        long t0 = System.nanoTime();
        try {
            op.run();
        } catch (Exception e) {
            // a failing op (the strict insert of an existing key) is measured too
        }
        return System.nanoTime() - t0;
    }

    private static double pct(long[] ns, int p) {
        long[] s = ns.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, s.length * p / 100)] / 1e6;
    }
}
