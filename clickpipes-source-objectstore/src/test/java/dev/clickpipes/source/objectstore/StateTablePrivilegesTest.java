package dev.clickpipes.source.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clickpipes.clickhouse.ClickHouseTransport;
import dev.clickpipes.core.Batching;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import dev.clickpipes.testkit.TestDatabase;
import dev.clickpipes.testservices.RecordingTransport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an object-store source sends to its state table once the table exists, the README's GRANTs
 * for it: under leases (continuous lexical mode, so the watermark deletes rows behind it) SELECT,
 * INSERT, ALTER ... UPDATE and DELETE on the table; as a single worker's progress log SELECT and
 * INSERT. Besides: reads of system tables and of the server's clock. No DDL in either.
 */
class StateTablePrivilegesTest {

    private static final int LINES = 50;
    private static final Pattern FROM = Pattern.compile("(?i)\\bFROM\\s+([`\\w.]+)");
    private static final List<String> SYSTEM_TABLES = List.of("system.tables", "system.columns", "system.settings");

    static EmbeddedClickHouse clickhouse;
    static TestDatabase db;
    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        clickhouse = EmbeddedClickHouse.shared();
        db = clickhouse.newDatabase();
    }

    @Test
    void leasesNeedSelectInsertAlterUpdateAndDeleteOnTheirTable() throws Exception {
        String state = db.table("lease_state");
        String t = TestPipes.eventsTable(db, "t_lease");
        write("lease", 0, 3);
        runContinuous("lease", state, t, null, 3); // creates the table: the first start's DDL
        RecordingTransport recorder = new RecordingTransport(clickhouse);
        runContinuous("lease", state, t, recorder, 3);
        write("lease", 3, 3); // later keys: taken, saved and passed by the watermark, whose rows are deleted
        runContinuous("lease", state, t, recorder, 6);

        assertThat(outside(recorder, state, "SELECT", "INSERT", "ALTER TABLE " + plain(state) + " UPDATE ",
                "DELETE FROM " + plain(state) + " ")).isEmpty();
        assertThat(recorder.sqls()).anyMatch(s -> s.startsWith("DELETE FROM"))
                .anyMatch(s -> s.startsWith("ALTER TABLE")).anyMatch(s -> s.startsWith("INSERT"));
        assertThat(clickhouse.queryLong("SELECT uniqExact(id) FROM " + t)).isEqualTo(6L * LINES);
    }

    @Test
    void aProgressLogNeedsSelectAndInsertOnItsTable() throws Exception {
        String state = db.table("log_state");
        String t = TestPipes.eventsTable(db, "t_log");
        write("log", 0, 3);
        run("log", state, t, clickhouse); // creates the table
        write("log", 3, 3);
        RecordingTransport recorder = new RecordingTransport(clickhouse);
        run("log", state, t, recorder); // loads the log, loads the three new objects only

        assertThat(outside(recorder, state, "SELECT", "INSERT")).isEmpty();
        assertThat(recorder.sqls()).anyMatch(s -> s.startsWith("INSERT"));
        assertThat(clickhouse.queryLong("SELECT count() FROM " + t)).isEqualTo(6L * LINES);
    }

    private void write(String folder, int from, int count) throws Exception {
        for (int i = from; i < from + count; i++) {
            LocalObjectStoreTest.write(dir.resolve(String.format("%s/o-%03d.ndjson", folder, i)),
                    TestPipes.events(i * LINES, LINES), "none");
        }
    }

    private void run(String folder, String state, String table, ClickHouseTransport stateTransport) throws Exception {
        ObjectStoreSource source = ObjectStoreSource.builder().url(dir.toUri() + folder + "/*.ndjson")
                .stateStore(stateTransport, state).build();
        TestPipes.start(pipe(folder, source, table)).get(60, TimeUnit.SECONDS);
    }

    /** A continuous lexical pipe under leases, closed once {@code objects} objects' rows are in the table. */
    private void runContinuous(String folder, String state, String table, ClickHouseTransport stateTransport,
            int objects) throws Exception {
        ObjectStoreSource source = ObjectStoreSource.builder().url(dir.toUri() + folder + "/*.ndjson")
                .stateStore(stateTransport == null ? clickhouse : stateTransport, state)
                .coordination(Coordination.leases()).workerId("w")
                .continuous(Duration.ofMillis(200), ObjectStoreSource.Ordering.LEXICAL).build();
        Pipe pipe = pipe(folder, source, table);
        CompletableFuture<Void> running = TestPipes.start(pipe);
        TestPipes.awaitCount(clickhouse, table, (long) objects * LINES);
        Thread.sleep(600); // a few polls more: the watermark moves past the last objects
        pipe.close();
        running.get(30, TimeUnit.SECONDS);
    }

    private static Pipe pipe(String name, ObjectStoreSource source, String table) {
        return TestPipes.pipe(name, source, clickhouse, table)
                .batching(Batching.builder().maxRows(LINES).maxAge(Duration.ofMillis(100)).build()).build();
    }

    /**
     * The statements that are none of {@code allowed} on the state table (by prefix; a SELECT may
     * read the state table, system tables or nothing).
     */
    private static List<String> outside(RecordingTransport recorder, String state, String... allowed) {
        String table = plain(state);
        List<String> wrong = new ArrayList<>();
        for (String s : recorder.sqls()) {
            String sql = plain(s.strip());
            boolean ok = false;
            for (String prefix : allowed) {
                if (prefix.equals("SELECT") && sql.startsWith("SELECT ")) {
                    ok = readsOnly(sql, table);
                } else if (prefix.equals("INSERT") && sql.startsWith("INSERT INTO ")) {
                    ok = sql.startsWith("INSERT INTO " + table + " ");
                } else if (!prefix.equals("SELECT") && !prefix.equals("INSERT") && sql.startsWith(prefix)) {
                    ok = true;
                }
                if (ok) {
                    break;
                }
            }
            if (!ok) {
                wrong.add(s);
            }
        }
        return wrong;
    }

    private static boolean readsOnly(String sql, String table) {
        Matcher m = FROM.matcher(sql);
        while (m.find()) {
            String t = m.group(1);
            if (!t.equals(table) && !SYSTEM_TABLES.contains(t.toLowerCase(Locale.ROOT))) {
                return false;
            }
        }
        return true;
    }

    private static String plain(String sql) {
        return sql.replace("`", "");
    }
}
