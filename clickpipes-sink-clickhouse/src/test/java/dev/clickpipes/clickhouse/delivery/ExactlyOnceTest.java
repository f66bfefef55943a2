package dev.clickpipes.clickhouse.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clickpipes.clickhouse.ddl.TableDefinition;
import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.core.Batching;
import dev.clickpipes.core.Delivery;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.core.PipeException;
import dev.clickpipes.core.spi.PartitionState;
import dev.clickpipes.core.spi.Sink;
import dev.clickpipes.core.spi.SinkException;
import dev.clickpipes.format.Decoders;
import dev.clickpipes.source.memory.MemorySource;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import dev.clickpipes.testkit.TestDatabase;
import dev.clickpipes.testservices.ZooKeeperService;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Exactly-once on the embedded engine with its state in a KeeperMap table on a real ZooKeeper: a
 * pipe stopped at each crash point and run again over the same records leaves every record in
 * the table (or the error table) exactly once.
 */
class ExactlyOnceTest {

    private static final int RECORDS = 50;
    private static EmbeddedClickHouse ch;
    private TestDatabase db;
    private String table;

    @BeforeAll
    static void engine() {
        ZooKeeperService.shared(); // before the engine: it connects to it
        ch = EmbeddedClickHouse.shared();
    }

    @BeforeEach
    void createTable() throws Exception {
        db = ch.newDatabase();
        table = db.table("events");
        ch.query("CREATE TABLE " + table + " (id UInt32, name String) ENGINE = MergeTree ORDER BY id"
                + " SETTINGS non_replicated_deduplication_window = 1000");
    }

    @AfterEach
    void drop() throws Exception {
        db.close();
    }

    /** Record 17 is refused (not JSON): it must be in the error table exactly once too. */
    private static List<String> records() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            out.add(i == 17 ? "not json" : "{\"id\":" + i + ",\"name\":\"same\"}");
        }
        return out;
    }

    private ClickHouseSink sink() {
        return ClickHouseSink.builder().transport(ch).table(table).build();
    }

    private Pipe pipe(Sink sink, int maxRows) {
        return Pipe.builder().name("eo").source(MemorySource.of(records())).decoder(Decoders.json()).sink(sink)
                .batching(Batching.builder().maxRows(maxRows).build()).delivery(Delivery.EXACTLY_ONCE).build();
    }

    private void assertExactlyOnce() throws Exception {
        assertThat(ch.queryLong("SELECT count() FROM " + table)).isEqualTo(RECORDS - 1);
        assertThat(ch.queryLong("SELECT uniqExact(id) FROM " + table)).isEqualTo(RECORDS - 1);
        assertThat(ch.queryLong("SELECT sum(id) FROM " + table)).isEqualTo(RECORDS * (RECORDS - 1) / 2 - 17);
        assertThat(ch.queryLong("SELECT count() FROM " + table + "_clickpipes_error")).isEqualTo(1);
    }

    @ParameterizedTest(name = "crash {1} insert {0}, batches of {2}")
    @CsvSource({"1, BEFORE_INSERT, 7", "1, AFTER_INSERT, 7", "3, BEFORE_INSERT, 7", "3, AFTER_INSERT, 7",
                "7, AFTER_INSERT, 7", "2, AFTER_INSERT, 1", "5, BEFORE_INSERT, 1"})
    void aRestartAfterACrashLeavesEveryRecordExactlyOnce(int failAt, FaultySink.When when, int maxRows)
            throws Exception {
        Pipe crashing = pipe(new FaultySink(sink(), failAt, when), maxRows);
        assertThatThrownBy(crashing::run).isInstanceOf(PipeException.class).hasMessageContaining("crash");

        // The restart reads every record again (the memory source starts over), as a Kafka consumer
        // does from an offset committed before the state's mark.
        pipe(sink(), maxRows).run();
        assertExactlyOnce();
        pipe(sink(), maxRows).run(); // and a third run over the same records adds nothing
        assertExactlyOnce();
    }

    /**
     * A table the pipe creates from a definition deduplicates re-sent inserts on its own (a plain
     * MergeTree is given non_replicated_deduplication_window = 1000), so exactly-once starts on it
     * and holds across a crash after an insert.
     */
    @Test
    void aTableThePipeCreatesDeduplicatesSoExactlyOnceHoldsOnIt() throws Exception {
        ch.query("DROP TABLE " + table);
        Sink creating = ClickHouseSink.builder().transport(ch).table(table).createTable(TableDefinition.builder()
                .column("id", "UInt32").column("name", "String").orderBy("id").build()).build();
        assertThatThrownBy(pipe(new FaultySink(creating, 3, FaultySink.When.AFTER_INSERT), 7)::run)
                .isInstanceOf(PipeException.class).hasMessageContaining("crash");
        assertThat(ch.query("SELECT create_table_query FROM system.tables WHERE database = '" + db.name()
                + "' AND name = 'events'")).contains("non_replicated_deduplication_window = 1000");
        pipe(sink(), 7).run();
        assertExactlyOnce();
    }

    @Test
    void identicalRecordsInSingleRecordBatchesAreAllKept() throws Exception {
        List<String> same = List.of("{\"id\":1,\"name\":\"x\"}", "{\"id\":1,\"name\":\"x\"}", "{\"id\":1,\"name\":\"x\"}",
                "{\"id\":1,\"name\":\"x\"}", "{\"id\":1,\"name\":\"x\"}");
        Pipe.builder().name("eo").source(MemorySource.of(same)).decoder(Decoders.json()).sink(sink())
                .batching(Batching.builder().maxRows(1).build()).delivery(Delivery.EXACTLY_ONCE).build().run();
        assertThat(ch.queryLong("SELECT count() FROM " + table)).isEqualTo(5);
    }

    @Test
    void aWorkerThatLostItsPartitionIsFencedAtItsNextStateWrite() throws Exception {
        ClickHouseSink sink = sink();
        sink.open("eo");
        try (KeeperMapDeliveryState mine = (KeeperMapDeliveryState) sink.deliveryState();
             KeeperMapDeliveryState theirs = KeeperMapDeliveryState.open(ch, db.name(), "eo")) {
            PartitionState read = mine.read("memory");
            theirs.write("memory", theirs.read("memory").begin("0", "9")); // the new owner moved first

            assertThatThrownBy(() -> mine.write("memory", read.begin("0", "4")))
                    .isInstanceOfSatisfying(SinkException.class, e -> assertThat(e.kind()).isEqualTo(SinkException.Kind.FATAL))
                    .hasMessageContaining("another worker moved the state of memory");
            assertThat(mine.read("memory")).isEqualTo(new PartitionState(1, null, "0", "9"));
        } finally {
            sink.close();
        }
    }

    /**
     * A zombie (a worker stopped past its session, then resumed) still holds the version it last
     * wrote; meanwhile the new owner wrote many more. Its next write must be refused: when the
     * state kept one row per version and deleted old ones, the zombie's next version was a free
     * key again, its write landed, and it inserted a batch the new owner had already inserted
     * under another token (found by KafkaKillTest's SIGSTOP case: 129 rows twice).
     */
    @Test
    void aWorkerFencedLongAgoIsFencedAtItsNextWrite() throws Exception {
        ClickHouseSink sink = sink();
        sink.open("eo");
        try (KeeperMapDeliveryState zombie = (KeeperMapDeliveryState) sink.deliveryState();
             KeeperMapDeliveryState owner = KeeperMapDeliveryState.open(ch, db.name(), "eo")) {
            PartitionState stale = zombie.read("memory").begin("0", "4");
            zombie.write("memory", stale); // version 1
            PartitionState s = owner.read("memory");
            for (int i = 0; i < 3; i++) { // versions 2..7
                s = s.complete(s.pendingLast() != null ? s.pendingLast() : "4");
                owner.write("memory", s);
                s = s.begin(10 * i + 5 + "", 10 * i + 14 + "");
                owner.write("memory", s);
            }
            PartitionState latest = owner.read("memory");
            assertThat(latest.version()).isEqualTo(7);

            assertThatThrownBy(() -> zombie.write("memory", stale.complete("4"))) // version 2, long gone
                    .isInstanceOfSatisfying(SinkException.class, e -> assertThat(e.kind()).isEqualTo(SinkException.Kind.FATAL))
                    .hasMessageContaining("another worker");
            assertThat(owner.read("memory")).isEqualTo(latest);
        } finally {
            sink.close();
        }
    }

    @Test
    void aRetriedStateWriteWhoseFirstAttemptLandedIsNotTakenForAnotherWorker() throws Exception {
        try (KeeperMapDeliveryState state = KeeperMapDeliveryState.open(ch, db.name(), "eo")) {
            PartitionState next = state.read("p").begin("0", "9");
            state.write("p", next);
            state.write("p", next); // the same write again: its answer was lost
            assertThat(state.read("p")).isEqualTo(next);
        }
    }

    @Test
    void aPartitionIsOneRowWhateverItsVersion() throws Exception {
        try (KeeperMapDeliveryState state = KeeperMapDeliveryState.open(ch, db.name(), "eo")) {
            PartitionState s = state.read("p");
            for (int i = 0; i < 10; i++) {
                s = s.begin(i * 10 + "", i * 10 + 9 + "");
                state.write("p", s);
                s = s.complete(i * 10 + 9 + "");
                state.write("p", s);
            }
            assertThat(state.read("p")).isEqualTo(new PartitionState(20, "99", null, null));
            assertThat(ch.queryLong("SELECT count() FROM " + db.table(KeeperMapDeliveryState.TABLE))).isEqualTo(1);
        }
    }

    @Test
    void ofTwoWorkersWritingTheSameVersionAtOnceExactlyOneWins() throws Exception {
        try (KeeperMapDeliveryState a = KeeperMapDeliveryState.open(ch, db.name(), "eo");
             KeeperMapDeliveryState b = KeeperMapDeliveryState.open(ch, db.name(), "eo")) {
            a.write("p", PartitionState.INITIAL.complete("0"));
            for (int round = 1; round <= 20; round++) {
                PartitionState base = a.read("p");
                PartitionState mine = base.begin(round + "0", round + "1");
                PartitionState theirs = base.begin(round + "0", round + "2");
                java.util.concurrent.CompletableFuture<Boolean> first = java.util.concurrent.CompletableFuture.supplyAsync(
                        () -> wins(a, mine));
                boolean second = wins(b, theirs);
                assertThat(first.join() ^ second).as("round %d: exactly one writer wins", round).isTrue();
                PartitionState now = a.read("p");
                a.write("p", now.complete(now.pendingLast()));
            }
        }
    }

    private static boolean wins(KeeperMapDeliveryState state, PartitionState next) {
        try {
            state.write("p", next);
            return true;
        } catch (SinkException e) {
            return false;
        }
    }

    @Test
    void aTableThatDoesNotDeduplicateIsRefusedNamingTheSetting() throws Exception {
        ch.query("CREATE TABLE " + db.table("plain") + " (id UInt32, name String) ENGINE = MergeTree ORDER BY id");
        Pipe p = Pipe.builder().name("eo").source(MemorySource.of(records())).decoder(Decoders.json())
                .sink(ClickHouseSink.builder().transport(ch).table(db.table("plain")).build())
                .delivery(Delivery.EXACTLY_ONCE).build();
        assertThatThrownBy(p::run).isInstanceOf(PipeException.class)
                .hasMessageContaining("non_replicated_deduplication_window = 0")
                .hasMessageContaining("MODIFY SETTING non_replicated_deduplication_window = 1000");
        assertThat(ch.queryLong("SELECT count() FROM " + db.table("plain"))).isZero();
    }
}
