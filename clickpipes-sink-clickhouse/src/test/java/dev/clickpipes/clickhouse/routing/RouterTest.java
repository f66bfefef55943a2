package dev.clickpipes.clickhouse.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clickpipes.clickhouse.TableSchema;
import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.core.Batching;
import dev.clickpipes.core.BatchReport;
import dev.clickpipes.core.FieldMapping;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.core.PipeListener;
import dev.clickpipes.core.RowBuffer;
import dev.clickpipes.core.spi.ByteSliceRecord;
import dev.clickpipes.core.spi.Sink;
import dev.clickpipes.core.spi.SourcePosition;
import dev.clickpipes.core.spi.SourceRecord;
import dev.clickpipes.format.Decoders;
import dev.clickpipes.source.memory.MemorySource;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import dev.clickpipes.testkit.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The router on the embedded engine: one stream of three record types into three tables, records
 * with no target, a bad record of one target, a table dropped mid-stream, and a re-sent batch in
 * deduplicating tables. Counts, distinct ids and sums per table against what went in.
 */
class RouterTest {

    private EmbeddedClickHouse ch;
    private TestDatabase db;

    @org.junit.jupiter.api.BeforeAll
    static void zooKeeper() {
        dev.clickpipes.testservices.ZooKeeperService.shared(); // before the engine: its KeeperMap tables keep exactly-once state
    }

    @BeforeEach
    void createTables() throws Exception {
        ch = EmbeddedClickHouse.shared();
        db = ch.newDatabase();
        String dedup = " SETTINGS non_replicated_deduplication_window = 1000";
        ch.query("CREATE TABLE " + db.table("orders") + " (id UInt64, amount Decimal(10, 2)) ENGINE = MergeTree ORDER BY id" + dedup);
        ch.query("CREATE TABLE " + db.table("refunds") + " (id UInt64, order_id UInt64, why String) ENGINE = MergeTree ORDER BY id" + dedup);
        ch.query("CREATE TABLE " + db.table("clicks") + " (id UInt64, page String) ENGINE = MergeTree ORDER BY id" + dedup);
    }

    @AfterEach
    void drop() throws Exception {
        ch.query("DROP DATABASE IF EXISTS " + db.name());
    }

    // README example: one topic, three record types, three tables
    static Router shopRouter(dev.clickpipes.clickhouse.ClickHouseTransport transport, String database) {
        return Router.builder()
                .routeBy(RouteKey.field("type"))
                .target("order", ClickHouseSink.builder().transport(transport).table(database + ".orders").build(),
                        Decoders.json())
                .target("refund", ClickHouseSink.builder().transport(transport).table(database + ".refunds").build(),
                        Decoders.json(), FieldMapping.builder().map("order", "order_id").build())
                .target("click", ClickHouseSink.builder().transport(transport).table(database + ".clicks").build(),
                        Decoders.json())
                .fallbackErrorTable(transport, database + ".unrouted")
                .build();
    }
    // end of README example

    /** Record i: an order, a refund or a click, by i % 3, with id i. */
    static String event(int i) {
        return switch (i % 3) {
            case 0 -> "{\"type\":\"order\",\"id\":" + i + ",\"amount\":" + (i % 100) + ".25}";
            case 1 -> "{\"type\":\"refund\",\"id\":" + i + ",\"order\":" + (i - 1) + ",\"why\":\"late\"}";
            default -> "{\"id\":" + i + ",\"page\":\"/p/" + i + "\",\"type\":\"click\"}";
        };
    }

    /** Runs {@code sql} once, when the pipe has committed its first batch. */
    private PipeListener afterFirstBatch(String sql) {
        AtomicBoolean done = new AtomicBoolean();
        return new PipeListener() {
            @Override
            public void onBatchCommitted(Pipe pipe, BatchReport report) {
                if (done.compareAndSet(false, true)) {
                    try {
                        ch.query(sql);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        };
    }

    private long count(String sql) throws Exception {
        return ch.queryLong(sql);
    }

    /** Count, distinct ids and sum of ids of a table's rows whose id % 3 == kind, against ids 0..n-1. */
    private void assertHolds(String table, int kind, int n) throws Exception {
        long expectedCount = 0;
        long expectedSum = 0;
        for (int i = kind; i < n; i += 3) {
            expectedCount++;
            expectedSum += i;
        }
        assertThat(count("SELECT count() FROM " + db.table(table))).as(table + " rows").isEqualTo(expectedCount);
        assertThat(count("SELECT uniqExact(id) FROM " + db.table(table))).as(table + " ids").isEqualTo(expectedCount);
        assertThat(count("SELECT sum(id) FROM " + db.table(table))).as(table + " id sum").isEqualTo(expectedSum);
        assertThat(count("SELECT countIf(id % 3 != " + kind + ") FROM " + db.table(table))).isZero();
    }

    @Test
    void threeRecordTypesGoToThreeTablesAndTheUnroutedToTheFallbackTable() throws Exception {
        int n = 3000;
        List<String> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            records.add(event(i));
        }
        records.add("{\"type\":\"coupon\",\"id\":1}");       // a route no target has
        records.add("{\"id\":2}");                            // no route at all
        records.add("{\"type\":\"order\",\"id\":\"x\"}");    // an order that does not fit its table
        Router router = shopRouter(ch, db.name());
        Pipe pipe = Pipe.builder().name("shop").source(MemorySource.of(records)).decoder(router.decoder())
                .sink(router.sink()).batching(Batching.builder().maxRows(700).build()).build();
        pipe.run();

        assertHolds("orders", 0, n);
        assertHolds("refunds", 1, n);
        assertHolds("clicks", 2, n);
        assertThat(count("SELECT sum(order_id) - sum(id) FROM " + db.table("refunds"))).isEqualTo(-n / 3);
        assertThat(ch.query("SELECT error_kind, message FROM " + db.table("unrouted") + " ORDER BY position"))
                .contains("NO_ROUTE\trouter by JSON field `type`: route `coupon` (JSON field `type`) names no target; the targets are [order, refund, click]")
                .contains("NO_ROUTE\trouter by JSON field `type`: the record has no JSON field `type` to route it by");
        assertThat(count("SELECT count() FROM " + db.table("unrouted"))).isEqualTo(2);
        assertThat(ch.query("SELECT error_kind, raw FROM " + db.table("orders_clickpipes_error")))
                .contains("TYPE_CONVERSION_ERROR\t{\"type\":\"order\",\"id\":\"x\"}");
        assertThat(count("SELECT count() FROM " + db.table("refunds_clickpipes_error"))
                + count("SELECT count() FROM " + db.table("clicks_clickpipes_error"))).isZero();
        assertThat(pipe.metrics().errorRows()).isEqualTo(3);
        assertThat(pipe.metrics().errorRows(dev.clickpipes.core.ErrorKind.NO_ROUTE)).isEqualTo(2);
    }

    @Test
    void aTableDroppedMidStreamSendsItsRecordsToItsErrorTableAndTheOthersFlowOn() throws Exception {
        int n = 3000;
        List<String> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            records.add(event(i));
        }
        Router router = shopRouter(ch, db.name());
        PipeListener dropAfterFirstBatch = afterFirstBatch("DROP TABLE " + db.table("refunds"));
        Pipe pipe = Pipe.builder().name("shop").source(MemorySource.of(records)).decoder(router.decoder())
                .sink(router.sink()).batching(Batching.builder().maxRows(600).build()).listener(dropAfterFirstBatch).build();
        List<BatchReport> reports = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicLong rejectedHeard = new java.util.concurrent.atomic.AtomicLong();
        pipe.addListener(new PipeListener() {
            @Override
            public void onBatchCommitted(Pipe p, BatchReport report) {
                reports.add(report);
            }

            @Override
            public void onRecordRejected(Pipe p, dev.clickpipes.core.ErrorRecord error) {
                rejectedHeard.incrementAndGet();
            }
        });
        pipe.run();

        assertHolds("orders", 0, n);
        assertHolds("clicks", 2, n);
        // the first batch's refunds are gone with their table; every later one is in its error table, with the reason
        long firstBatchRefunds = 600 / 3;
        String errors = db.table("refunds_clickpipes_error");
        assertThat(count("SELECT count() FROM " + errors)).isEqualTo(n / 3 - firstBatchRefunds);
        assertThat(count("SELECT uniqExact(position) FROM " + errors)).isEqualTo(n / 3 - firstBatchRefunds);
        assertThat(count("SELECT countIf(error_kind = 'INSERT_ERROR' AND message LIKE '%does not exist (dropped?)%'"
                + " AND message LIKE '%UNKNOWN_TABLE%' AND JSONExtractString(raw, 'type') = 'refund') FROM " + errors))
                .isEqualTo(n / 3 - firstBatchRefunds);
        assertThat(count("SELECT count() FROM " + db.table("unrouted"))).isZero();
        // the router filed them itself: the pipe counts them as error rows, not as rows written
        assertThat(pipe.metrics().errorRows()).isEqualTo(count("SELECT count() FROM " + errors));
        assertThat(pipe.metrics().errorRows(dev.clickpipes.core.ErrorKind.INSERT_ERROR))
                .isEqualTo(n / 3 - firstBatchRefunds);
        assertThat(pipe.metrics().rowsWritten()).isEqualTo(count("SELECT count() FROM " + db.table("orders"))
                + count("SELECT count() FROM " + db.table("clicks")) + firstBatchRefunds);
        assertThat(pipe.metrics().committedRows()).isEqualTo(pipe.metrics().rowsWritten());
        assertThat(reports.stream().mapToLong(BatchReport::errorRows).sum()).isEqualTo(pipe.metrics().errorRows());
        assertThat(reports.stream().mapToLong(BatchReport::rows).sum()).isEqualTo(pipe.metrics().rowsWritten());
        assertThat(rejectedHeard.get()).as("the listener hears of each record the router filed").isEqualTo(pipe.metrics().errorRows());
    }

    @Test
    void aTableAndItsErrorTableBothGoneSendTheRecordsToTheFallbackTable() throws Exception {
        Router router = shopRouter(ch, db.name());
        Sink sink = router.sink();
        sink.open("shop");
        ch.query("DROP TABLE " + db.table("clicks"));
        ch.query("DROP TABLE " + db.table("clicks_clickpipes_error"));
        RowBuffer envelope = decode(router, sink, 0, 30);
        sink.insert(envelope, "shop/t1");
        assertHolds("orders", 0, 30);
        assertHolds("refunds", 1, 30);
        assertThat(count("SELECT countIf(message LIKE '%clicks does not exist%') FROM " + db.table("unrouted"))).isEqualTo(10);
        sink.close();
    }

    @Test
    void aReSentBatchIsNotDoubledInDeduplicatingTables() throws Exception {
        Router router = shopRouter(ch, db.name());
        Sink sink = router.sink();
        sink.open("shop");
        RowBuffer envelope = decode(router, sink, 0, 90);
        sink.insert(envelope, "shop/p@0..p@89");
        sink.insert(envelope, "shop/p@0..p@89"); // the same batch again, as after a crash before the commit
        RowBuffer again = decode(router, sink, 0, 90); // decoded anew, as a restarted pipe would
        sink.insert(again, "shop/p@0..p@89");
        assertHolds("orders", 0, 90);
        assertHolds("refunds", 1, 90);
        assertHolds("clicks", 2, 90);
        sink.insert(again, "shop/another-token"); // the check can fail: another token is another insert
        assertThat(count("SELECT count() FROM " + db.table("orders"))).isEqualTo(60);
        sink.close();
    }

    @Test
    void exactlyOnceHoldsAcrossTablesWhenAPipeStopsBetweenTwoTablesOfOneBatch() throws Exception {
        int n = 900;
        // the second batch's orders and refunds are in when its clicks fail and the pipe stops
        FlakyTransport crashing = new FlakyTransport(ch, "clicks", 2, 1, dev.clickpipes.core.spi.SinkException.Kind.FATAL);
        Pipe first = exactlyOncePipe(shopRouter(crashing, db.name()), n);
        assertThatThrownBy(first::run).isInstanceOf(dev.clickpipes.core.PipeException.class)
                .hasMessageContaining("injected failure of insert 2 into clicks");
        assertThat(count("SELECT count() FROM " + db.table("orders"))).isEqualTo(200);
        assertThat(count("SELECT count() FROM " + db.table("clicks"))).isEqualTo(100);

        // the restart reads every record again; the ledger re-sends the second batch as it was, with its token
        exactlyOncePipe(shopRouter(ch, db.name()), n).run();
        assertHolds("orders", 0, n);
        assertHolds("refunds", 1, n);
        assertHolds("clicks", 2, n);
        exactlyOncePipe(shopRouter(ch, db.name()), n).run(); // and a third run adds nothing
        assertHolds("orders", 0, n);
        assertHolds("clicks", 2, n);
    }

    private static Pipe exactlyOncePipe(Router router, int n) {
        return Pipe.builder().name("shop-eo").source(MemorySource.of(events(n))).decoder(router.decoder())
                .sink(router.sink()).batching(Batching.builder().maxRows(300).build())
                .delivery(dev.clickpipes.core.Delivery.EXACTLY_ONCE).build();
    }

    @Test
    void aMissingTargetTableIsCreatedFromItsDefinition() throws Exception {
        Router router = Router.builder().routeBy(RouteKey.field("type"))
                .target("order", ClickHouseSink.builder().transport(ch).table(db.table("orders")).build(), Decoders.json())
                .target("click", ClickHouseSink.builder().transport(ch).table(db.table("visits"))
                        .createTable(dev.clickpipes.clickhouse.ddl.TableDefinition.builder()
                                .column("id", "UInt64").column("page", "String").orderBy("id").build())
                        .build(), Decoders.json())
                .fallbackErrorTable(ch, db.name() + ".unrouted").build();
        Pipe.builder().name("shop").source(MemorySource.of(events(300))).decoder(router.decoder()).sink(router.sink())
                .build().run();
        assertHolds("orders", 0, 300);
        assertThat(count("SELECT count() FROM " + db.table("visits"))).isEqualTo(100);
        assertThat(count("SELECT countIf(page != concat('/p/', toString(id))) FROM " + db.table("visits"))).isZero();
        assertThat(count("SELECT count() FROM " + db.table("unrouted"))).isEqualTo(100); // the refunds: no target
    }

    @Test
    void twoRoutesIntoOneDeduplicatingTableBothLand() throws Exception {
        Router router = Router.builder().routeBy(RouteKey.field("type"))
                .target("order", ClickHouseSink.builder().transport(ch).table(db.table("clicks")).build(), Decoders.json())
                .target("click", ClickHouseSink.builder().transport(ch).table(db.table("clicks")).build(), Decoders.json())
                .fallbackErrorTable(ch, db.name() + ".unrouted").build();
        Pipe.builder().name("shop").source(MemorySource.of(events(300))).decoder(router.decoder()).sink(router.sink())
                .build().run();
        assertThat(count("SELECT count() FROM " + db.table("clicks"))).isEqualTo(200); // one insert each, two tokens
        assertThat(count("SELECT countIf(id % 3 = 1) FROM " + db.table("clicks"))).isZero();
    }

    @Test
    void routesNameTheirTablesWhichAreCreatedOnFirstUseUpToALimit() throws Exception {
        dev.clickpipes.clickhouse.ddl.TableDefinition events = dev.clickpipes.clickhouse.ddl.TableDefinition.builder()
                .column("id", "UInt64").column("kind", "String").orderBy("id").build();
        Router router = Router.builder().routeBy(RouteKey.field("kind"))
                .tablesByRoute(route -> route.equals("nowhere") ? null
                        : ClickHouseSink.builder().transport(ch).table(db.table("events_" + route))
                                .createTable(route.equals("fixed") ? null : events).build(), Decoders.json())
                .maxTargets(4)
                .fallbackErrorTable(ch, db.name() + ".unrouted").build();
        List<String> records = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            records.add("{\"id\":" + i + ",\"kind\":\"" + List.of("a", "b", "c").get(i % 3) + "\"}");
        }
        records.add("{\"id\":1000,\"kind\":\"nowhere\"}"); // the function names no table
        records.add("{\"id\":1001,\"kind\":\"fixed\"}");   // a table that does not exist, and no definition
        records.add("{\"id\":1002,\"kind\":\"d\"}");       // a fourth table
        records.add("{\"id\":1003,\"kind\":\"e\"}");       // a fifth table: over the limit
        Pipe.builder().name("shop").source(MemorySource.of(records)).decoder(router.decoder()).sink(router.sink())
                .batching(Batching.builder().maxRows(250).build()).build().run();
        for (String kind : List.of("a", "b", "c")) {
            assertThat(count("SELECT count() FROM " + db.table("events_" + kind))).isEqualTo(200);
            assertThat(count("SELECT countIf(kind != '" + kind + "') FROM " + db.table("events_" + kind))).isZero();
        }
        assertThat(ch.query("SELECT JSONExtractUInt(raw, 'id'), message FROM " + db.table("unrouted") + " ORDER BY 1"))
                .contains("1000\trouter by JSON field `kind`: route `nowhere` (JSON field `kind`) names no target")
                .contains("1001\trouter by JSON field `kind`: route `fixed`: its table " + db.name() + ".events_fixed cannot be opened")
                .contains("1003\trouter by JSON field `kind`: route `e` would be target 5; the router takes at most 4");
        assertThat(count("SELECT count() FROM " + db.table("unrouted"))).isEqualTo(3);
        assertThat(count("SELECT sum(id) FROM " + db.table("events_d"))).isEqualTo(1002);
        assertThat(count("SELECT count() FROM system.tables WHERE database = '" + db.name() + "' AND name LIKE 'events_%'"))
                .isEqualTo(4 + 4); // and their error tables
    }

    @Test
    void exactlyOnceNeedsEveryTargetToDeduplicate() throws Exception {
        ch.query("CREATE TABLE " + db.table("plain") + " (id UInt64, page String) ENGINE = MergeTree ORDER BY id");
        Router router = Router.builder().routeBy(RouteKey.field("type"))
                .target("order", ClickHouseSink.builder().transport(ch).table(db.table("orders")).build(), Decoders.json())
                .target("click", ClickHouseSink.builder().transport(ch).table(db.table("plain")).build(), Decoders.json())
                .fallbackErrorTable(ch, db.name() + ".unrouted").build();
        Sink sink = router.sink();
        sink.open("shop");
        assertThatThrownBy(sink::deliveryState).hasMessageContaining("plain")
                .hasMessageContaining("non_replicated_deduplication_window");
        sink.close();
    }

    /** Three events streams in non-deduplicating tables: a part inserted twice would show. */
    private void noDeduplication() throws Exception {
        for (String t : List.of("orders", "refunds", "clicks")) {
            ch.query("ALTER TABLE " + db.table(t) + " MODIFY SETTING non_replicated_deduplication_window = 0");
        }
    }

    private static List<String> events(int n) {
        List<String> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            records.add(event(i));
        }
        return records;
    }

    @Test
    void aTableFailingAfterAnotherIsInIsRetriedWithoutInsertingTheOtherTwice() throws Exception {
        noDeduplication();
        FlakyTransport flaky = new FlakyTransport(ch, "clicks", 1, 2, dev.clickpipes.core.spi.SinkException.Kind.RETRYABLE);
        Router router = shopRouter(flaky, db.name());
        Pipe pipe = Pipe.builder().name("shop").source(MemorySource.of(events(900))).decoder(router.decoder())
                .sink(router.sink()).batching(Batching.builder().maxRows(300).build())
                .retry(dev.clickpipes.core.RetryPolicy.of(java.time.Duration.ofMillis(1), java.time.Duration.ofMillis(5), 0))
                .build();
        pipe.run();
        assertThat(flaky.failed.get()).isEqualTo(2);
        assertThat(pipe.metrics().insertRetries()).isEqualTo(2);
        assertHolds("orders", 0, 900);
        assertHolds("refunds", 1, 900);
        assertHolds("clicks", 2, 900);
    }

    @Test
    void aRowRefusedByOneTableIsFiledAloneAndTheOtherTablesGetTheirRowsOnce() throws Exception {
        noDeduplication();
        ch.query("ALTER TABLE " + db.table("clicks") + " ADD CONSTRAINT no_1337 CHECK id != 1337");
        Router router = shopRouter(ch, db.name());
        Pipe pipe = Pipe.builder().name("shop").source(MemorySource.of(events(3000))).decoder(router.decoder())
                .sink(router.sink()).batching(Batching.builder().maxRows(1500).build()).build();
        pipe.run();
        assertHolds("orders", 0, 3000);
        assertHolds("refunds", 1, 3000);
        assertThat(count("SELECT count() FROM " + db.table("clicks"))).isEqualTo(999);
        assertThat(count("SELECT sum(id) FROM " + db.table("clicks"))).isEqualTo(sumOf(2, 3000) - 1337);
        assertThat(ch.query("SELECT error_kind, position FROM " + db.table("clicks_clickpipes_error")))
                .isEqualTo("INSERT_ERROR\tmemory@1337\n");
        assertThat(count("SELECT count() FROM " + db.table("unrouted"))).isZero();
    }

    @Test
    void aColumnDroppedMidStreamIsReadAgainAndTheRecordsDecodedForTheNewColumns() throws Exception {
        Router router = shopRouter(ch, db.name());
        PipeListener alterAfterFirstBatch = afterFirstBatch("ALTER TABLE " + db.table("refunds") + " DROP COLUMN why");
        Pipe pipe = Pipe.builder().name("shop").source(MemorySource.of(events(3000))).decoder(router.decoder())
                .sink(router.sink()).batching(Batching.builder().maxRows(600).build()).listener(alterAfterFirstBatch)
                .build();
        pipe.run();
        assertHolds("orders", 0, 3000);
        assertHolds("refunds", 1, 3000);
        assertHolds("clicks", 2, 3000);
        assertThat(count("SELECT count() FROM " + db.table("refunds_clickpipes_error"))).isZero();
    }

    @Test
    void aColumnThatNoLongerTakesItsFieldFilesTheRecordsAndThePipeCountsThem() throws Exception {
        Router router = shopRouter(ch, db.name());
        // the next batch, decoded for the old columns, is refused (no column `why`); decoded again, its
        // refunds fail (`type` is "refund", not a UInt8) and the router files them
        PipeListener alterAfterFirstBatch = afterFirstBatch("ALTER TABLE " + db.table("refunds")
                + " DROP COLUMN why, ADD COLUMN type UInt8");
        Pipe pipe = Pipe.builder().name("shop").source(MemorySource.of(events(3000))).decoder(router.decoder())
                .sink(router.sink()).batching(Batching.builder().maxRows(600).build()).listener(alterAfterFirstBatch)
                .build();
        pipe.run();
        assertHolds("orders", 0, 3000);
        assertHolds("clicks", 2, 3000);
        long firstBatchRefunds = 600 / 3;
        String errors = db.table("refunds_clickpipes_error");
        assertThat(count("SELECT count() FROM " + db.table("refunds"))).isEqualTo(firstBatchRefunds);
        assertThat(count("SELECT countIf(error_kind = 'TYPE_CONVERSION_ERROR' AND JSONExtractString(raw, 'type') = 'refund')"
                + " FROM " + errors)).isEqualTo(1000 - firstBatchRefunds);
        assertThat(count("SELECT count() FROM " + db.table("unrouted"))).isZero();
        assertThat(pipe.metrics().errorRows()).isEqualTo(count("SELECT count() FROM " + errors));
        assertThat(pipe.metrics().errorRows(dev.clickpipes.core.ErrorKind.TYPE_CONVERSION_ERROR))
                .isEqualTo(1000 - firstBatchRefunds);
        assertThat(pipe.metrics().rowsWritten()).isEqualTo(count("SELECT count() FROM " + db.table("orders"))
                + count("SELECT count() FROM " + db.table("refunds")) + count("SELECT count() FROM " + db.table("clicks")));
    }

    @Test
    void recordsDecodedSideBySideInChunksGoToTheirTablesToo() throws Exception {
        Router router = shopRouter(ch, db.name());
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            Pipe pipe = Pipe.builder().name("shop").source(MemorySource.of(events(20_000))).decoder(router.decoder())
                    .sink(router.sink()).batching(Batching.builder().maxRows(10_000).build())
                    .decodeExecutor(threads).decodeParallelism(2).build();
            pipe.run();
        } finally {
            threads.shutdownNow();
        }
        assertHolds("orders", 0, 20_000);
        assertHolds("refunds", 1, 20_000);
        assertHolds("clicks", 2, 20_000);
    }

    private static long sumOf(int kind, int n) {
        long sum = 0;
        for (int i = kind; i < n; i += 3) {
            sum += i;
        }
        return sum;
    }

    @Test
    void aRouteCanBeAHeaderATopicOrAFunction() {
        SourceRecord r = new Record(0, "{\"type\":\"order\",\"nested\":{\"type\":\"x\"}}");
        assertThat(RouteKey.field("type").routeOf(r)).isEqualTo("order");
        assertThat(RouteKey.field("nested").routeOf(r)).isNull();
        assertThat(RouteKey.field("missing").routeOf(r)).isNull();
        assertThat(RouteKey.field("type").routeOf(new Record(1, "not json"))).isNull();
        assertThat(RouteKey.header("kind").routeOf(r)).isEqualTo("refund");
        assertThat(RouteKey.topic().routeOf(r)).isEqualTo("shop-events");
        assertThat(RouteKey.of("length", x -> String.valueOf(x.length())).routeOf(r)).isEqualTo(String.valueOf(r.length()));
    }

    @Test
    void aRouterWithoutAFallbackTableIsRefusedAtBuild() {
        assertThatThrownBy(() -> Router.builder().routeBy(RouteKey.topic())
                .target("a", ClickHouseSink.builder().transport(ch).table(db.table("orders")).build(), Decoders.json())
                .build()).hasMessageContaining("fallbackErrorTable");
    }

    /** Records from..to-1 decoded into an envelope buffer, as the pipe does. */
    private static RowBuffer decode(Router router, Sink sink, int from, int to) throws Exception {
        TableSchema envelopeSchema = sink.refreshSchema();
        RowBuffer envelope = new RowBuffer(envelopeSchema, FieldMapping.byName(), Set.of());
        for (int i = from; i < to; i++) {
            Record r = new Record(i, event(i));
            envelope.beginRecord(r);
            router.decoder().decode(r, envelope);
        }
        return envelope;
    }

    /** A record of partition p at offset i, with a header and a topic. */
    private static final class Record extends ByteSliceRecord {
        private final long offset;

        Record(long offset, String json) {
            super(json.getBytes(StandardCharsets.UTF_8), 0, json.getBytes(StandardCharsets.UTF_8).length);
            this.offset = offset;
        }

        @Override
        public SourcePosition position() {
            return new SourcePosition() {
                @Override
                public String partition() {
                    return "p";
                }

                @Override
                public String offsetText() {
                    return Long.toString(offset);
                }

                @Override
                public String toString() {
                    return "p@" + offset;
                }
            };
        }

        @Override
        public Object virtualColumn(String name) {
            return switch (name) {
                case "_header_keys" -> List.of("kind");
                case "_header_values" -> List.of("refund");
                case "_topic" -> "shop-events";
                default -> null;
            };
        }
    }

    /** The engine, with inserts {@code first .. first + failures - 1} into one table failing with {@code kind}. */
    private static final class FlakyTransport extends dev.clickpipes.clickhouse.ForwardingTransport {
        private final String table;
        private final int first;
        private final int failures;
        private final dev.clickpipes.core.spi.SinkException.Kind kind;
        private final java.util.concurrent.atomic.AtomicInteger inserts = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger failed = new java.util.concurrent.atomic.AtomicInteger();

        FlakyTransport(EmbeddedClickHouse engine, String table, int first, int failures,
                       dev.clickpipes.core.spi.SinkException.Kind kind) {
            super(engine);
            this.table = table;
            this.first = first;
            this.failures = failures;
            this.kind = kind;
        }

        @Override
        public void insert(String insertSql, java.util.Map<String, String> settings, byte[] body, int length)
                throws dev.clickpipes.clickhouse.ClickHouseException {
            if (insertSql.contains("`" + table + "`")) {
                int number = inserts.incrementAndGet();
                if (number >= first && number < first + failures) {
                    failed.incrementAndGet();
                    throw new dev.clickpipes.clickhouse.ClickHouseException(kind, 0, "injected failure of insert "
                            + number + " into " + table, null);
                }
            }
            super.insert(insertSql, settings, body, length);
        }

        @Override
        public String describe() {
            return "flaky " + delegate().describe();
        }

        @Override
        public void close() {
            // the engine is shared
        }
    }
}
