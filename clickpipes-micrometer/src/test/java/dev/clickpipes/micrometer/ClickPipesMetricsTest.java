package dev.clickpipes.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.core.Batching;
import dev.clickpipes.core.ErrorKind;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.core.PipeListener;
import dev.clickpipes.core.PipeMetrics;
import dev.clickpipes.core.RetryPolicy;
import dev.clickpipes.core.RowBuffer;
import dev.clickpipes.core.spi.ForwardingSink;
import dev.clickpipes.core.spi.Sink;
import dev.clickpipes.core.spi.SinkException;
import dev.clickpipes.core.spi.SourceLag;
import dev.clickpipes.format.Decoders;
import dev.clickpipes.source.memory.MemorySource;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import dev.clickpipes.testkit.ErrorRow;
import dev.clickpipes.testkit.PipeRuns;
import dev.clickpipes.testkit.TestDatabase;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pipes from memory through the JSON decoder into the embedded engine, their meters in a
 * Prometheus registry: the scraped text must say what the pipe did and what ClickHouse holds.
 */
class ClickPipesMetricsTest {

    static EmbeddedClickHouse clickhouse;
    static TestDatabase db;

    @BeforeAll
    static void start() throws Exception {
        clickhouse = EmbeddedClickHouse.shared();
        db = clickhouse.newDatabase();
        // Not db.close() after: DROP DATABASE ... SYNC can hang in the embedded engine; its folder goes with the JVM.
    }

    private static String table(String name) throws Exception {
        String t = db.table(name);
        clickhouse.query("CREATE TABLE " + t + " (id UInt32, name String, v Float64) ENGINE = MergeTree ORDER BY id");
        return t;
    }

    private static String good(int id) {
        return "{\"id\":" + id + ",\"name\":\"n" + id + "\",\"v\":" + id * 0.5 + "}";
    }

    private static Pipe.Builder pipe(String name, MemorySource source, Sink sink, int maxRows) {
        return Pipe.builder().name(name).source(source).decoder(Decoders.json()).sink(sink)
                .batching(Batching.builder().maxRows(maxRows).maxAge(Duration.ofMinutes(1)).build());
    }

    private static ClickHouseSink sink(String table) {
        return ClickHouseSink.builder().transport(clickhouse).table(table).errorTable(true).build();
    }

    @Test
    void scrapedCountersAndTimerMatchWhatThePipeDidAndWhatClickHouseHolds() throws Exception {
        String t = table("t_counts");
        // 1000 good records, 3 that are not JSON and 2 whose id is not a number, early enough that
        // they share the first batches: 4 batches of 250 rows.
        List<String> records = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            records.add(good(i));
            if (i == 10 || i == 300 || i == 620) {
                records.add("{\"id\": " + i + ", \"name\": ");
            }
            if (i == 20 || i == 510) {
                records.add("{\"id\":\"id-" + i + "\",\"name\":\"x\",\"v\":1}");
            }
        }
        long bytes = records.stream().mapToLong(r -> r.getBytes(StandardCharsets.UTF_8).length).sum();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Pipe pipe = pipe("orders", MemorySource.of(records), sink(t), 250).build();
        MeterBinding binding = ClickPipesMetrics.builder().tags("app", "test").percentiles(0.5, 0.99)
                .histogram(true).build().bindTo(pipe, registry);

        PipeMetrics done = PipeRuns.drain(pipe);
        Scrape s = new Scrape(registry.scrape());

        String[] tags = {"pipe", "orders", "table", t, "app", "test"};
        assertThat(binding.tags().stream().map(tag -> tag.getKey() + "=" + tag.getValue()))
                .containsExactlyInAnyOrder("pipe=orders", "table=" + t, "app=test");
        assertThat(s.value("clickpipes_records_read_total", tags)).isEqualTo(1005);
        assertThat(s.value("clickpipes_data_read_bytes_total", tags)).isEqualTo(bytes);
        assertThat(s.value("clickpipes_rows_written_total", tags)).isEqualTo(1000).isEqualTo(db.count("t_counts"));
        assertThat(s.value("clickpipes_rows_committed_total", tags)).isEqualTo(1000);
        Map<String, Long> filed = db.errorRows("t_counts").stream()
                .collect(Collectors.groupingBy(ErrorRow::errorKind, Collectors.counting()));
        assertThat(filed).containsExactlyInAnyOrderEntriesOf(Map.of("DATA_PARSING_ERROR", 3L, "TYPE_CONVERSION_ERROR", 2L));
        for (ErrorKind kind : ErrorKind.values()) {
            assertThat(s.value("clickpipes_rows_rejected_total", join(tags, "kind", kind.name())))
                    .as(kind.name()).isEqualTo((double) filed.getOrDefault(kind.name(), 0L));
        }
        assertThat(s.value("clickpipes_batches_total", tags)).isEqualTo(4).isEqualTo(done.batches());
        assertThat(s.value("clickpipes_insert_retries_total", tags)).isZero();
        assertThat(s.value("clickpipes_inserts_active", tags)).isZero();
        // the timer: one sample per batch, the histogram's +Inf bucket holds them all
        assertThat(s.value("clickpipes_batch_insert_seconds_count", tags)).isEqualTo(4);
        assertThat(s.value("clickpipes_batch_insert_seconds_sum", tags)).isPositive();
        assertThat(s.value("clickpipes_batch_insert_seconds_bucket", join(tags, "le", "+Inf"))).isEqualTo(4);
        // the memory source told its lag: nothing left at the end
        assertThat(s.value("clickpipes_source_lag_records", join(tags, "partition", "memory"))).isZero();

        binding.close();
        binding.close();
        assertThat(registry.scrape()).doesNotContain("clickpipes_");
    }

    @Test
    void retriesAndTheInsertInFlightShowWhileTheInsertFails() throws Exception {
        String t = table("t_retries");
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        List<Double> activeWhileInserting = new CopyOnWriteArrayList<>();
        AtomicInteger inserts = new AtomicInteger();
        // The real sink, with its first two inserts failing as a server outage would (retryable).
        Sink flaky = new ForwardingSink(sink(t)) {
            @Override
            public void insert(RowBuffer rows, String token) throws SinkException {
                activeWhileInserting.add(new Scrape(registry.scrape()).value("clickpipes_inserts_active",
                        "pipe", "flaky"));
                if (inserts.incrementAndGet() <= 2) {
                    throw new SinkException(SinkException.Kind.RETRYABLE, "server unavailable (test)", null);
                }
                super.insert(rows, token);
            }
        };
        List<String> records = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            records.add(good(i));
        }
        Pipe pipe = pipe("flaky", MemorySource.of(records), flaky, 1000)
                .retry(RetryPolicy.of(Duration.ofMillis(5), Duration.ofMillis(20), 0)).build();
        try (MeterBinding binding = ClickPipesMetrics.bind(pipe, registry)) {
            PipeRuns.drain(pipe);
            Scrape s = new Scrape(registry.scrape());
            assertThat(s.value("clickpipes_insert_retries_total", "pipe", "flaky")).isEqualTo(2);
            assertThat(s.value("clickpipes_batches_total", "pipe", "flaky")).isEqualTo(1);
            assertThat(s.value("clickpipes_batch_insert_seconds_count", "pipe", "flaky")).isEqualTo(1);
            // three attempts with at least 2 backoffs of >= 2.5 ms between them, all in the one batch's time
            assertThat(s.value("clickpipes_batch_insert_seconds_sum", "pipe", "flaky")).isGreaterThan(0.005);
            assertThat(s.value("clickpipes_rows_written_total", "pipe", "flaky")).isEqualTo(100).isEqualTo(db.count("t_retries"));
            assertThat(s.value("clickpipes_inserts_active", "pipe", "flaky")).isZero();
        }
        assertThat(activeWhileInserting).containsExactly(1.0, 1.0, 1.0);
        assertThat(registry.scrape()).doesNotContain("clickpipes_");
    }

    @Test
    void sourceLagIsAGaugePerPartitionThatFollowsTheSource() throws Exception {
        String t = table("t_lag");
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MemorySource source = MemorySource.open();
        for (int i = 0; i < 25_000; i++) {
            source.offer(good(i));
        }
        source.end();
        Pipe pipe = pipe("lagging", source, sink(t), 5_000).build();
        MeterBinding binding = ClickPipesMetrics.bind(pipe, registry);
        // Scrape when the pipe has just told the binding its lag (listeners run in the order added):
        // the first poll took 10 000 records of 25 000.
        List<Double> seen = new CopyOnWriteArrayList<>();
        pipe.addListener(new PipeListener() {
            @Override
            public void onLag(Pipe p, SourceLag lag) {
                seen.add(new Scrape(registry.scrape()).value("clickpipes_source_lag_records",
                        "pipe", "lagging", "partition", "memory"));
            }
        });
        PipeRuns.drain(pipe);

        assertThat(seen.get(0)).isEqualTo(15_000);
        assertThat(seen.get(seen.size() - 1)).isZero();
        assertThat(db.count("t_lag")).isEqualTo(25_000);
        binding.close();
        assertThat(registry.scrape()).doesNotContain("clickpipes_source_lag");
    }

    @Test
    void tagsTheBindingSetsItselfAreRefused() {
        assertThatThrownBy(() -> ClickPipesMetrics.builder().tags("pipe", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'pipe'");
        assertThatThrownBy(() -> ClickPipesMetrics.builder().percentiles(1.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[0, 1]");
    }

    private static String[] join(String[] tags, String... more) {
        String[] out = java.util.Arrays.copyOf(tags, tags.length + more.length);
        System.arraycopy(more, 0, out, tags.length, more.length);
        return out;
    }
}
