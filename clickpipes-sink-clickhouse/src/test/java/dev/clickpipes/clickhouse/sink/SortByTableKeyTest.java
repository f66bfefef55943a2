package dev.clickpipes.clickhouse.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clickpipes.core.Batching;
import dev.clickpipes.clickhouse.routing.RouteKey;
import dev.clickpipes.clickhouse.routing.Router;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.format.Decoders;
import dev.clickpipes.source.memory.MemorySource;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import dev.clickpipes.testkit.TestDatabase;
import dev.clickpipes.testservices.RecordingTransport;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code sortByTableKey(true)}: an insert of several blocks (chunked decoding) reaches the engine as one
 * block already in the table's key order, and the table holds exactly what an unsorted insert of the
 * same records gives, rows in the same physical order.
 */
class SortByTableKeyTest {

    /** Every type the sink writes but Variant and Dynamic; key candidates first. */
    private static final String COLUMNS = "id UInt32, s String, lc LowCardinality(String), ns Nullable(String),"
            + " i8 Int8, u64 UInt64, i32 Int32, f64 Float64, nf32 Nullable(Float32), bf BFloat16, d Date, d32 Date32,"
            + " dt DateTime('UTC'), dt64 DateTime64(3, 'UTC'), dec Decimal(18, 4), dec128 Decimal(38, 2), b Bool,"
            + " e Enum8('a' = 1, 'b' = -2), u UUID, i128 Int128, u256 UInt256, fs FixedString(3), ip4 IPv4, ip6 IPv6,"
            + " lcn LowCardinality(Nullable(String)), arr Array(String), an Array(Nullable(Int32)),"
            + " m Map(String, UInt64), t Tuple(a Int32, b String), alc Array(LowCardinality(String)), j JSON,"
            + " dflt Int32 DEFAULT 7";
    private static final int ROWS = 10_000; // 3 chunks of 4096 records: 3 blocks in the one insert

    private final EmbeddedClickHouse ch = EmbeddedClickHouse.shared();
    private TestDatabase db;
    private ExecutorService decoders;

    @BeforeEach
    void setUp() throws Exception {
        db = ch.newDatabase();
        decoders = Executors.newFixedThreadPool(2);
    }

    @AfterEach
    void tearDown() throws Exception {
        decoders.shutdownNow();
        db.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"s", "lc", "ns", "i8", "u64", "i32", "f64", "nf32", "bf", "d", "d32", "dt", "dt64", "dec",
        "dec128", "b", "e", "u", "i128", "u256", "fs", "ip4", "ip6", "lcn", "lc, ns, nf32, i8", "b, e, u, f64",
        "ns, s, `id`"})
    void anInsertOfSeveralBlocksArrivesSortedAndHoldsWhatAnUnsortedOneHolds(String key) throws Exception {
        String sorted = create("sorted", "MergeTree ORDER BY (" + key + ")");
        String plain = create("plain", "MergeTree ORDER BY (" + key + ")");
        List<String> records = records(ROWS, 1);

        RecordingTransport recorder = new RecordingTransport(ch);
        long before = alreadySorted();
        run(records, sorted, recorder, true);
        long sortedParts = alreadySorted() - before;
        run(records, plain, ch, false);

        assertThat(recorder.statements().stream().filter(RecordingTransport.Statement::isInsert).count())
                .as("one insert").isEqualTo(1);
        assertThat(sortedParts).as("parts the engine found already sorted").isEqualTo(1);
        assertSameContent(sorted, plain);
    }

    @Test
    void aRetriedSortedInsertIntoADeduplicatingTableIsTheSameBlockAndLandsOnce() throws Exception {
        // ClickHouse Cloud and replicated tables drop a repeated insert: the retry must be the same block, once
        String sorted = create("sorted_dedup", "MergeTree ORDER BY (s, i32)");
        ch.query("ALTER TABLE " + sorted + " MODIFY SETTING non_replicated_deduplication_window = 100");
        String plain = create("plain_dedup", "MergeTree ORDER BY (s, i32)");
        List<String> records = records(ROWS, 3);
        List<byte[]> sent = new ArrayList<>();
        FaultyTransport faulty = new FaultyTransport(ch, insert -> {
            sent.add(java.util.Arrays.copyOf(insert.body, insert.length));
            insert.proceed();
            if (insert.number == 1) {
                throw FaultyTransport.answerLost(); // landed, but the pipe never heard: it sends the batch again
            }
        });
        long before = alreadySorted();
        run(records, sorted, faulty, true);
        run(records, plain, ch, false);

        assertThat(sent).as("the insert and its retry").hasSize(2);
        assertThat(sent.get(1)).as("the retry's body").isEqualTo(sent.get(0));
        // the engine writes and sorts-checks a block before it finds it a duplicate: both attempts count here
        assertThat(alreadySorted() - before).as("blocks the engine found already sorted").isEqualTo(2);
        assertSameContent(sorted, plain); // ROWS rows, not twice as many: the retry was dropped
    }

    @Test
    void equalKeysKeepTheirOrderSoReplacingMergeTreeKeepsTheSameRow() throws Exception {
        // Few distinct keys, many rows each: which row of a key survives is the last one inserted.
        String sorted = create("sorted", "ReplacingMergeTree ORDER BY (b, e)");
        String plain = create("plain", "ReplacingMergeTree ORDER BY (b, e)");
        List<String> records = records(ROWS, 2);
        long before = alreadySorted();
        run(records, sorted, ch, true);
        assertThat(alreadySorted() - before).isEqualTo(1);
        run(records, plain, ch, false);
        String rows = "SELECT b, e, id FROM %s FINAL ORDER BY b, e";
        assertThat(ch.query(rows.formatted(sorted))).isEqualTo(ch.query(rows.formatted(plain))).isNotBlank();
    }

    @ParameterizedTest
    @ValueSource(strings = {"MergeTree ORDER BY (toStartOfHour(dt), s)", "MergeTree ORDER BY tuple()",
        "MergeTree ORDER BY (s, cityHash64(lc))", "MergeTree ORDER BY (arr)", "MergeTree ORDER BY (dflt, s)",
        "MergeTree ORDER BY (dflt2, s)", "MergeTree ORDER BY (mat, s)"})
    void aKeyThatIsNotPlainComparableColumnsIsNotSortedAndStillInserted(String engine) throws Exception {
        String sorted = create("sorted", engine);
        String plain = create("plain", engine);
        List<String> records = records(ROWS, 3);
        long before = alreadySorted();
        run(records, sorted, ch, true);
        assertThat(alreadySorted() - before).as("parts the engine found already sorted").isZero();
        run(records, plain, ch, false);
        assertSameContent(sorted, plain);
    }

    @Test
    void aTableWithAVariantColumnIsNotSortedAndStillInserted() throws Exception {
        String sorted = create("sorted", "MergeTree ORDER BY (s, i8)");
        String plain = create("plain", "MergeTree ORDER BY (s, i8)");
        for (String t : List.of(sorted, plain)) {
            ch.query("ALTER TABLE " + t + " ADD COLUMN v Variant(String, Int64)");
        }
        List<String> records = new ArrayList<>();
        for (String r : records(ROWS, 5)) {
            records.add(r.substring(0, r.length() - 1) + ",\"v\":" + (r.length() % 2 == 0 ? "\"x\"" : "-3") + "}");
        }
        long before = alreadySorted();
        run(records, sorted, ch, true);
        assertThat(alreadySorted() - before).as("parts the engine found already sorted").isZero();
        run(records, plain, ch, false);
        assertSameContent(sorted, plain);
        assertThat(ch.query("SELECT count() FROM " + sorted + " WHERE v.Int64 = -3 OR v.String = 'x'")).isEqualTo(ROWS + "\n");
    }

    @Test
    void rejectedRecordsStillGoToTheErrorTable() throws Exception {
        String sorted = create("sorted", "MergeTree ORDER BY (s, i8)");
        List<String> records = new ArrayList<>(records(ROWS, 4));
        records.set(5000, "not json");
        records.set(17, "{\"id\": \"x\"}");
        run(records, sorted, ch, true);
        assertThat(ch.queryLong("SELECT count() FROM " + sorted)).isEqualTo(ROWS - 2);
        assertThat(ch.query("SELECT raw FROM " + sorted + "_clickpipes_error ORDER BY raw"))
                .isEqualTo("not json\n{\"id\": \"x\"}\n");
    }

    @Test
    void aRoutersTargetsSortTheirOwnPartsByTheirOwnKeys() throws Exception {
        // each target's sink sorts its part of the batch by its table's key; the router adds nothing of its own
        String sortedA = create("sorted_a", "MergeTree ORDER BY (s, i32)");
        String sortedB = create("sorted_b", "MergeTree ORDER BY (u64, lc)");
        String plainA = create("plain_a", "MergeTree ORDER BY (s, i32)");
        String plainB = create("plain_b", "MergeTree ORDER BY (u64, lc)");
        List<String> records = records(ROWS, 6);
        long before = alreadySorted();
        runRouted(records, sortedA, sortedB, true);
        assertThat(alreadySorted() - before).as("parts the engine found already sorted: one per target").isEqualTo(2);
        before = alreadySorted();
        runRouted(records, plainA, plainB, false);
        assertThat(alreadySorted() - before).as("unsorted parts").isZero();
        long a = records.stream().filter(r -> r.contains("\"e\":\"a\"")).count();
        assertThat(a).as("records routed to a").isBetween(1L, ROWS - 1L);
        assertThat(ch.queryLong("SELECT count() FROM " + sortedA)).isEqualTo(a);
        assertThat(ch.queryLong("SELECT count() FROM " + sortedB)).isEqualTo(ROWS - a);
        assertSameRows(sortedA, plainA);
        assertSameRows(sortedB, plainB);
    }

    private String create(String name, String engine) throws Exception {
        String table = db.table(name);
        String extra = engine.contains("dflt2") ? ", dflt2 Int32 DEFAULT 3"
                : engine.contains("mat") ? ", mat Int32 MATERIALIZED -i32" : "";
        ch.query("CREATE TABLE " + table + " (" + COLUMNS + extra + ") ENGINE = " + engine
                + " SETTINGS allow_nullable_key = 1");
        return table;
    }

    private void run(List<String> records, String table, dev.clickpipes.clickhouse.ClickHouseTransport transport,
                     boolean sort) throws Exception {
        Pipe.builder().name("p").source(MemorySource.of(records)).decoder(Decoders.json())
                .decodeExecutor(decoders).decodeParallelism(2)
                .sink(ClickHouseSink.builder().transport(transport).table(table).sortByTableKey(sort).build())
                .batching(Batching.builder().maxRows(100_000).build())
                .build().run();
    }

    /** The records routed by their {@code e} field to table {@code a} or {@code b}, each target sorted or not. */
    private void runRouted(List<String> records, String a, String b, boolean sort) throws Exception {
        String fallback = db.table((sort ? "sorted" : "plain") + "_unrouted");
        Router router = Router.builder().routeBy(RouteKey.field("e"))
                .target("a", ClickHouseSink.builder().transport(ch).table(a).sortByTableKey(sort).build(), Decoders.json())
                .target("b", ClickHouseSink.builder().transport(ch).table(b).sortByTableKey(sort).build(), Decoders.json())
                .fallbackErrorTable(ch, fallback)
                .build();
        Pipe.builder().name("p").source(MemorySource.of(records)).decoder(router.decoder()).sink(router.sink())
                .decodeExecutor(decoders).decodeParallelism(2)
                .batching(Batching.builder().maxRows(100_000).build())
                .build().run();
        assertThat(ch.queryLong("SELECT count() FROM " + fallback)).as("unrouted records").isZero();
    }

    private long alreadySorted() throws Exception {
        return alreadySorted(ch);
    }

    /** The engine's count of inserted blocks it found already in key order (MergeTreeDataWriterBlocksAlreadySorted). */
    static long alreadySorted(EmbeddedClickHouse ch) throws Exception {
        return ch.queryLong("SELECT sum(value) FROM system.events WHERE name = 'MergeTreeDataWriterBlocksAlreadySorted'");
    }

    /** The same rows, by id, and in the same physical order (both tables hold one part); all the records. */
    private void assertSameContent(String sorted, String plain) throws Exception {
        assertSameRows(sorted, plain);
        assertThat(ch.queryLong("SELECT count() FROM " + sorted)).isEqualTo(ROWS);
    }

    /** The same rows, by id, and in the same physical order (both tables hold one part). */
    private void assertSameRows(String sorted, String plain) throws Exception {
        String byId = "SELECT * FROM %s ORDER BY id FORMAT TSV";
        assertThat(ch.query(byId.formatted(sorted))).isEqualTo(ch.query(byId.formatted(plain)));
        String stored = "SELECT id FROM %s SETTINGS max_threads = 1 FORMAT TSV";
        assertThat(ch.query(stored.formatted(sorted))).isEqualTo(ch.query(stored.formatted(plain)));
    }

    /** Records in random order, values from small pools (ties), with NULLs, NaN, empty strings, negatives, extremes. */
    static List<String> records(int n, long seed) {
        Random random = new Random(seed);
        List<String> out = new ArrayList<>();
        for (int id = 0; id < n; id++) {
            StringBuilder r = new StringBuilder("{\"id\":").append(id);
            field(r, "s", pick(random, "\"\"", "\"a\"", "\"ab\"", "\"B\"", "\"\\u00e9\"", "\"a\\u0000\"", "\"zz\""));
            field(r, "lc", pick(random, "\"\"", "\"x\"", "\"y\"", "\"\\u00ff\"", "\"X\""));
            field(r, "ns", pick(random, "null", "\"\"", "\"x\"", "\"\\u00e9\"", "\"A\""));
            field(r, "i8", pick(random, "-128", "-1", "0", "1", "127"));
            field(r, "u64", pick(random, "0", "1", "9223372036854775808", "18446744073709551615", "42"));
            field(r, "i32", String.valueOf(random.nextInt(200) - 100));
            field(r, "f64", pick(random, "\"nan\"", "\"-inf\"", "\"inf\"", "-1.5", "-0.0", "0.0", "2.5", "1e300"));
            field(r, "nf32", pick(random, "null", "\"nan\"", "-1", "0", "-0.0", "3.25"));
            field(r, "bf", pick(random, "\"nan\"", "-1", "0", "1.5", "-2"));
            field(r, "d", pick(random, "\"1970-01-01\"", "\"2024-05-01\"", "\"2149-06-06\""));
            field(r, "d32", pick(random, "\"1900-01-01\"", "\"1970-01-01\"", "\"2299-12-31\""));
            field(r, "dt", pick(random, "\"1970-01-01 00:00:00\"", "\"2024-05-01 10:20:30\"", "\"2106-02-07 06:28:15\""));
            field(r, "dt64", pick(random, "\"1960-01-01 00:00:00.001\"", "\"1970-01-01 00:00:00.000\"", "\"2024-05-01 10:20:30.999\""));
            field(r, "dec", pick(random, "-1.5", "0", "1.25", "-0.0001", "99999999999999.9999"));
            field(r, "dec128", pick(random, "-123456789012345678901234567890.12", "0", "1.5", "-1"));
            field(r, "b", pick(random, "true", "false"));
            field(r, "e", pick(random, "\"a\"", "\"b\""));
            field(r, "u", pick(random, "\"00000000-0000-0001-0000-000000000000\"", "\"01000000-0000-0000-0000-000000000000\"",
                    "\"00000000-0000-0000-0000-000000000002\"", "\"00000000-0000-0000-0100-000000000000\"",
                    "\"ffffffff-ffff-ffff-0000-000000000000\"", "\"00000000-0000-0000-ffff-ffffffffffff\""));
            field(r, "i128", pick(random, BigInteger.TWO.pow(100).negate().toString(), "-1", "0",
                    BigInteger.TWO.pow(100).toString(), "18446744073709551616"));
            field(r, "u256", pick(random, "0", BigInteger.TWO.pow(255).toString(), "1", BigInteger.TWO.pow(64).toString()));
            field(r, "fs", pick(random, "\"abc\"", "\"ab\"", "\"\"", "\"\\u00ff\"", "\"b\""));
            field(r, "ip4", pick(random, "\"1.2.3.4\"", "\"255.0.0.1\"", "\"10.0.0.1\"", "\"0.0.0.0\""));
            field(r, "ip6", pick(random, "\"::1\"", "\"1::\"", "\"::ffff:1.2.3.4\"", "\"::1:0\"", "\"ff00::\""));
            field(r, "lcn", pick(random, "null", "\"\"", "\"q\"", "\"p\""));
            field(r, "arr", pick(random, "[]", "[\"\"]", "[\"a\",\"b\"]", "[\"x\",\"\",\"yy\"]"));
            field(r, "an", pick(random, "[]", "[1,null,-3]", "[null]", "[7]"));
            field(r, "m", pick(random, "{}", "{\"k\":1}", "{\"k\":2,\"l\":18446744073709551615}"));
            field(r, "t", pick(random, "{\"a\":-1,\"b\":\"x\"}", "{\"a\":2,\"b\":\"\"}"));
            field(r, "alc", pick(random, "[]", "[\"u\",\"v\"]", "[\"v\"]"));
            field(r, "j", pick(random, "{}", "{\"a\":1}", "{\"b\":{\"c\":\"x\"}}"));
            if (random.nextBoolean()) {
                field(r, "dflt", String.valueOf(random.nextInt(10) - 5)); // else the server's DEFAULT 7
            }
            out.add(r.append('}').toString());
        }
        return out;
    }

    private static void field(StringBuilder r, String name, String json) {
        r.append(",\"").append(name).append("\":").append(json);
    }

    private static String pick(Random random, String... values) {
        return values[random.nextInt(values.length)];
    }
}
