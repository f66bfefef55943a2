package dev.clickpipes.clickhouse.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clickpipes.core.Pipe;
import dev.clickpipes.core.PipeException;
import dev.clickpipes.format.Decoders;
import dev.clickpipes.source.memory.MemorySource;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import dev.clickpipes.testkit.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * AggregatingMergeTree targets: SimpleAggregateFunction(f, T) columns take plain values of T and the
 * engine aggregates them; AggregateFunction columns (binary states) stop the pipe at start, saying so.
 */
class AggregatingTargetTest {

    private static EmbeddedClickHouse clickhouse;
    private static TestDatabase db;

    @BeforeAll
    static void start() throws Exception {
        clickhouse = EmbeddedClickHouse.shared();
        db = clickhouse.newDatabase();
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @Test
    void simpleAggregateFunctionColumnsTakePlainValuesAndAggregate() throws Exception {
        String table = db.name() + ".totals";
        clickhouse.query("CREATE TABLE " + table + " (k String, v SimpleAggregateFunction(sum, UInt64),"
                + " s SimpleAggregateFunction(anyLast, String),"
                + " m SimpleAggregateFunction(max, Nullable(DateTime64(3, 'UTC'))),"
                + " q SimpleAggregateFunction(groupUniqArrayArray, Array(String)))"
                + " ENGINE = AggregatingMergeTree ORDER BY k");
        List<String> records = new ArrayList<>();
        long expectedA = 0;
        for (int i = 1; i <= 1000; i++) {
            String k = i % 2 == 0 ? "a" : "b";
            expectedA += k.equals("a") ? i : 0;
            records.add("{\"k\":\"" + k + "\",\"v\":" + i + ",\"s\":\"last" + i + "\",\"m\":" + (i * 1000L)
                    + ",\"q\":[\"t" + (i % 3) + "\"]}");
        }
        Pipe pipe = Pipe.builder().name("agg").source(MemorySource.of(records)).decoder(Decoders.json())
                .sink(ClickHouseSink.builder().transport(clickhouse).table(table).build()).build();
        pipe.run();
        assertThat(pipe.metrics().errorRows()).as(pipe.metrics().lastError()).isZero();

        assertThat(clickhouse.queryRows("SELECT k, sum(v), max(m), length(groupUniqArrayArray(q)) FROM " + table
                + " GROUP BY k ORDER BY k"))
                .containsExactly(List.of("a", Long.toString(expectedA), "1970-01-01 00:16:40.000", "3"),
                        List.of("b", Long.toString(500L * 500L), "1970-01-01 00:16:39.000", "3"));
        clickhouse.query("OPTIMIZE TABLE " + table + " FINAL");
        assertThat(clickhouse.queryRows("SELECT k, v, s FROM " + table + " ORDER BY k"))
                .as("merged by the engine: one row a key, v summed, s the last value written")
                .containsExactly(List.of("a", Long.toString(expectedA), "last1000"),
                        List.of("b", "250000", "last999"));
    }

    @Test
    void anAggregateFunctionStateColumnStopsThePipeAtStartSayingItIsNotSupported() throws Exception {
        String table = db.name() + ".states";
        clickhouse.query("CREATE TABLE " + table + " (k String, u AggregateFunction(uniq, String))"
                + " ENGINE = AggregatingMergeTree ORDER BY k");
        Pipe pipe = Pipe.builder().name("states").source(MemorySource.of(List.of("{\"k\":\"a\",\"u\":\"x\"}")))
                .decoder(Decoders.json())
                .sink(ClickHouseSink.builder().transport(clickhouse).table(table).build()).build();
        assertThatThrownBy(pipe::run).isInstanceOf(PipeException.class)
                .hasStackTraceContaining("column `u` has type AggregateFunction(uniq, String)")
                .hasStackTraceContaining("AggregateFunction states are not supported");
        assertThat(clickhouse.queryRows("SELECT count() FROM " + table)).containsExactly(List.of("0"));
    }
}
