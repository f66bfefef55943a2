package dev.clickpipes.format.avro;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.core.Batching;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.source.memory.MemorySource;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * AvroConfluent messages into an AggregatingMergeTree of SimpleAggregateFunction columns: Avro {@code long} into
 * {@code SimpleAggregateFunction(sum, UInt64)}, {@code timestamp-millis} into {@code SimpleAggregateFunction(max,
 * DateTime('UTC'))} and {@code string} into {@code SimpleAggregateFunction(anyLast, String)}. The Avro decoder
 * writes into the inner type the sink makes of each column; after {@code OPTIMIZE TABLE ... FINAL} the engine's
 * merge must give, key by key, the sum, the latest time and the last string of the records produced.
 */
class AvroSimpleAggregateTest {

    /** In the range this class's tests may use (22100-22199). */
    static final int PORT = 22110;
    private static final String[] KEYS = {"x", "y", "z", "w"};
    private static final int RECORDS = 2000;

    @RegisterExtension
    static final RegistryAndDatabase FIXTURE = new RegistryAndDatabase(PORT);
    private final EmbeddedClickHouse clickhouse = EmbeddedClickHouse.shared();

    @Test
    void mergedRowsHoldTheSumsMaximaAndLastValuesOfTheMessages() throws Exception {
        Schema schema = new Schema.Parser().parse("{\"type\": \"record\", \"name\": \"Reading\", \"fields\": ["
                + "{\"name\": \"k\", \"type\": \"string\"}, {\"name\": \"n\", \"type\": \"long\"},"
                + "{\"name\": \"seen\", \"type\": {\"type\": \"long\", \"logicalType\": \"timestamp-millis\"}},"
                + "{\"name\": \"label\", \"type\": \"string\"}]}");
        int id = FIXTURE.registry().register("readings-value", schema);
        String table = FIXTURE.database() + ".readings";
        clickhouse.query("CREATE TABLE " + table + " (k String, n SimpleAggregateFunction(sum, UInt64),"
                + " seen SimpleAggregateFunction(max, DateTime('UTC')), label SimpleAggregateFunction(anyLast, String))"
                + " ENGINE = AggregatingMergeTree ORDER BY k");

        MemorySource source = MemorySource.open();
        // What each key's merged row must read back as: k, the sum of n, the latest seen, the last label.
        Map<String, List<String>> merged = new TreeMap<>();
        for (int i = 1; i <= RECORDS; i++) {
            String k = KEYS[i % KEYS.length];
            long n = 1_000_000_000_000L * i + i; // sums well past 2^32, with low digits that show a lost row
            long seconds = Instant.parse("2025-01-01T00:00:00Z").getEpochSecond() + (i * 104_729L) % 500_000;
            String label = "m" + i;
            GenericRecord r = new GenericData.Record(schema);
            r.put("k", k);
            r.put("n", n);
            r.put("seen", seconds * 1000);
            r.put("label", label);
            source.offer(ConfluentAvro.encode(id, schema, r));
            merged.merge(k, List.of(k, Long.toString(n), Long.toString(seconds), label), (before, now) -> List.of(k,
                    Long.toString(Long.parseLong(before.get(1)) + n),
                    Long.toString(Math.max(Long.parseLong(before.get(2)), seconds)), label));
        }
        source.end();
        Pipe pipe = Pipe.builder().name("avro-aggregate").source(source)
                .decoder(AvroDecoders.confluent(FIXTURE.registry().url()))
                .batching(Batching.builder().maxRows(300).build()) // several parts for the merge to combine
                .sink(ClickHouseSink.builder().transport(clickhouse).table(table).build()).build();
        pipe.run();
        assertThat(pipe.metrics().errorRows()).as(pipe.metrics().lastError()).isZero();
        assertThat(pipe.metrics().rowsWritten()).isEqualTo(RECORDS);

        clickhouse.query("OPTIMIZE TABLE " + table + " FINAL");

        assertThat(clickhouse.queryRows("SELECT k, n, toUnixTimestamp(seen), label FROM " + table + " ORDER BY k"))
                .as("one row a key after OPTIMIZE FINAL: n summed, seen the maximum, label the last one written")
                .containsExactlyElementsOf(merged.values());
    }
}
