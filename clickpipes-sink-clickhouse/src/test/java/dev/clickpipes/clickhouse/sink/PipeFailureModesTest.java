package dev.clickpipes.clickhouse.sink;

import static dev.clickpipes.clickhouse.sink.FaultyTransport.answerLost;
import static dev.clickpipes.clickhouse.sink.FaultyTransport.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clickpipes.clickhouse.ClickHouseTransport;
import dev.clickpipes.core.Batching;
import dev.clickpipes.core.ErrorKind;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.core.PipeException;
import dev.clickpipes.core.RetryPolicy;
import dev.clickpipes.core.RowBuffer;
import dev.clickpipes.core.spi.DecodeException;
import dev.clickpipes.core.spi.Decoder;
import dev.clickpipes.core.spi.SourceRecord;
import dev.clickpipes.format.Decoders;
import dev.clickpipes.source.memory.MemorySource;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import dev.clickpipes.testkit.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The insert path's failure modes, each on the real embedded engine, with a fault injected in
 * front of it where the engine cannot produce it: deduplicating tables, answers lost after the
 * insert landed, schema errors that re-reading the table cannot fix, batches too big for one
 * insert, transient and unknown error codes, and decoders that change their mind.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PipeFailureModesTest {

    /** Short backoffs, few attempts: a batch the old code retried forever fails quickly instead. */
    private static final RetryPolicy QUICK = RetryPolicy.of(Duration.ofMillis(10), Duration.ofMillis(50), 5);
    private static final String DEDUP = " SETTINGS non_replicated_deduplication_window = 100";

    private final EmbeddedClickHouse clickhouse = EmbeddedClickHouse.shared();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private TestDatabase db;
    private String table;

    @BeforeEach
    void createDatabase() throws Exception {
        db = clickhouse.newDatabase();
        table = db.name() + ".events";
    }

    @AfterEach
    void dropDatabase() throws Exception {
        threads.shutdownNow();
        threads.awaitTermination(10, TimeUnit.SECONDS);
        db.close();
    }

    private void createTable(String tail) throws Exception {
        clickhouse.query("CREATE TABLE " + table + " (id UInt32, name String, amount Int16, ts DateTime('UTC'))"
                + " ENGINE = MergeTree " + tail);
    }

    private Pipe.Builder pipe(MemorySource source, ClickHouseTransport transport) {
        return Pipe.builder()
                .name("failures")
                .source(source)
                .decoder(Decoders.json())
                .retry(QUICK)
                .sink(ClickHouseSink.builder().transport(transport).table(table).build());
    }

    static String event(int id) {
        return event(id, id % 100);
    }

    static String event(int id, int amount) {
        return "{\"id\":" + id + ",\"name\":\"e" + id + "\",\"amount\":" + amount + ",\"ts\":\"2024-05-01 00:00:00\"}";
    }

    private long count() throws Exception {
        return clickhouse.queryLong("SELECT count() FROM " + table);
    }

    private long uniqIds() throws Exception {
        return clickhouse.queryLong("SELECT uniqExact(id) FROM " + table);
    }

    private List<List<String>> errors() throws Exception {
        return clickhouse.queryRows("SELECT error_kind, raw, message FROM " + table + "_clickpipes_error ORDER BY position");
    }

    private long errorCount() throws Exception {
        return clickhouse.queryLong("SELECT count() FROM " + table + "_clickpipes_error");
    }

    // 1. Deduplicating tables keep identical records.

    @Test
    void fiveIdenticalRecordsInSingleRowBatchesAreFiveRowsInADeduplicatingTable() throws Exception {
        createTable("ORDER BY id" + DEDUP);
        MemorySource source = MemorySource.of(Collections.nCopies(5, event(1)));
        Pipe pipe = pipe(source, clickhouse).batching(Batching.builder().maxRows(1).build()).build();
        pipe.run();
        assertThat(count()).isEqualTo(5); // the old code (no token): 1, the server dropped 4 "duplicates"
        assertThat(errorCount()).isZero();
        assertThat(source.committedOffset()).isEqualTo(4);
    }

    @Test
    void identicalGoodRecordsSplitAroundARefusedOneAreAllKept() throws Exception {
        createTable("ORDER BY id" + DEDUP);
        clickhouse.query("ALTER TABLE " + table + " ADD CONSTRAINT small_amount CHECK amount < 900");
        String good = event(1);
        String bad = event(2, 950);
        // Two batches of [good, good, good, bad]: each is refused and bisected into [good, good],
        // [good] and [bad]; the second batch's pieces are byte-for-byte the first one's.
        List<String> records = List.of(good, good, good, bad, good, good, good, bad);
        MemorySource source = MemorySource.of(records);
        Rejections heard = new Rejections();
        Pipe pipe = pipe(source, clickhouse).batching(Batching.builder().maxRows(4).build()).listener(heard).build();
        pipe.run();
        assertThat(heard.kinds).as("the listener hears of every record the server refused")
                .containsExactly("INSERT_ERROR", "INSERT_ERROR");
        assertThat(pipe.metrics().errorRows()).isEqualTo(2);
        assertThat(count()).isEqualTo(6); // the old code: 3
        assertThat(clickhouse.queryLong("SELECT countIf(id = 1) FROM " + table)).isEqualTo(6);
        assertThat(errors()).hasSize(2).allSatisfy(row -> {
            assertThat(row.get(0)).isEqualTo("INSERT_ERROR");
            assertThat(row.get(1)).isEqualTo(bad);
            assertThat(row.get(2)).contains("small_amount");
        });
        assertThat(source.committedOffset()).isEqualTo(7);
    }

    // 2. A retry of an insert that landed is not doubled.

    @Test
    void aRetriedInsertWhoseFirstAttemptLandedIsNotDoubled() throws Exception {
        createTable("ORDER BY id" + DEDUP);
        FaultyTransport faulty = new FaultyTransport(clickhouse, insert -> {
            insert.proceed();
            if (insert.number == 2) {
                throw answerLost();
            }
        });
        List<String> records = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            records.add(event(i));
        }
        MemorySource source = MemorySource.of(records);
        Pipe pipe = pipe(source, faulty).batching(Batching.builder().maxRows(10).build()).build();
        pipe.run();
        assertThat(faulty.landed.get()).isEqualTo(4); // batch 2 reached the table twice
        assertThat(count()).isEqualTo(30);
        assertThat(uniqIds()).isEqualTo(30);
        assertThat(errorCount()).isZero();
        assertThat(source.committedOffset()).isEqualTo(29);
    }

    @Test
    void aRetriedInsertOfIdenticalRecordsIsNeitherDoubledNorDropped() throws Exception {
        createTable("ORDER BY id" + DEDUP);
        FaultyTransport faulty = new FaultyTransport(clickhouse, insert -> {
            insert.proceed();
            if (insert.number == 3) {
                throw answerLost();
            }
        });
        MemorySource source = MemorySource.of(Collections.nCopies(5, event(1)));
        Pipe pipe = pipe(source, faulty).batching(Batching.builder().maxRows(1).build()).build();
        pipe.run();
        assertThat(faulty.landed.get()).isEqualTo(6);
        assertThat(count()).isEqualTo(5); // 6 without a token on a plain table, 1 without a token here
        assertThat(source.committedOffset()).isEqualTo(4);
    }

    @Test
    void aReplayOfTheSameRecordsIsDroppedButNewRecordsAtReusedPositionsAreKept() throws Exception {
        createTable("ORDER BY id" + DEDUP);
        List<String> first = List.of(event(1), event(2), event(3));
        pipe(MemorySource.of(first), clickhouse).build().run();
        // A restart that reads the same records again (its commit was lost): dropped by the server.
        pipe(MemorySource.of(first), clickhouse).build().run();
        assertThat(count()).isEqualTo(3);
        // Other records at the same positions (a new in-memory stream, a rewritten object, a
        // re-created topic) are other records: kept.
        pipe(MemorySource.of(List.of(event(11), event(12), event(13))), clickhouse).build().run();
        assertThat(clickhouse.queryRows("SELECT id FROM " + table + " ORDER BY id")).extracting(row -> row.get(0))
                .containsExactly("1", "2", "3", "11", "12", "13");
    }

    // 3. A schema error that re-reading the table does not fix.

    /**
     * A materialized view on the target whose SELECT names a column that is then dropped. (The
     * engine refuses to drop a column of the view's source table, code 524, so the column is in a
     * table the view's SELECT reads beside it.) Every insert into the target then fails with
     * code 47, UNKNOWN_IDENTIFIER, while the target's own columns stay as they were.
     */
    private void createBrokenView() throws Exception {
        createTable("ORDER BY id");
        clickhouse.query("CREATE TABLE " + db.name() + ".blocked (k UInt8, blocked_id UInt32) ENGINE = MergeTree ORDER BY k");
        clickhouse.query("CREATE TABLE " + db.name() + ".names (id UInt32, name String) ENGINE = MergeTree ORDER BY id");
        clickhouse.query("CREATE MATERIALIZED VIEW " + db.name() + ".names_mv TO " + db.name() + ".names"
                + " AS SELECT id, name FROM " + table + " WHERE id NOT IN (SELECT blocked_id FROM " + db.name() + ".blocked)");
        clickhouse.query("ALTER TABLE " + db.name() + ".blocked DROP COLUMN blocked_id");
    }

    @Test
    void aSchemaErrorThatPersistsFailsThePipeAfterTheConfiguredAttempts() throws Exception {
        createBrokenView();
        FaultyTransport counting = new FaultyTransport(clickhouse, FaultyTransport.Insert::proceed);
        MemorySource source = MemorySource.of(List.of(event(1), event(2), event(3)));
        Pipe pipe = pipe(source, counting)
                .retry(RetryPolicy.of(Duration.ofMillis(10), Duration.ofMillis(50), 3))
                .build();
        assertThatThrownBy(pipe::run).isInstanceOf(PipeException.class)
                .hasMessageContaining("gave up after 3 attempts")
                .hasMessageContaining("Code: 47");
        assertThat(counting.inserts.get()).isEqualTo(3); // the old code re-read the table and re-sent, without end
        assertThat(source.committedOffset()).isEqualTo(-1);
        assertThat(errorCount()).isZero();
        assertThat(pipe.completion()).isCompletedExceptionally();
    }

    @Test
    void aSchemaErrorThatPersistsBacksOffAndHonoursClose() throws Exception {
        createBrokenView();
        FaultyTransport counting = new FaultyTransport(clickhouse, FaultyTransport.Insert::proceed);
        MemorySource source = MemorySource.open();
        source.offer(event(1)).offer(event(2));
        Pipe pipe = Pipe.builder().name("failures").source(source).decoder(Decoders.json())
                .sink(ClickHouseSink.builder().transport(counting).table(table).build())
                .batching(Batching.builder().maxRows(2).build())
                .closeTimeout(Duration.ofSeconds(1))
                .build(); // the default retry policy: forever, 200 ms doubling up to 30 s
        threads.execute(() -> {
            try {
                pipe.run();
            } catch (PipeException expected) {
                // aborted by close()
            }
        });
        PipeDeliveryTest.waitFor(() -> counting.inserts.get() >= 2);
        Thread.sleep(1000);
        int before = counting.inserts.get();
        long start = System.nanoTime();
        pipe.close();
        long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(closeMillis).isLessThan(5000);
        assertThat(pipe.completion()).isDone();
        assertThat(before).isLessThan(10); // it backs off: no busy loop of re-reads and re-sends
        assertThat(source.committedOffset()).isEqualTo(-1);
        assertThat(errorCount()).isZero();
    }

    // 4. Too big for one insert: split, never filed.

    @Test
    void tooManyPartitionsForOneInsertBlockIsSplitAndEveryRowLands() throws Exception {
        createTable("PARTITION BY id ORDER BY id");
        // The real server check: the engine itself refuses a block spanning more than 4 partitions.
        FaultyTransport limited = new FaultyTransport(clickhouse, insert -> {
            Map<String, String> settings = new HashMap<>(insert.settings);
            settings.put("max_partitions_per_insert_block", "4");
            insert.settings = settings;
            insert.proceed();
        });
        List<String> records = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            records.add(event(i));
        }
        MemorySource source = MemorySource.of(records);
        Pipe pipe = pipe(source, limited).build();
        pipe.run(); // the old code took code 252 for TOO_MANY_PARTS and retried until it gave up
        assertThat(count()).isEqualTo(20);
        assertThat(uniqIds()).isEqualTo(20);
        assertThat(errorCount()).isZero();
        assertThat(limited.inserts.get()).isGreaterThan(limited.landed.get()); // it was refused first
        assertThat(source.committedOffset()).isEqualTo(19);
    }

    @Test
    void aBatchThatExceedsTheMemoryLimitIsSplitAndLandsWhole() throws Exception {
        createTable("ORDER BY id");
        AtomicInteger singleRowFailures = new AtomicInteger();
        FaultyTransport memory = new FaultyTransport(clickhouse, insert -> {
            // Any insert of more than 3 rows, and the first single-row insert (memory is still tight then).
            if (insert.rows() > 3 || insert.rows() == 1 && singleRowFailures.getAndIncrement() == 0) {
                throw server(241, "Memory limit (total) exceeded: would use 9.31 GiB (attempt to allocate chunk"
                        + " of 4194304 bytes), maximum: 9.31 GiB. (MEMORY_LIMIT_EXCEEDED)");
            }
            insert.proceed();
        });
        List<String> records = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            records.add(event(i));
        }
        MemorySource source = MemorySource.of(records);
        Pipe pipe = pipe(source, memory).build();
        pipe.run(); // the old code retried the whole batch (241 was RETRYABLE) until it gave up
        assertThat(count()).isEqualTo(25);
        assertThat(uniqIds()).isEqualTo(25);
        assertThat(errorCount()).isZero(); // a single row refused for memory is retried, not filed
        assertThat(source.committedOffset()).isEqualTo(24);
    }

    // 5. Transient codes never file records; an unknown code ends up isolating the record.

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "394|Query was cancelled. (QUERY_WAS_CANCELLED)",
            "236|Aborted. (ABORTED)",
            "3|Unexpected end of file while reading chunk header of HTTP chunked data. (UNEXPECTED_END_OF_FILE)",
            "999|Coordination::Exception: Connection loss. (KEEPER_EXCEPTION)"
    })
    void transientFailuresOnTheFirstTwoInsertsFileNothing(int code, String message) throws Exception {
        createTable("ORDER BY id");
        FaultyTransport flaky = new FaultyTransport(clickhouse, insert -> {
            if (insert.number <= 2) {
                throw server(code, message);
            }
            insert.proceed();
        });
        List<String> records = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            records.add(event(i));
        }
        MemorySource source = MemorySource.of(records);
        Pipe pipe = pipe(source, flaky).batching(Batching.builder().maxRows(2).build()).build();
        pipe.run(); // the old code took 394, 236 and 3 for data errors: [r0, r1] was split and r0 filed
        assertThat(count()).isEqualTo(6);
        assertThat(uniqIds()).isEqualTo(6);
        assertThat(errorCount()).isZero();
        assertThat(pipe.metrics().errorRows()).isZero();
        assertThat(source.committedOffset()).isEqualTo(5);
    }

    @Test
    void anUnknownCodeOnEveryInsertHoldingABadRecordIsolatesItAfterAFewAttempts() throws Exception {
        createTable("ORDER BY id");
        // A newer server refusing one record with a code this sink does not know: every insert
        // holding that record fails, the others pass.
        FaultyTransport unknown = new FaultyTransport(clickhouse, insert -> {
            if (insert.contains("poison")) {
                throw server(123456, "Something new went wrong with a row. (SOMETHING_NEW)");
            }
            insert.proceed();
        });
        String poison = "{\"id\":3,\"name\":\"poison\",\"amount\":3,\"ts\":\"2024-05-01 00:00:00\"}";
        MemorySource source = MemorySource.of(List.of(event(1), event(2), poison, event(4)));
        Pipe pipe = pipe(source, unknown).build();
        pipe.run();
        assertThat(clickhouse.queryRows("SELECT id FROM " + table + " ORDER BY id"))
                .containsExactly(List.of("1"), List.of("2"), List.of("4"));
        assertThat(errors()).singleElement().satisfies(row -> {
            assertThat(row.get(0)).isEqualTo("INSERT_ERROR");
            assertThat(row.get(1)).isEqualTo(poison);
            assertThat(row.get(2)).contains("Code: 123456");
        });
        // 3 attempts at each of [1, 2, poison, 4], [poison, 4] and [poison]; [1, 2] and [4] once.
        assertThat(unknown.inserts.get()).isEqualTo(11);
        assertThat(source.committedOffset()).isEqualTo(3);
    }

    // 10. One record, one outcome, whatever the decoder says the second time.

    /** Decodes as JSON, except that record {@code x} fails on the decodes numbered in {@code failing} (1-based). */
    private static Decoder flipFlopping(String x, int... failing) {
        Decoder json = Decoders.json();
        AtomicInteger decodes = new AtomicInteger();
        return new Decoder() {
            @Override
            public void decode(SourceRecord record, RowBuffer rows) throws DecodeException {
                String text = new String(record.data(), record.offset(), record.length(), StandardCharsets.UTF_8);
                if (text.equals(x)) {
                    int n = decodes.incrementAndGet();
                    for (int f : failing) {
                        if (f == n) {
                            throw new DecodeException(ErrorKind.DATA_PARSING_ERROR, "flip-flop decode " + n);
                        }
                    }
                }
                json.decode(record, rows);
            }

            @Override
            public String name() {
                return "flip-flop json";
            }
        };
    }

    private List<String> recordsAroundARefusedOne(String x) throws Exception {
        createTable("ORDER BY id");
        clickhouse.query("ALTER TABLE " + table + " ADD CONSTRAINT small_amount CHECK amount < 900");
        return List.of(event(1), x, event(3), event(4, 950)); // the last one the server refuses: the batch is split
    }

    @Test
    void aRecordThatDecodedOnceAndFailsWhenSplitIsFiledNotLost() throws Exception {
        String x = event(2);
        List<String> records = recordsAroundARefusedOne(x);
        MemorySource source = MemorySource.of(records);
        Pipe pipe = pipe(source, clickhouse).decoder(flipFlopping(x, 2)).build();
        pipe.run();
        assertThat(clickhouse.queryRows("SELECT id FROM " + table + " ORDER BY id"))
                .containsExactly(List.of("1"), List.of("3"));
        assertThat(errors()).extracting(row -> row.get(1)).containsExactlyInAnyOrder(x, records.get(3));
        assertThat(count() + errorCount()).isEqualTo(records.size()); // the old code lost x: 2 + 1
        assertThat(source.committedOffset()).isEqualTo(3);
    }

    @Test
    void aRecordFiledByTheDecoderIsNeverAlsoInsertedWhenTheBatchIsSplit() throws Exception {
        String x = event(2);
        List<String> records = recordsAroundARefusedOne(x);
        MemorySource source = MemorySource.of(records);
        Rejections heard = new Rejections();
        Pipe pipe = pipe(source, clickhouse).decoder(flipFlopping(x, 1)).listener(heard).build();
        pipe.run();
        assertThat(heard.kinds).as("each rejected record heard of once").containsExactlyInAnyOrder("DATA_PARSING_ERROR",
                "INSERT_ERROR");
        assertThat(clickhouse.queryRows("SELECT id FROM " + table + " ORDER BY id"))
                .containsExactly(List.of("1"), List.of("3")); // the old code re-decoded x when splitting: 1, 2, 3
        assertThat(errors()).extracting(row -> row.get(0) + " " + row.get(1))
                .containsExactlyInAnyOrder("DATA_PARSING_ERROR " + x, "INSERT_ERROR " + records.get(3));
        assertThat(count() + errorCount()).isEqualTo(records.size());
        assertThat(source.committedOffset()).isEqualTo(3);
    }

    /** The kinds of the records a pipe's listener hears rejected, in order. */
    private static final class Rejections implements dev.clickpipes.core.PipeListener {
        final List<String> kinds = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void onRecordRejected(Pipe pipe, dev.clickpipes.core.ErrorRecord error) {
            kinds.add(error.kind().name());
        }
    }
}
