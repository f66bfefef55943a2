package dev.clickpipes.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ClickHouseExtension} and the read helpers of {@link TestDatabase}, on the embedded engine. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClickHouseExtensionTest {

    @RegisterExtension
    static final ClickHouseExtension clickhouse = new ClickHouseExtension();

    private static String firstDatabase;

    @Test
    @Order(1)
    void eachTestGetsAnEmptyDatabaseOfItsOwn(TestDatabase db) throws Exception {
        assertThat(db).isSameAs(clickhouse.database());
        assertThat(clickhouse.engine().queryLong("SELECT count() FROM system.tables WHERE database = '" + db.name() + "'"))
                .isZero();
        db.execute("CREATE TABLE " + db.table("t") + " (x UInt8) ENGINE = MergeTree ORDER BY x");
        firstDatabase = db.name();
    }

    @Test
    @Order(2)
    void theDatabaseIsDroppedAfterItsTest(TestDatabase db) throws Exception {
        assertThat(db.name()).isNotEqualTo(firstDatabase);
        assertThat(clickhouse.engine().queryLong("SELECT count() FROM system.databases WHERE name = '"
                + firstDatabase + "'")).isZero();
    }

    @Test
    void rowsAreSortedByEveryColumnWithNullsAsNull() throws Exception {
        TestDatabase db = clickhouse.database();
        db.execute("CREATE TABLE " + db.table("events") + " (id UInt64, name Nullable(String)) ENGINE = Memory");
        db.execute("INSERT INTO " + db.table("events") + " VALUES (3, 'c'), (1, NULL), (2, 'tab\\there')");

        assertThat(db.count("events")).isEqualTo(3);
        assertThat(db.rows("events")).containsExactly(
                Arrays.asList("1", null), List.of("2", "tab\there"), List.of("3", "c"));
    }

    @Test
    void errorRowsReadTheSinksErrorTableInSourceOrder() throws Exception {
        TestDatabase db = clickhouse.database();
        assertThat(db.errorRows("events")).isEmpty();
        // the columns ClickHouseSink's error table has (see its ErrorTable)
        db.execute("CREATE TABLE " + db.table("events_clickpipes_error") + " (event_time DateTime, pipe String,"
                + " source String, position String, error_kind String, message String, raw String)"
                + " ENGINE = MergeTree ORDER BY (pipe, event_time)");
        db.execute("INSERT INTO " + db.table("events_clickpipes_error") + " VALUES"
                + " (now(), 'p', 'memory', 'memory:10', 'DECODE', 'not JSON', 'x'),"
                + " (now(), 'p', 'memory', 'memory:2', 'CONVERT', 'not a number', '{\"id\":\"a\"}')");

        assertThat(db.errorRows("events")).containsExactly(
                new ErrorRow("p", "memory", "memory:2", "CONVERT", "not a number", "{\"id\":\"a\"}"),
                new ErrorRow("p", "memory", "memory:10", "DECODE", "not JSON", "x"));
    }
}
