package dev.clickpipes.clickhouse.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clickpipes.core.BatchReport;
import dev.clickpipes.core.Batching;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.core.PipeException;
import dev.clickpipes.core.PipeListener;
import dev.clickpipes.format.Decoders;
import dev.clickpipes.source.memory.MemorySource;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import dev.clickpipes.testkit.TestDatabase;
import dev.clickpipes.testservices.RecordingTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The user's insert settings: checked at build() and at start, sent with every insert, async inserts acknowledged once flushed. */
class InsertSettingsTest {

    private final EmbeddedClickHouse ch = EmbeddedClickHouse.shared();
    private TestDatabase db;
    private String table;

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

    private static List<String> records(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(i == 13 ? "not json" : "{\"id\":" + i + ",\"name\":\"same\"}");
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"insert_deduplication_token", "insert_deduplicate", "deduplicate_insert",
        "async_insert_deduplicate", "wait_end_of_query", "query_id", "role", "decompress", "Database"})
    void aSettingThePipeSetsItselfFailsBuildNamingIt(String name) {
        assertThatThrownBy(() -> ClickHouseSink.builder().transport(ch).table(table).insertSetting(name, "1").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("insertSetting " + name + " cannot be set");
    }

    @Test
    void asyncInsertWithoutWaitingIsRefusedAtBuild() {
        assertThatThrownBy(() -> ClickHouseSink.builder().transport(ch).table(table)
                .insertSettings(Map.of("async_insert", "1", "wait_for_async_insert", "0")).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("wait_for_async_insert=0 with async_insert=1 is refused");
        assertThatThrownBy(() -> ClickHouseSink.builder().transport(ch).table(table).insertSetting("bad name", "1").build())
                .hasMessageContaining("'bad name' is not a ClickHouse setting name");
    }

    @Test
    void aSettingTheServerDoesNotKnowStopsThePipeAtStartNamingIt() {
        Pipe pipe = Pipe.builder().name("s").source(MemorySource.of(records(3))).decoder(Decoders.json())
                .sink(ClickHouseSink.builder().transport(ch).table(table).insertSetting("no_such_setting_x", "1").build())
                .build();
        assertThatThrownBy(pipe::run).isInstanceOf(PipeException.class)
                .hasStackTraceContaining("does not know the insert setting(s) [no_such_setting_x]");
    }

    @Test
    void asyncInsertsAreAcknowledgedOnlyOnceFlushedAndCarryEverySetting() throws Exception {
        RecordingTransport recorder = new RecordingTransport(ch);
        List<Long> visibleAtCommit = new ArrayList<>();
        List<Integer> committed = new ArrayList<>();
        Pipe pipe = Pipe.builder().name("async").source(MemorySource.of(records(100))).decoder(Decoders.json())
                .sink(ClickHouseSink.builder().transport(recorder).table(table)
                        .insertSetting("async_insert", "1")
                        .insertSetting("async_insert_busy_timeout_ms", "5000") // a flush by timeout would come late
                        .insertSetting("max_insert_block_size", "1048576").build())
                .batching(Batching.builder().maxRows(10).build())
                .listener(new PipeListener() {
                    @Override
                    public void onBatchCommitted(Pipe p, BatchReport report) {
                        committed.add(report.rows());
                        try {
                            visibleAtCommit.add(ch.queryLong("SELECT count() FROM " + table));
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                })
                .build();
        pipe.run();
        // Each commit saw every row acknowledged so far in the table: the answer came after the flush.
        long sum = 0;
        for (int i = 0; i < committed.size(); i++) {
            sum += committed.get(i);
            assertThat(visibleAtCommit.get(i)).as("rows in the table at commit %d", i).isEqualTo(sum);
        }
        assertThat(sum).isEqualTo(99);
        assertThat(ch.queryLong("SELECT count() FROM " + db.table("events_clickpipes_error"))).isEqualTo(1);
        List<RecordingTransport.Statement> inserts = recorder.statements().stream()
                .filter(RecordingTransport.Statement::isInsert).toList();
        assertThat(inserts).hasSizeGreaterThanOrEqualTo(11).allSatisfy(s -> assertThat(s.settings())
                .containsEntry("async_insert", "1").containsEntry("wait_for_async_insert", "1")
                .containsEntry("async_insert_deduplicate", "1").containsEntry("max_insert_block_size", "1048576")
                .containsKey("insert_deduplication_token"));
        // (chDB keeps no system.asynchronous_insert_log, so whether it queued them is not observable
        // here; the contract is: at each commit, the acknowledged rows are in the table.)
    }

    @Test
    void asyncInsertsStillDropARetriedBatchByItsToken() throws Exception {
        Map<String, String> async = Map.of("async_insert", "1", "wait_for_async_insert", "1", "async_insert_deduplicate", "1",
                "insert_deduplication_token", "t1");
        byte[] body = "{\"id\":1,\"name\":\"a\"}\n".getBytes();
        ch.insert("INSERT INTO " + table + " FORMAT JSONEachRow", async, body, body.length);
        ch.insert("INSERT INTO " + table + " FORMAT JSONEachRow", async, body, body.length);
        assertThat(ch.queryLong("SELECT count() FROM " + table)).as("the same token twice").isEqualTo(1);
    }
}
