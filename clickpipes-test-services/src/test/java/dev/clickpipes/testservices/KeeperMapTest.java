package dev.clickpipes.testservices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clickpipes.clickhouse.ClickHouseException;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import dev.clickpipes.testkit.TestDatabase;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a compare-and-set state store may rely on in a KeeperMap table of the embedded engine with
 * a real ZooKeeper, one process (docs/keepermap.md has the figures).
 */
class KeeperMapTest {

    static final String STRICT = " SETTINGS keeper_map_strict_mode = 1";

    private static EmbeddedClickHouse ch;
    private TestDatabase db;
    private String t;

    @BeforeAll
    static void engine() {
        ZooKeeperService.shared(); // before the shared engine starts: it connects to it
        ch = EmbeddedClickHouse.shared();
        assertThat(ch.zooKeeper()).hasValue(ZooKeeperService.shared().connectString());
    }

    @BeforeEach
    void table() throws Exception {
        db = ch.newDatabase();
        t = db.table("state");
        ch.query("CREATE TABLE " + t + " (key String, version UInt64, owner String) ENGINE = KeeperMap('/test_"
                + UUID.randomUUID() + "') PRIMARY KEY key");
    }

    @AfterEach
    void drop() throws Exception {
        db.close();
    }

    private String row(String key) throws Exception {
        return ch.query("SELECT version, owner FROM " + t + " WHERE key = '" + key + "'").strip();
    }

    @Test
    void aStrictInsertCreatesANewKeyAndFailsOnAnExistingOneWithNodeExists() throws Exception {
        ch.query("INSERT INTO " + t + STRICT + " VALUES ('k', 1, 'a')");
        assertThat(row("k")).isEqualTo("1\ta");

        assertThatThrownBy(() -> ch.query("INSERT INTO " + t + STRICT + " VALUES ('k', 2, 'b')"))
                .isInstanceOfSatisfying(ClickHouseException.class, e -> assertThat(e.code()).isEqualTo(999))
                .hasMessageContaining("Transaction failed (Node exists)")
                .hasMessageContaining("KEEPER_EXCEPTION");
        assertThat(row("k")).as("the losing insert changed nothing").isEqualTo("1\ta");
    }

    @Test
    void aNonStrictInsertOfAnExistingKeyOverwritesIt() throws Exception {
        ch.query("INSERT INTO " + t + " VALUES ('k', 1, 'a')");
        ch.query("INSERT INTO " + t + " VALUES ('k', 2, 'b')");
        assertThat(row("k")).isEqualTo("2\tb");
        assertThat(ch.queryLong("SELECT count() FROM " + t)).isEqualTo(1);
    }

    @Test
    void aConditionalAlterUpdateAppliesAtOnceAndOnlyWhenItsConditionHolds() throws Exception {
        ch.query("INSERT INTO " + t + " VALUES ('k', 1, 'a')");
        ch.query("ALTER TABLE " + t + " UPDATE version = 2, owner = 'b' WHERE key = 'k' AND version = 1" + STRICT);
        assertThat(row("k")).as("visible to the next statement: no mutation waits").isEqualTo("2\tb");

        ch.query("ALTER TABLE " + t + " UPDATE version = 3, owner = 'c' WHERE key = 'k' AND version = 1" + STRICT);
        assertThat(row("k")).as("a stale expected version is a silent no-op, not an error").isEqualTo("2\tb");
    }

    @Test
    void theKeyCannotBeUpdatedAndLightweightUpdateIsNotSupportedButDeleteIs() throws Exception {
        ch.query("INSERT INTO " + t + " VALUES ('k', 1, 'a'), ('j', 1, 'a')");
        assertThatThrownBy(() -> ch.query("UPDATE " + t + " SET version = 2 WHERE key = 'k'"))
                .isInstanceOfSatisfying(ClickHouseException.class, e -> assertThat(e.code()).isEqualTo(48))
                .hasMessageContaining("doesn't support lightweight updates");
        assertThatThrownBy(() -> ch.query("ALTER TABLE " + t + " UPDATE key = 'x' WHERE key = 'k'"))
                .isInstanceOfSatisfying(ClickHouseException.class, e -> assertThat(e.code()).isEqualTo(36))
                .hasMessageContaining("Primary key cannot be updated");

        ch.query("DELETE FROM " + t + " WHERE key = 'k' AND version = 2" + STRICT);
        assertThat(row("k")).as("condition false: kept").isEqualTo("1\ta");
        ch.query("DELETE FROM " + t + " WHERE key = 'k' AND version = 1" + STRICT);
        assertThat(row("k")).isEmpty();
        ch.query("DELETE FROM " + t + " WHERE key = 'k'" + STRICT);
        assertThat(row("j")).as("deleting an absent key is a no-op").isEqualTo("1\ta");
    }

    @Test
    void strictUpdatesRacingOnTwoConnectionsLoseNoUpdate() throws Exception {
        KeeperMapRace race = new KeeperMapRace(ch::query, ch::query, ch::query, t);
        KeeperMapRace.Outcome o = race.increments(STRICT, 30);
        assertThat(o.errors()).as("the writers really overlapped (measured: most trials do)").isNotEmpty();
        assertThat(o.lostUpdates()).as("every increment that returned OK is in the value").isZero();
        assertThat(o.errors()).allSatisfy(e -> assertThat(e).contains("Code: 999").contains("Bad version"));
    }

    @Test
    void aStrictConditionalUpdateRacingOnTwoConnectionsHasExactlyOneWinner() throws Exception {
        KeeperMapRace.CasOutcome o = new KeeperMapRace(ch::query, ch::query, ch::query, t).compareAndSet(STRICT, 30);
        assertThat(o.oneWinner()).isEqualTo(o.trials());
        assertThat(o.errors()).allSatisfy(e -> assertThat(e).contains("Bad version"));
    }

    @Test
    void aPointReadGetsOneZooKeeperNodeAndAScanGetsAll() throws Exception {
        StringBuilder insert = new StringBuilder("INSERT INTO " + t + " VALUES ");
        for (int i = 0; i < 200; i++) {
            insert.append(i == 0 ? "" : ", ").append("('k").append(i).append("', ").append(i).append(", '')");
        }
        ch.query(insert.toString());
        assertThat(zooKeeperRequests("SELECT version FROM " + t + " WHERE key = 'k7'"))
                .isEqualTo(new Requests(1, 0));
        assertThat(zooKeeperRequests("SELECT version FROM " + t + " WHERE key IN ('k7', 'k8')"))
                .isEqualTo(new Requests(2, 0));
        Requests scan = zooKeeperRequests("SELECT version FROM " + t + " WHERE version = 7");
        assertThat(scan.lists()).isEqualTo(1);
        assertThat(scan.gets()).isGreaterThanOrEqualTo(200);
    }

    record Requests(long gets, long lists) {}

    /** The ZooKeeper gets and lists the engine made for {@code sql} (its own ProfileEvents). */
    private static Requests zooKeeperRequests(String sql) throws Exception {
        long g = event("ZooKeeperGet");
        long l = event("ZooKeeperList");
        ch.query(sql);
        return new Requests(event("ZooKeeperGet") - g, event("ZooKeeperList") - l);
    }

    private static long event(String name) throws Exception {
        return ch.queryLong("SELECT toInt64(sum(value)) FROM system.events WHERE event = '" + name + "'");
    }
}
