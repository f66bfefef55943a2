package dev.clickpipes.clickhouse.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clickpipes.core.Batching;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.format.Decoders;
import dev.clickpipes.source.memory.MemorySource;
import dev.clickpipes.testkit.ClickHouseExtension;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import dev.clickpipes.testkit.TestDatabase;
import java.math.BigInteger;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A JSON pipe into a SummingMergeTree whose value columns are {@code SimpleAggregateFunction(sum, UInt64)},
 * {@code SimpleAggregateFunction(max, DateTime('UTC'))} and {@code SimpleAggregateFunction(anyLast, String)}
 * beside a plain UInt64 the engine sums. The sink sends each as its plain inner type; if it sent the wrong
 * type or values, the engine's merge would give other totals. After {@code OPTIMIZE TABLE ... FINAL} each key
 * is one row holding exactly the sum, the latest time and the last label that were produced, and the columns
 * keep their declared types.
 */
class SummingSimpleAggregateTest {

    private static final String[] KEYS = {"a", "b", "c"};
    private static final int RECORDS = 3000;
    private static final DateTimeFormatter TEXT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    @RegisterExtension
    static final ClickHouseExtension CLICKHOUSE = new ClickHouseExtension();

    @Test
    void mergedRowsHoldTheSumsMaximaAndLastValuesProduced(TestDatabase db) throws Exception {
        EmbeddedClickHouse clickhouse = CLICKHOUSE.engine();
        String table = db.table("totals");
        clickhouse.query("CREATE TABLE " + table + " (k String, n SimpleAggregateFunction(sum, UInt64),"
                + " seen SimpleAggregateFunction(max, DateTime('UTC')), label SimpleAggregateFunction(anyLast, String),"
                + " plain UInt64) ENGINE = SummingMergeTree ORDER BY k");

        List<String> records = new ArrayList<>();
        Map<String, BigInteger> sums = new TreeMap<>();
        Map<String, Instant> latest = new TreeMap<>();
        Map<String, String> last = new TreeMap<>();
        Map<String, Long> plainSums = new TreeMap<>();
        Instant base = Instant.parse("2024-05-01T00:00:00Z");
        for (int i = 1; i <= RECORDS; i++) {
            String k = KEYS[i % KEYS.length];
            // ~1.5e16 a row: a key's sum passes 2^63, so a signed reading of the UInt64 would show negative
            long n = 15_000_000_000_000_000L + i;
            // times go up and down, so the maximum is not simply the last one written
            Instant seen = base.plusSeconds((i * 7919L) % 100_000);
            String label = "label-" + i;
            records.add("{\"k\":\"" + k + "\",\"n\":" + Long.toUnsignedString(n) + ",\"seen\":\"" + TEXT.format(seen)
                    + "\",\"label\":\"" + label + "\",\"plain\":" + i + "}");
            sums.merge(k, BigInteger.valueOf(n), BigInteger::add);
            latest.merge(k, seen, (x, y) -> x.isAfter(y) ? x : y);
            last.put(k, label);
            plainSums.merge(k, (long) i, Long::sum);
        }

        // Batches of 500: six parts (each already summed by key as it is written), which OPTIMIZE FINAL merges.
        Pipe pipe = Pipe.builder().name("summing").source(MemorySource.of(records)).decoder(Decoders.json())
                .batching(Batching.builder().maxRows(500).build())
                .sink(ClickHouseSink.builder().transport(clickhouse).table(table).build()).build();
        pipe.run();
        assertThat(pipe.metrics().errorRows()).as(pipe.metrics().lastError()).isZero();
        assertThat(pipe.metrics().rowsWritten()).isEqualTo(RECORDS);

        clickhouse.query("OPTIMIZE TABLE " + table + " FINAL");

        List<List<String>> expected = new ArrayList<>();
        for (String k : KEYS) {
            expected.add(List.of(k, sums.get(k).toString(), TEXT.format(latest.get(k)), last.get(k),
                    plainSums.get(k).toString()));
        }
        assertThat(sums.get("a")).as("a sum past 2^63").isGreaterThan(BigInteger.TWO.pow(63));
        assertThat(clickhouse.queryRows("SELECT k, n, seen, label, plain FROM " + table + " ORDER BY k"))
                .as("one row a key after OPTIMIZE FINAL: n summed, seen the maximum, label the last one written")
                .containsExactlyElementsOf(expected);
        assertThat(clickhouse.queryRows("SELECT toTypeName(n), toTypeName(seen), toTypeName(label) FROM " + table
                + " LIMIT 1"))
                .containsExactly(List.of("SimpleAggregateFunction(sum, UInt64)",
                        "SimpleAggregateFunction(max, DateTime('UTC'))", "SimpleAggregateFunction(anyLast, String)"));
    }
}
