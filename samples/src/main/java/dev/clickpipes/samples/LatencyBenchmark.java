package dev.clickpipes.samples;

import dev.clickpipes.clickhouse.ClickHouseException;
import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.core.Batching;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.core.PipeMetrics;
import dev.clickpipes.format.Decoders;
import dev.clickpipes.source.kafka.KafkaSource;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import dev.clickpipes.testservices.KafkaLocal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Kafka produce-to-queryable latency through one pipe: a producer writes JSON records carrying
 * their produce time (epoch milliseconds) at a steady rate; a poller asks the embedded engine every
 * {@code --poll-ms} which parts of the table are new, and a record's latency is the start of the
 * first poll that saw its part minus its produce time (so it is late by at most one poll interval
 * and one poll). Run at the pipe's default batching (100 000 rows, 20 MB, 5 s) and at a
 * low-latency setting ({@code maxAge} 200 ms); goals: p99 at most maxAge + 1 s, and at most 1 s at
 * maxAge 200 ms. Each round is a fresh topic, group and table; producing starts once the group owns
 * its partitions and {@code --settle-ms} more have passed, so the group join is left out. The
 * broker, the pipe and the poller share this JVM. Warm-up rounds ({@link Rounds}), then R rounds; p50, p99 and max
 * per round and their medians (min..max).
 *
 * <pre>LatencyBenchmark [--rate N/s] [--seconds S] [--partitions P] [--rounds R] [--poll-ms M]
 *                  [--settle-ms M] [--port P]</pre>
 */
public final class LatencyBenchmark {

    /** The broker's port, unless {@code --port P} says; the controller takes P + 1. */
    private static final int DEFAULT_PORT = 19096;
    private static final String PAYLOAD = "x".repeat(200);

    private LatencyBenchmark() {
    }

    /** One batching setting under test and its goal for p99. */
    private record Setting(String name, Batching batching, Duration goal) {
    }

    /** Runs the benchmark. */
    public static void main(String[] args) throws Exception {
        int rate = 2_000;
        int seconds = 20;
        int partitions = 4;
        int rounds = Rounds.DEFAULT;
        int pollMs = 20;
        int settleMs = 1_000;
        int port = DEFAULT_PORT;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--partitions" -> partitions = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--poll-ms" -> pollMs = Integer.parseInt(args[++i]);
                case "--settle-ms" -> settleMs = Integer.parseInt(args[++i]);
                case "--port" -> port = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("usage: LatencyBenchmark [--rate N/s] [--seconds S]"
                        + " [--partitions P] [--rounds R] [--poll-ms M] [--settle-ms M] [--port P]");
            }
        }
        Batching low = Batching.builder().maxAge(Duration.ofMillis(200)).build();
        List<Setting> settings = List.of(
                new Setting("default batching (100 000 rows, 20 MB, 5 s)", Batching.defaults(),
                        Batching.defaults().maxAge().plusSeconds(1)),
                new Setting("low latency (maxAge 200 ms)", low, Duration.ofSeconds(1)));
        KafkaLocal.quietLogs();
        EmbeddedClickHouse ch = EmbeddedClickHouse.shared();
        try (KafkaLocal kafka = KafkaLocal.start(port, port + 1)) {
            System.out.printf("Kafka 4.3.1 (in this JVM), ClickHouse %s (embedded), %,d records/s for %d s per round"
                            + " (~%d B each), %d partitions, a poll every %d ms, %d cores%n%n", ch.version(), rate,
                    seconds, PAYLOAD.length() + 50, partitions, pollMs, Runtime.getRuntime().availableProcessors());
            ch.query("CREATE DATABASE IF NOT EXISTS bench");
            Load load = new Load(rate, seconds, partitions, pollMs, settleMs);
            AtomicInteger run = new AtomicInteger();
            Rounds r = new Rounds(rounds);
            r.run((round, label) -> {
                System.out.println(label + ":");
                for (Setting s : settings) {
                    long[] latencies = pass(ch, kafka, s, load, run.incrementAndGet());
                    r.record(s.name + " p50", percentile(latencies, 0.50));
                    r.record(s.name + " p99", percentile(latencies, 0.99));
                    r.record(s.name + " max", latencies[latencies.length - 1]);
                }
            });
            System.out.printf("%n%s, produce -> visible to a SELECT, ms:%n", r.heading());
            for (Setting s : settings) {
                System.out.printf("  %-45s p50 %s  p99 %s  max %s   (goal p99 <= %d ms: %s)%n", s.name,
                        r.summary(s.name + " p50", "%.0f"), r.summary(s.name + " p99", "%.0f"),
                        r.summary(s.name + " max", "%.0f"), s.goal.toMillis(),
                        r.median(s.name + " p99") <= s.goal.toMillis() ? "met" : "not met");
            }
        }
    }

    /** What the producer and the poller do in every pass. */
    private record Load(int rate, int seconds, int partitions, int pollMs, int settleMs) {
        int records() {
            return rate * seconds;
        }
    }

    /** One pass: a fresh topic, group and table; returns every record's latency in ms, sorted. */
    private static long[] pass(EmbeddedClickHouse ch, KafkaLocal kafka, Setting setting, Load load, int n)
            throws Exception {
        String topic = "latency-" + n;
        String table = "latency_" + n;
        String group = "latency-" + n;
        kafka.createTopic(topic, load.partitions);
        ch.query("DROP TABLE IF EXISTS bench." + table);
        ch.query("CREATE TABLE bench." + table + " (id UInt64, produced_ms UInt64, payload String)"
                + " ENGINE = MergeTree ORDER BY id");
        ch.query("SYSTEM STOP MERGES bench." + table); // one part per insert, so a new part is a new batch
        // The pipe, its inserts, the poller; daemon threads, so a failed pass cannot keep the JVM alive.
        ExecutorService threads = Executors.newFixedThreadPool(3, r -> {
            Thread t = new Thread(r, "latency-" + n);
            t.setDaemon(true);
            return t;
        });
        Pipe pipe = Pipe.builder().name(group)
                .source(KafkaSource.builder().bootstrapServers(kafka.bootstrapServers()).topics(topic).groupId(group)
                        .build())
                .decoder(Decoders.json())
                .sink(ClickHouseSink.builder().transport(ch).table("bench." + table).build())
                .insertExecutor(threads)
                .batching(setting.batching)
                .build();
        Poller poller = new Poller(ch, table, load.pollMs, load.records());
        try {
            Future<?> running = threads.submit(pipe);
            awaitAssignment(kafka, group, running);
            Thread.sleep(load.settleMs);
            Future<?> polling = threads.submit(poller);
            produce(kafka, topic, load);
            long deadline = System.nanoTime() + setting.batching.maxAge().toNanos() + TimeUnit.SECONDS.toNanos(60);
            while (!polling.isDone()) {
                if (System.nanoTime() > deadline || running.isDone()) {
                    throw new IllegalStateException("after " + load.seconds + " s of producing, " + poller.seen()
                            + " of " + load.records() + " records are visible; pipe " + pipe.metrics());
                }
                Thread.sleep(50);
            }
            polling.get();
        } finally {
            poller.stop = true;
            pipe.close();
            threads.shutdown();
            threads.awaitTermination(30, TimeUnit.SECONDS);
        }
        PipeMetrics m = pipe.metrics();
        String rows = ch.query("SELECT count(), uniqExact(id) FROM bench." + table).strip();
        if (!rows.equals(load.records() + "\t" + load.records()) || m.errorRows() != 0) {
            throw new IllegalStateException("bench." + table + " has (count, distinct ids) " + rows + ", expected "
                    + load.records() + " of each; error rows " + m.errorRows());
        }
        ch.query("DROP TABLE IF EXISTS bench." + table);
        long[] latencies = poller.latencies();
        System.out.printf("  %-45s p50 %5d ms  p99 %5d ms  max %5d ms  %d batches, %d polls%n", setting.name,
                percentile(latencies, 0.50), percentile(latencies, 0.99), latencies[latencies.length - 1],
                m.batches(), poller.polls);
        return latencies;
    }

    /** Waits until the group's member owns partitions of the topic: the join is not part of the latency. */
    private static void awaitAssignment(KafkaLocal kafka, String group, Future<?> running) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (Admin admin = kafka.admin()) {
            while (System.nanoTime() < deadline) {
                if (running.isDone()) {
                    running.get();
                    throw new IllegalStateException("the pipe stopped before it joined its group");
                }
                try {
                    ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all()
                            .get(10, TimeUnit.SECONDS).get(group);
                    if (d.members().stream().anyMatch(m -> !m.assignment().topicPartitions().isEmpty())) {
                        return;
                    }
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                        throw e;
                    }
                    // the consumer has not reached the coordinator yet
                }
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("group " + group + " got no partitions within 60 s");
    }

    /** {@code load.rate} records a second for {@code load.seconds}, each stamped with its send time. */
    private static void produce(KafkaLocal kafka, String topic, Load load) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        p.put("linger.ms", "5");
        AtomicReference<Exception> failed = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            long start = System.nanoTime();
            long intervalNanos = 1_000_000_000L / load.rate;
            for (int i = 0; i < load.records(); i++) {
                long due = start + i * intervalNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                byte[] value = ("{\"id\":" + i + ",\"produced_ms\":" + System.currentTimeMillis() + ",\"payload\":\""
                        + PAYLOAD + "\"}").getBytes(StandardCharsets.UTF_8);
                producer.send(new ProducerRecord<>(topic, i % load.partitions, null, value), (meta, e) -> {
                    if (e != null) {
                        failed.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
        }
        if (failed.get() != null) {
            throw new IllegalStateException("a send failed", failed.get());
        }
    }

    /**
     * Asks the engine every {@code pollMs} for the table's parts; the rows of a part it has not seen
     * before became visible at that poll's start, so their latency is that time minus their
     * {@code produced_ms}. Ends when every record was seen.
     */
    private static final class Poller implements Runnable {
        private final EmbeddedClickHouse ch;
        private final String table;
        private final int pollMs;
        private final int expected;
        private final Set<String> seenParts = new HashSet<>();
        private final List<Long> latencies = new ArrayList<>();
        volatile boolean stop;
        volatile int polls;

        Poller(EmbeddedClickHouse ch, String table, int pollMs, int expected) {
            this.ch = ch;
            this.table = table;
            this.pollMs = pollMs;
            this.expected = expected;
        }

        @Override
        public void run() {
            try {
                while (!stop && seen() < expected) {
                    long next = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pollMs);
                    poll();
                    LockSupport.parkNanos(next - System.nanoTime());
                }
            } catch (ClickHouseException e) {
                throw new IllegalStateException("a poll of bench." + table + " failed", e);
            }
        }

        private void poll() throws ClickHouseException {
            long at = System.currentTimeMillis();
            polls++;
            List<String> fresh = new ArrayList<>();
            for (String part : ch.query("SELECT name FROM system.parts WHERE database = 'bench' AND table = '"
                    + table + "' AND active").split("\n")) {
                if (!part.isBlank() && seenParts.add(part)) {
                    fresh.add(part);
                }
            }
            if (fresh.isEmpty()) {
                return;
            }
            String in = fresh.stream().map(s -> "'" + s + "'").collect(Collectors.joining(", "));
            String produced = ch.query("SELECT produced_ms FROM bench." + table + " WHERE _part IN (" + in + ")");
            synchronized (this) {
                for (String line : produced.split("\n")) {
                    if (!line.isBlank()) {
                        latencies.add(at - Long.parseLong(line));
                    }
                }
            }
        }

        synchronized int seen() {
            return latencies.size();
        }

        synchronized long[] latencies() {
            long[] v = latencies.stream().mapToLong(Long::longValue).toArray();
            Arrays.sort(v);
            return v;
        }
    }

    /** The nearest-rank percentile of sorted values. */
    private static long percentile(long[] sorted, double p) {
        return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
    }
}
