package dev.clickpipes.source.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clickpipes.core.Batching;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.core.spi.Source;
import dev.clickpipes.core.spi.SourceContext;
import dev.clickpipes.core.spi.SourcePosition;
import dev.clickpipes.core.spi.SourceRecord;
import dev.clickpipes.testservices.TestSourceContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * Delivery on the real broker: start positions, virtual columns, a rebalance between two workers,
 * a broker restart mid-stream and a worker killed mid-batch, each checked for 0 lost records.
 */
class KafkaDeliveryTest extends KafkaPipeTestSupport {

    @Test
    void earliestReadsWhatWasThereBefore() throws Exception {
        String topic = topic(3);
        produce(topic, 3, 0, 500);
        start(pipe("earliest", source(topic).startFrom(StartPosition.earliest()).build()).build());
        produce(topic, 3, 500, 1000);
        awaitIds(1000);
        assertNoLoss(1000);
    }

    /** The lag the source reports is, per partition, what was produced and not read yet. */
    @Test
    void lagIsWhatWasProducedAndNotReadPerPartition() throws Exception {
        String topic = topic(2);
        produce(topic, 2, 0, 1000); // 500 to each partition
        KafkaSource source = source(topic).groupId("lag-" + topic).startFrom(StartPosition.earliest())
                .property("max.poll.records", 100).build();
        source.open(new TestSourceContext("lag"));
        try {
            java.util.Map<String, Long> read = new java.util.HashMap<>();
            dev.clickpipes.core.spi.SourceLag lag = dev.clickpipes.core.spi.SourceLag.none();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline && (lag.partitions().size() < 2 || read.values().stream().mapToLong(v -> v).sum() < 300)) {
                for (SourceRecord r : source.poll(Duration.ofMillis(200))) {
                    read.merge(r.position().partition(), 1L, Long::sum);
                }
                lag = source.lag();
            }
            assertThat(lag.unit()).isEqualTo(dev.clickpipes.core.spi.SourceLag.Unit.RECORDS);
            assertThat(lag.partitions()).containsOnlyKeys(topic + "-0", topic + "-1");
            for (String p : lag.partitions().keySet()) {
                assertThat(lag.partitions().get(p)).as(p).isEqualTo(500 - read.getOrDefault(p, 0L));
            }
            assertThat(lag.total()).isBetween(1L, 700L);
        } finally {
            source.close();
        }
    }

    @Test
    void latestSkipsWhatWasThereBefore() throws Exception {
        String topic = topic(1);
        produce(topic, 1, 1_000_000, 1_000_100); // old: must not be read
        start(pipe("latest", source(topic).startFrom(StartPosition.latest()).build()).build());
        // Markers until one arrives: from then on the consumer's position is fixed after the old records.
        long marker = 2_000_000;
        while (query("SELECT count() FROM $t WHERE id >= 2000000") == 0) {
            produce(topic, 1, marker, marker + 1);
            marker++;
            Thread.sleep(300);
        }
        produce(topic, 1, 0, 500);
        waitFor(() -> {
            try {
                return query("SELECT count() FROM $t WHERE id < 1000000") == 500;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "500 new records");
        clickhouse.query("DELETE FROM " + table + " WHERE id >= 2000000");
        assertNoLoss(500);
    }

    @Test
    void timestampStartsAtTheFirstRecordAtOrAfterIt() throws Exception {
        String topic = topic(2);
        Instant now = Instant.now();
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            // ids 0..199 are an hour old, 200..399 a minute old; start half an hour ago
            long ts = (i < 200 ? now.minusSeconds(3600) : now.minusSeconds(60)).toEpochMilli() + i;
            long id = i < 200 ? 1_000_000 + i : i - 200;
            records.add(new ProducerRecord<>(topic, i % 2, ts, null, event(id)));
        }
        kafka.send(records);
        start(pipe("timestamp", source(topic).startFrom(StartPosition.timestamp(now.minusSeconds(1800))).build()).build());
        awaitIds(200);
        produce(topic, 2, 200, 300);
        awaitIds(300);
        assertNoLoss(300);
    }

    @Test
    void virtualColumnsCarryKafkaMetadata() throws Exception {
        String topic = topic(2);
        String t = db.table("meta");
        clickhouse.query("CREATE TABLE " + t + " (id UInt64, _key Nullable(String), _timestamp DateTime64(3, 'UTC'),"
                + " _partition Int32, _offset Int64, _topic LowCardinality(String), _header_keys Array(String),"
                + " _header_values Array(String), _raw_message String) ENGINE = MergeTree ORDER BY id");
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        ProducerRecord<byte[], byte[]> withHeaders = new ProducerRecord<>(topic, 1, 1714521600123L, "k1".getBytes(), event(1));
        withHeaders.headers().add("trace", "abc".getBytes()).add("empty", null);
        records.add(withHeaders);
        records.add(new ProducerRecord<>(topic, 0, 1714521600456L, null, event(2)));
        kafka.send(records);
        Pipe pipe = Pipe.builder().name("meta").source(source(topic).build()).decoder(dev.clickpipes.format.Decoders.json())
                .sink(dev.clickpipes.clickhouse.sink.ClickHouseSink.builder().transport(clickhouse).table(t).build())
                .batching(Batching.builder().maxAge(Duration.ofMillis(200)).build()).build();
        start(pipe);
        waitFor(() -> {
            try {
                return clickhouse.queryLong("SELECT count() FROM " + t) == 2;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "2 rows");
        assertThat(clickhouse.queryRows("SELECT id, _key, _timestamp, _partition, _offset, _topic, _header_keys,"
                + " _header_values, _raw_message FROM " + t + " ORDER BY id")).containsExactly(
                List.of("1", "k1", "2024-05-01 00:00:00.123", "1", "0", topic, "['trace','empty']", "['abc','']",
                        new String(event(1))),
                java.util.Arrays.asList("2", null, "2024-05-01 00:00:00.456", "0", "0", topic, "[]", "[]",
                        new String(event(2))));
    }

    /** Two workers of one group on two threads: partitions move twice, every record arrives exactly once. */
    @Test
    void rebalanceBetweenTwoWorkersLosesNothingAndRepeatsNothing() throws Exception {
        String topic = topic(4);
        KafkaSource.Builder shared = source(topic).groupId("rebalance-" + topic);
        Pipe a = start(pipe("worker-a", shared.build()).batching(Batching.builder().maxAge(Duration.ofSeconds(2)).build()).build());
        produce(topic, 4, 0, 1000);
        waitFor(() -> a.metrics().recordsRead() > 0, "worker a to read");

        Pipe b = start(pipe("worker-b", shared.build()).batching(Batching.builder().maxAge(Duration.ofSeconds(2)).build()).build());
        long next = 1000;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (b.metrics().recordsRead() == 0) { // b reads once it has partitions and new records come
            assertThat(System.nanoTime()).as("worker b to get partitions").isLessThan(deadline);
            produce(topic, 4, next, next + 100);
            next += 100;
            Thread.sleep(200);
        }
        produce(topic, 4, next, next + 1000);
        next += 1000;
        awaitIds(next);

        a.close(); // its partitions go to b
        produce(topic, 4, next, next + 1000);
        next += 1000;
        awaitIds(next);
        b.close();
        long n = next;
        assertNoLoss(n);
        // Revoked partitions were flushed and committed before they moved: nothing was read twice.
        assertThat(query("SELECT count() FROM $t")).isEqualTo(n);
        assertThat(a.metrics().rowsWritten() + b.metrics().rowsWritten()).isEqualTo(n);
        assertThat(a.metrics().rowsWritten()).isPositive();
        assertThat(b.metrics().rowsWritten()).isPositive();
    }

    /** The broker stops and starts again (same log directory and ports) while records flow. */
    @Test
    void brokerRestartMidStreamLosesNothing() throws Exception {
        String topic = topic(2);
        Pipe pipe = start(pipe("restart", source(topic).build()).build());
        produce(topic, 2, 0, 1000);
        awaitIds(1000);
        // Records produced while the broker goes down and comes back: the producer retries them.
        Future<?> producing = threads.submit(() -> {
            for (long from = 1000; from < 3000; from += 100) {
                produce(topic, 2, from, from + 100);
            }
            return null;
        });
        Thread.sleep(200);
        kafka.restart(1000);
        producing.get(3, TimeUnit.MINUTES);
        awaitIds(3000);
        assertThat(pipe.completion()).isNotDone();
        assertNoLoss(3000);
    }

    /**
     * A worker dies with a batch read but not inserted: its consumer is abandoned without a commit
     * (as a killed process leaves it), the group gives its partitions to a second worker, which
     * reads the uncommitted records again. At-least-once: nothing lost, duplicates allowed.
     */
    @Test
    void aWorkerKilledMidBatchLosesNothing() throws Exception {
        String topic = topic(2);
        String group = "crash-" + topic;
        produce(topic, 2, 0, 1050);
        Crashable crashing = new Crashable(source(topic).groupId(group)
                .property("max.poll.interval.ms", 10_000).property("session.timeout.ms", 6_000).build());
        Pipe a = start(pipe("crashing", crashing).batching(Batching.builder().maxRows(100)
                .maxAge(Duration.ofMinutes(10)).build()).build());
        waitFor(() -> a.metrics().recordsRead() == 1050 && a.metrics().committedRows() == 1000, "a to hold 50 uncommitted");
        crashing.crash();
        a.completion().handle((m, e) -> null).get(30, TimeUnit.SECONDS);
        assertThat(query("SELECT count() FROM $t")).isEqualTo(1000);

        start(pipe("survivor", source(topic).groupId(group).build()).build());
        produce(topic, 2, 1050, 2000);
        awaitIds(2000);
        assertNoLoss(2000);
        crashing.reallyClose();
    }

    /** A source whose worker "dies": poll fails and close abandons the consumer, still in the group. */
    private static final class Crashable implements Source {
        private final KafkaSource delegate;
        private volatile boolean crashed;

        Crashable(KafkaSource delegate) {
            this.delegate = delegate;
        }

        void crash() {
            crashed = true;
        }

        void reallyClose() {
            delegate.close();
        }

        @Override
        public void open(SourceContext context) throws Exception {
            delegate.open(context);
        }

        @Override
        public List<? extends SourceRecord> poll(Duration maxWait) throws Exception {
            if (crashed) {
                throw new IllegalStateException("simulated crash");
            }
            return delegate.poll(maxWait);
        }

        @Override
        public void commit(Collection<SourcePosition> positions) throws Exception {
            delegate.commit(positions);
        }

        @Override
        public Set<String> virtualColumns() {
            return delegate.virtualColumns();
        }

        @Override
        public String describe() {
            return delegate.describe();
        }

        @Override
        public void close() {
            // abandoned: no commit, no leave-group; the broker notices when max.poll.interval.ms passes
        }
    }
}
