package dev.clickpipes.testservices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clickpipes.clickhouse.ClickHouseException;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import dev.clickpipes.testkit.TestDatabase;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One KeeperMap path seen from two processes: this JVM's engine and a {@link ChdbServerProcess}
 * child's, both on the same ZooKeeper. This is what lets a pipe's state outlive the pipe's process.
 */
class KeeperMapAcrossProcessesTest {

    private static final String STRICT = KeeperMapTest.STRICT;
    private static EmbeddedClickHouse ch;
    private static ChdbServerProcess child;
    private static HttpSql childSql;
    private static TestDatabase db;

    @BeforeAll
    static void start() throws Exception {
        ZooKeeperService zk = ZooKeeperService.shared();
        ch = EmbeddedClickHouse.shared();
        child = ChdbServerProcess.builder().port(20022).zooKeeper(zk.connectString()).start();
        childSql = new HttpSql(child);
        db = ch.newDatabase();
        childSql.query("CREATE DATABASE child");
    }

    @AfterAll
    static void stop() throws Exception {
        if (db != null) {
            db.close();
        }
        if (child != null) {
            child.close();
        }
    }

    /** The same KeeperMap path as a table here ({@code db.name}) and in the child ({@code child.name}). */
    private static String[] sharedTable(String name) throws Exception {
        String ddl = " (key String, version UInt64, owner String) ENGINE = KeeperMap('/across_" + UUID.randomUUID()
                + "') PRIMARY KEY key";
        ch.query("CREATE TABLE " + db.table(name) + ddl);
        childSql.query("CREATE TABLE child." + name + ddl);
        return new String[] {db.table(name), "child." + name};
    }

    @Test
    void eachProcessSeesTheOthersWritesAtOnce() throws Exception {
        String[] t = sharedTable("visible");
        ch.query("INSERT INTO " + t[0] + STRICT + " VALUES ('parent', 1, 'p')");
        assertThat(childSql.query("SELECT version, owner FROM " + t[1] + " WHERE key = 'parent'")).isEqualTo("1\tp\n");
        childSql.query("INSERT INTO " + t[1] + STRICT + " VALUES ('child', 2, 'c')");
        assertThat(ch.query("SELECT key FROM " + t[0] + " ORDER BY key")).isEqualTo("child\nparent\n");
    }

    @Test
    void aStrictInsertOfAKeyTheOtherProcessCreatedFails() throws Exception {
        String[] t = sharedTable("create");
        ch.query("INSERT INTO " + t[0] + STRICT + " VALUES ('k', 1, 'parent')");
        assertThatThrownBy(() -> childSql.query("INSERT INTO " + t[1] + STRICT + " VALUES ('k', 1, 'child')"))
                .isInstanceOfSatisfying(ClickHouseException.class, e -> assertThat(e.code()).isEqualTo(999))
                .hasMessageContaining("Node exists");
        assertThat(ch.query("SELECT owner FROM " + t[0] + " WHERE key = 'k'")).isEqualTo("parent\n");
    }

    @Test
    void aStrictConditionalUpdateRacingFromTwoProcessesHasExactlyOneWinner() throws Exception {
        String[] t = sharedTable("cas");
        KeeperMapRace.CasOutcome o = new KeeperMapRace(sql -> ch.query(sql.replace(t[1], t[0])), childSql::query,
                childSql::query, t[1]).compareAndSet(STRICT, 20);
        assertThat(o.oneWinner()).isEqualTo(o.trials());
        assertThat(o.errors()).allSatisfy(e -> assertThat(e).contains("Bad version"));
    }

    @Test
    void strictUpdatesRacingFromTwoProcessesLoseNoUpdate() throws Exception {
        String[] t = sharedTable("race");
        KeeperMapRace race = new KeeperMapRace(sql -> ch.query(sql.replace(t[1], t[0])), childSql::query,
                childSql::query, t[1]);
        KeeperMapRace.Outcome o = race.increments(STRICT, 30);
        assertThat(o.errors()).as("the writers really overlapped (measured: most trials do)").isNotEmpty();
        assertThat(o.lostUpdates()).isZero();
        assertThat(o.errors()).allSatisfy(e -> assertThat(e).contains("Code: 999").contains("Bad version"));
    }
}
