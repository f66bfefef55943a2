package dev.clickpipes.clickhouse.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clickpipes.core.Batching;
import dev.clickpipes.core.Delivery;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.core.RetryPolicy;
import dev.clickpipes.format.Decoders;
import dev.clickpipes.source.memory.MemorySource;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import dev.clickpipes.testkit.TestDatabase;
import dev.clickpipes.testservices.RecordingTransport;
import dev.clickpipes.testservices.ZooKeeperService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a pipe sends once its tables exist: through a run with rejected records, a retried insert
 * and a column dropped under it, every statement is an INSERT into the target or the error table,
 * a SELECT from the system tables the README lists, or (exactly-once) a read, insert or update
 * of its own row in {@code clickpipes_state}. No DDL, no read of user data: the README's grants
 * are enough.
 */
class LeastPrivilegeTest {

    private static final Pattern FROM = Pattern.compile("(?i)\\bFROM\\s+([`\\w.]+)");
    /** The system tables the README's grants name. */
    private static final List<String> SYSTEM_TABLES =
            List.of("system.columns", "system.settings", "system.tables", "system.merge_tree_settings");

    private static EmbeddedClickHouse ch;
    private TestDatabase db;

    @BeforeAll
    static void engine() {
        ZooKeeperService.shared(); // before the engine: KeeperMap connects to it
        ch = EmbeddedClickHouse.shared();
    }

    @BeforeEach
    void tables() throws Exception {
        db = ch.newDatabase();
        ch.query("CREATE TABLE " + db.table("events") + " (id UInt32, name String, extra String)"
                + " ENGINE = MergeTree ORDER BY id SETTINGS non_replicated_deduplication_window = 1000");
    }

    @AfterEach
    void drop() throws Exception {
        db.close();
    }

    @ParameterizedTest
    @EnumSource(Delivery.class)
    void aPipeWhoseTablesExistSendsOnlyInsertsAndSystemReads(Delivery delivery) throws Exception {
        // First start: the pipe creates the error table (and the state table) as an admin would.
        run(delivery, new RecordingTransport(ch), 10);
        // From here on the tables exist: what the pipe's own user needs.
        FaultyTransport faulty = new FaultyTransport(ch, insert -> {
            if (insert.number == 2) {
                insert.proceed();
                throw FaultyTransport.answerLost(); // retried with the same token
            }
            if (insert.number == 3) {
                ch.query("ALTER TABLE " + db.table("events") + " DROP COLUMN extra"); // the pipe re-reads the columns
            }
            insert.proceed();
        });
        RecordingTransport recorder = new RecordingTransport(faulty);
        run(delivery, recorder, 60);

        List<String> wrong = new ArrayList<>();
        for (RecordingTransport.Statement s : recorder.statements()) {
            if (!allowed(s)) {
                wrong.add(s.sql());
            }
        }
        assertThat(wrong).as("statements beyond INSERT and system reads").isEmpty();
        assertThat(recorder.statements()).filteredOn(RecordingTransport.Statement::isInsert)
                .extracting(RecordingTransport.Statement::sql)
                .anyMatch(sql -> sql.contains("events_clickpipes_error"))
                .anyMatch(sql -> sql.contains("`events` ("));
        assertThat(faulty.inserts.get()).as("inserts into the target, retries and re-encodings included").isGreaterThan(4);
        // Records 0-59 but 7, 32 and 57 (not JSON), the first run's again among them, each in a table.
        assertThat(ch.queryLong("SELECT uniqExact(id) FROM " + db.table("events"))).isEqualTo(57);
        assertThat(ch.queryLong("SELECT uniqExact(position) FROM " + db.table("events_clickpipes_error"))).isEqualTo(3);
    }

    private void run(Delivery delivery, RecordingTransport transport, int records) throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < records; i++) {
            lines.add(i % 25 == 7 ? "not json " + i : "{\"id\":" + i + ",\"name\":\"n" + i + "\",\"extra\":\"x\"}");
        }
        Pipe.builder().name("lp").source(MemorySource.of(lines)).decoder(Decoders.json())
                .sink(ClickHouseSink.builder().transport(transport).table(db.table("events")).build())
                .batching(Batching.builder().maxRows(10).build()).delivery(delivery)
                .retry(RetryPolicy.of(Duration.ofMillis(10), Duration.ofMillis(50), 0))
                .build().run();
    }

    private boolean allowed(RecordingTransport.Statement s) {
        String sql = s.sql().strip();
        String upper = sql.toUpperCase(Locale.ROOT);
        String state = (db.name() + ".clickpipes_state").toUpperCase(Locale.ROOT);
        String plain = upper.replace("`", "");
        if (s.isInsert()) {
            return plain.startsWith("INSERT INTO " + db.name().toUpperCase(Locale.ROOT) + ".");
        }
        if (plain.startsWith("ALTER TABLE " + state + " UPDATE ")) {
            return true; // exactly-once's compare-and-set on its own row
        }
        if (!upper.startsWith("SELECT ")) {
            return false;
        }
        Matcher m = FROM.matcher(plain);
        while (m.find()) {
            String table = m.group(1).toLowerCase(Locale.ROOT);
            if (!SYSTEM_TABLES.contains(table) && !table.equalsIgnoreCase(state)) {
                return false;
            }
        }
        return true;
    }
}
