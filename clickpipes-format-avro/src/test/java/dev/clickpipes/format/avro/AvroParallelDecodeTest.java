package dev.clickpipes.format.avro;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.core.BatchReport;
import dev.clickpipes.core.Batching;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.core.PipeListener;
import dev.clickpipes.format.registry.SchemaRegistry;
import dev.clickpipes.source.memory.MemorySource;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import dev.clickpipes.testkit.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecordBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A pipe decoding on a lent executor ({@code Pipe.Builder.decodeExecutor}): the rows, their order,
 * the error rows and the batch boundaries are those of the records alone, whichever thread decoded
 * which chunk.
 */
class AvroParallelDecodeTest {

    static final int PORT = 20530;
    static final int RECORDS = 30_000;

    private static TestSchemaRegistry registry;
    private final EmbeddedClickHouse clickhouse = EmbeddedClickHouse.shared();
    private TestDatabase db;

    @BeforeAll
    static void startRegistry() throws Exception {
        registry = TestSchemaRegistry.start(PORT);
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    @BeforeEach
    void createDatabase() throws Exception {
        db = clickhouse.newDatabase();
    }

    @AfterEach
    void dropDatabase() throws Exception {
        clickhouse.query("DROP DATABASE IF EXISTS " + db.name()); // not db.close(): DROP ... SYNC hangs here
    }

    @Test
    void rowsOrderErrorsAndBatchesAreThoseOfOneThread() throws Exception {
        Schema s = new Schema.Parser().parse("""
            {"type": "record", "name": "Ev", "fields": [{"name": "id", "type": "long"}, {"name": "s", "type": "string"}]}""");
        int id = registry.register("parallel-value", s);
        List<byte[]> messages = new ArrayList<>();
        for (long i = 0; i < RECORDS; i++) {
            byte[] m = ConfluentAvro.encode(id, s, new GenericRecordBuilder(s).set("id", i).set("s", "v" + i).build());
            messages.add(i % 1000 == 999 ? Arrays.copyOf(m, m.length - 1) : m); // every thousandth one truncated
        }
        ExecutorService pool = Executors.newFixedThreadPool(3);
        AtomicInteger lentChunks = new AtomicInteger();
        Executor lent = task -> {
            lentChunks.incrementAndGet();
            pool.execute(task);
        };
        try {
            List<Integer> sequential = run(messages, "one_thread", null);
            List<Integer> parallel = run(messages, "chunks", lent);
            List<Integer> again = run(messages, "chunks_again", lent);
            assertThat(lentChunks.get()).as("chunks handed to the lent threads").isPositive();

            // a Log table keeps rows in insertion order: the chunks' blocks arrived in record order
            String expected = LongStream.range(0, RECORDS).filter(i -> i % 1000 != 999).mapToObj(Long::toString)
                    .collect(Collectors.joining(","));
            for (String table : List.of("one_thread", "chunks", "chunks_again")) {
                String t = db.table(table);
                assertThat(clickhouse.query("SELECT arrayStringConcat(groupArray(toString(id)), ',') FROM " + t
                        + " SETTINGS max_threads = 1").strip()).as(table).isEqualTo(expected);
                assertThat(clickhouse.queryLong("SELECT countIf(s = concat('v', toString(id))) FROM " + t)).isEqualTo(RECORDS - 30);
                assertThat(clickhouse.queryRows("SELECT position FROM " + t + "_clickpipes_error ORDER BY toUInt64(splitByChar('@', position)[2])"))
                        .as(table).containsExactlyElementsOf(LongStream.range(0, RECORDS).filter(i -> i % 1000 == 999)
                                .mapToObj(i -> List.of("memory@" + i)).toList());
            }
            // boundaries depend on the records only: at a chunk (4 096 records) once the chunks but the
            // newest two (parallelism 2) hold 10 000 rows: chunks 0..2 do, checked when chunk 4 forms at record 20 480
            assertThat(again).isEqualTo(parallel);
            assertThat(parallel).containsExactly(20_480 - 20, 9_520 - 10);
            assertThat(sequential).containsExactly(10_000, 10_000, 9_970);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRejectingOrBusyExecutorLeavesTheChunksToThePipesThread() throws Exception {
        Schema s = new Schema.Parser().parse("""
            {"type": "record", "name": "Ev", "fields": [{"name": "id", "type": "long"}, {"name": "s", "type": "string"}]}""");
        int id = registry.register("parallel-busy-value", s);
        List<byte[]> messages = new ArrayList<>();
        for (long i = 0; i < 10_000; i++) {
            messages.add(ConfluentAvro.encode(id, s, new GenericRecordBuilder(s).set("id", i).set("s", "v" + i).build()));
        }
        Executor rejecting = task -> {
            throw new RejectedExecutionException("full");
        };
        assertThat(run(messages, "rejected", rejecting)).containsExactly(10_000);
        // the pipe runs on the only thread of the pool it lends: queued chunks are decoded by the pipe itself
        ExecutorService single = Executors.newSingleThreadExecutor();
        try {
            List<Integer> batches = single.submit(() -> run(messages, "busy", single)).get(60, TimeUnit.SECONDS);
            assertThat(batches).containsExactly(10_000);
        } finally {
            single.shutdownNow();
        }
        for (String table : List.of("rejected", "busy")) {
            assertThat(clickhouse.queryLong("SELECT sum(id) FROM " + db.table(table))).as(table).isEqualTo(49_995_000L);
        }
    }

    /** Runs the messages through a pipe into a new Log table; returns the rows of each committed batch. */
    private List<Integer> run(List<byte[]> messages, String name, Executor decodeExecutor) throws Exception {
        String table = db.table(name);
        clickhouse.query("CREATE TABLE " + table + " (id Int64, s String) ENGINE = Log");
        MemorySource source = MemorySource.open();
        messages.forEach(source::offer);
        source.end();
        List<Integer> batches = new CopyOnWriteArrayList<>();
        Pipe.Builder b = Pipe.builder().name("parallel").source(source)
                .decoder(AvroDecoders.confluent(SchemaRegistry.of(registry.url())))
                .sink(ClickHouseSink.builder().transport(clickhouse).table(table).build())
                .batching(Batching.builder().maxRows(10_000).maxAge(Duration.ofMinutes(5)).build())
                .listener(new PipeListener() {
                    @Override
                    public void onBatchCommitted(Pipe pipe, BatchReport report) {
                        batches.add(report.rows());
                    }
                });
        if (decodeExecutor != null) {
            b.decodeExecutor(decodeExecutor).decodeParallelism(2);
        }
        b.build().run();
        return batches;
    }
}
