package dev.clickpipes.clickhouse.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clickpipes.core.BatchReport;
import dev.clickpipes.core.Batching;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.core.PipeException;
import dev.clickpipes.core.PipeMetrics;
import dev.clickpipes.format.Decoders;
import dev.clickpipes.source.memory.MemorySource;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import dev.clickpipes.testkit.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Batching, commits, close(), the error table and batch splitting, on the embedded engine. */
class PipeDeliveryTest {

    private final EmbeddedClickHouse clickhouse = EmbeddedClickHouse.shared();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private TestDatabase db;
    private String table;

    @BeforeEach
    void createTable() throws Exception {
        db = clickhouse.newDatabase();
        table = db.name() + ".events";
        clickhouse.query("CREATE TABLE " + table + " (id UInt32, name String, amount Int16, ts DateTime('UTC'))"
                + " ENGINE = MergeTree ORDER BY id");
    }

    @AfterEach
    void dropTable() throws Exception {
        threads.shutdownNow();
        threads.awaitTermination(10, TimeUnit.SECONDS);
        db.close();
    }

    private Pipe.Builder pipe(MemorySource source) {
        return Pipe.builder()
                .name("delivery")
                .source(source)
                .decoder(Decoders.json())
                .sink(ClickHouseSink.builder().transport(clickhouse).table(table).build());
    }

    private static String event(int id) {
        return "{\"id\":" + id + ",\"name\":\"e" + id + "\",\"amount\":" + (id % 1000) + ",\"ts\":\"2024-05-01 00:00:00\"}";
    }

    private long count(String where) throws Exception {
        return clickhouse.queryLong("SELECT count() FROM " + table + " WHERE " + where);
    }

    @Test
    void badRecordsGoToTheErrorTableWithTheirRawBytesAndTheRestIsInserted() throws Exception {
        String malformed = "{\"id\": 2, \"name\": \"broken";
        String outOfRange = "{\"id\": 3, \"amount\": 40000}";
        String badDate = "{\"id\": 4, \"ts\": \"yesterday\"}";
        String notAnObject = "[1, 2, 3]";
        Pipe pipe = pipe(MemorySource.of(List.of(event(1), malformed, outOfRange, badDate, notAnObject, event(5)))).build();
        pipe.run();

        assertThat(clickhouse.queryRows("SELECT id FROM " + table + " ORDER BY id")).containsExactly(List.of("1"), List.of("5"));
        List<List<String>> errors = clickhouse.queryRows("SELECT position, error_kind, message, raw, pipe FROM "
                + table + "_clickpipes_error ORDER BY position");
        assertThat(errors).hasSize(4);
        assertThat(errors.get(0)).containsExactly("memory@1", "DATA_PARSING_ERROR", errors.get(0).get(2), malformed, "delivery");
        assertThat(errors.get(0).get(2)).contains("invalid JSON");
        assertThat(errors.get(1)).contains("TYPE_CONVERSION_ERROR", outOfRange);
        assertThat(errors.get(1).get(2)).contains("`amount`", "Int16", "40000", "out of range");
        assertThat(errors.get(2).get(2)).contains("`ts`", "yesterday");
        assertThat(errors.get(3)).contains("DATA_PARSING_ERROR", notAnObject);
        assertThat(pipe.metrics().errorRows()).isEqualTo(4);
        assertThat(pipe.metrics().rowsWritten()).isEqualTo(2);
    }

    @Test
    void closeInsertsTheOpenBatchAndCommitsIt() throws Exception {
        MemorySource source = MemorySource.open();
        Pipe pipe = pipe(source).build(); // defaults: 100 000 rows or 5 s, so nothing is inserted on its own yet
        threads.execute(pipe);
        for (int i = 0; i < 1000; i++) {
            source.offer(event(i));
        }
        waitFor(() -> pipe.metrics().recordsRead() == 1000);
        assertThat(count("1")).isZero();
        assertThat(source.committedOffset()).isEqualTo(-1);

        pipe.close();

        assertThat(count("1")).isEqualTo(1000);
        assertThat(source.committedOffset()).isEqualTo(999);
        assertThat(pipe.completion()).isCompleted();
        assertThat(pipe.metrics().committedRows()).isEqualTo(1000);
    }

    @Test
    void batchesCloseAtTheRowLimitAndCommitsFollowInserts() throws Exception {
        List<String> records = new ArrayList<>();
        for (int i = 0; i < 1050; i++) {
            records.add(event(i));
        }
        MemorySource source = MemorySource.of(records);
        Pipe pipe = pipe(source).batching(Batching.builder().maxRows(100).build()).insertExecutor(threads).build();
        pipe.run();
        PipeMetrics m = pipe.metrics();
        assertThat(m.batches()).isEqualTo(11);
        assertThat(m.rowsWritten()).isEqualTo(1050);
        assertThat(count("1")).isEqualTo(1050);
        assertThat(clickhouse.queryLong("SELECT sum(id) FROM " + table)).isEqualTo(1049L * 1050 / 2);
        assertThat(source.committedOffset()).isEqualTo(1049);
    }

    @Test
    void batchesCloseAtTheByteLimitWithinAFewSmallRecordsAndAtOnceOnLargeOnes() throws Exception {
        // small rows (about 16 bytes encoded): the size is summed every few records, so a batch may pass its limit by
        // those few rows and no more
        List<String> small = new ArrayList<>();
        for (int i = 0; i < 1050; i++) {
            small.add(event(i));
        }
        List<BatchReport> reports = runWithByteLimit(small, 1_000);
        assertThat(reports.stream().mapToInt(BatchReport::rows).sum()).isEqualTo(1050);
        for (BatchReport r : reports.subList(0, reports.size() - 1)) {
            assertThat(r.bytes()).as("a full batch of %d rows", r.rows()).isBetween(1_000L, 1_000L + 16 * 20);
        }
        // rows of about 3 000 bytes: a batch of 10 000 bytes closes on the record that passes the limit, the fourth
        List<String> large = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            large.add("{\"id\":" + (10_000 + i) + ",\"name\":\"" + "x".repeat(3_000) + "\",\"amount\":1,"
                    + "\"ts\":\"2024-05-01 00:00:00\"}");
        }
        reports = runWithByteLimit(large, 10_000);
        assertThat(reports).extracting(BatchReport::rows).containsOnly(4);
        assertThat(count("1")).isEqualTo(1090);
        assertThat(clickhouse.queryLong("SELECT uniqExact(id) FROM " + table)).isEqualTo(1090);
    }

    private List<BatchReport> runWithByteLimit(List<String> records, long maxBytes) throws Exception {
        List<BatchReport> reports = new java.util.concurrent.CopyOnWriteArrayList<>();
        Pipe pipe = pipe(MemorySource.of(records)).batching(Batching.builder().maxBytes(maxBytes).build())
                .listener(new dev.clickpipes.core.PipeListener() {
                    @Override
                    public void onBatchCommitted(Pipe p, BatchReport report) {
                        reports.add(report);
                    }
                })
                .build();
        pipe.run();
        return reports;
    }

    @Test
    void aBatchClosesAtItsAgeWithoutMoreRecords() throws Exception {
        MemorySource source = MemorySource.open();
        Pipe pipe = pipe(source).batching(Batching.builder().maxAge(Duration.ofMillis(300)).build()).build();
        threads.execute(pipe);
        source.offer(event(1)).offer(event(2));
        waitFor(() -> source.committedOffset() == 1);
        assertThat(count("1")).isEqualTo(2);
        pipe.close();
    }

    @Test
    void rowsTheServerRefusesAreIsolatedBySplittingTheBatch() throws Exception {
        clickhouse.query("ALTER TABLE " + table + " ADD CONSTRAINT small_amount CHECK amount < 900");
        List<String> records = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            records.add(event(i * 10)); // amounts 0..990 step 10: 900..990 are refused by the server
        }
        Pipe pipe = pipe(MemorySource.of(records)).build();
        pipe.run();
        assertThat(count("1")).isEqualTo(90);
        assertThat(clickhouse.queryRows("SELECT error_kind, raw FROM " + table + "_clickpipes_error ORDER BY position"))
                .hasSize(10)
                .allSatisfy(row -> assertThat(row.get(0)).isEqualTo("INSERT_ERROR"))
                .extracting(row -> row.get(1))
                .containsExactlyInAnyOrder(records.subList(90, 100).toArray(new String[0]));
        assertThat(clickhouse.queryLong("SELECT countIf(message LIKE '%small_amount%') FROM " + table + "_clickpipes_error"))
                .isEqualTo(10);
        assertThat(pipe.metrics().errorRows()).isEqualTo(10);
    }

    @Test
    void virtualColumnsAreFilledFromTheSource() throws Exception {
        clickhouse.query("CREATE TABLE " + db.name() + ".raw (id UInt32, _offset UInt64, _raw_message String)"
                + " ENGINE = MergeTree ORDER BY id");
        Pipe pipe = Pipe.builder().name("virtual").source(MemorySource.of(List.of(event(7), event(8))))
                .decoder(Decoders.json())
                .sink(ClickHouseSink.builder().transport(clickhouse).table(db.name() + ".raw").build())
                .build();
        pipe.run();
        assertThat(clickhouse.queryRows("SELECT id, _offset, _raw_message FROM " + db.name() + ".raw ORDER BY id"))
                .containsExactly(List.of("7", "0", event(7)), List.of("8", "1", event(8)));
    }

    @Test
    void aMissingTableStopsThePipeWithAClearMessage() {
        Pipe pipe = Pipe.builder().name("missing").source(MemorySource.of(List.of(event(1))))
                .decoder(Decoders.json())
                .sink(ClickHouseSink.builder().transport(clickhouse).table(db.name() + ".nope").build())
                .build();
        assertThatThrownBy(pipe::run).isInstanceOf(PipeException.class)
                .hasMessageContaining(db.name() + ".nope").hasMessageContaining("does not exist");
        assertThat(pipe.completion()).isCompletedExceptionally();
    }

    @Test
    void theListenerHearsEveryEventAndTheMetricsAddUp() throws Exception {
        List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<String> records = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            records.add(i == 7 ? "not json" : event(i));
        }
        Pipe pipe = pipe(MemorySource.of(records)).batching(Batching.builder().maxRows(10).build())
                .listener(new dev.clickpipes.core.PipeListener() {
                    @Override
                    public void onStarted(Pipe p) {
                        events.add("started");
                    }

                    @Override
                    public void onBatchCommitted(Pipe p, dev.clickpipes.core.BatchReport report) {
                        events.add("batch " + report.rows() + "+" + report.errorRows());
                    }

                    @Override
                    public void onRecordRejected(Pipe p, dev.clickpipes.core.ErrorRecord error) {
                        events.add("rejected " + error.position());
                    }

                    @Override
                    public void onStopped(Pipe p, Throwable failure) {
                        events.add("stopped " + failure);
                    }
                })
                .build();
        pipe.run();
        assertThat(events).containsExactly("started", "rejected memory@7", "batch 10+1", "batch 10+0", "batch 4+0",
                "stopped null");
        PipeMetrics m = pipe.metrics();
        assertThat(m.recordsRead()).isEqualTo(25);
        assertThat(m.rowsWritten()).isEqualTo(24);
        assertThat(m.errorRows()).isEqualTo(1);
        assertThat(m.batches()).isEqualTo(3);
        assertThat(m.committedRows()).isEqualTo(24);
        assertThat(m.lastInsertTime()).isNotNull();
        assertThat(pipe.completion().get()).isEqualTo(m);
    }

    @Test
    void configurationErrorsNameTheField() {
        assertThatThrownBy(() -> Pipe.builder().name("x").decoder(Decoders.json()).build())
                .hasMessageContaining("Pipe.source is not set");
        assertThatThrownBy(() -> Pipe.builder().name("bad name!").build()).hasMessageContaining("Pipe.name");
        assertThatThrownBy(() -> Batching.builder().maxRows(0).build()).hasMessageContaining("Batching.maxRows");
        assertThatThrownBy(() -> ClickHouseSink.builder().transport(clickhouse).build())
                .hasMessageContaining("ClickHouseSink.table");
    }

    static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 30 s");
            }
            Thread.sleep(20);
        }
    }
}
