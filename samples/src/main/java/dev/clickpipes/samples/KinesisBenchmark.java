package dev.clickpipes.samples;

import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.core.PipeMetrics;
import dev.clickpipes.format.Decoders;
import dev.clickpipes.source.kinesis.AwsAuth;
import dev.clickpipes.source.kinesis.KinesisSource;
import dev.clickpipes.source.kinesis.KinesisStartPosition;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * Kinesis benchmark on local parts: kinesis-mock (Node) and DynamoDB Local for KCL's leases, into the
 * embedded ClickHouse engine, with the library's default batching (100 000 rows, 20 MB, 5 s).
 * <ol>
 * <li>Throughput, warm-up rounds ({@link Rounds}) and R measured rounds, each on a stream of its own: N JSON events
 * are put first, then one pipe reads them from TRIM_HORIZON; prints records/s and MB/s of wall time
 * from the first record read to the last commit (KCL's start-up left out), and per CPU-second of the
 * pipe's thread ("per pipe core") and of this whole JVM (KCL, the SDK and the engine included;
 * kinesis-mock and DynamoDB Local run in their own processes), as median, min and max.</li>
 * <li>Latency: events are put at a steady rate while the pipe runs, once it reads (the events put
 * until then are its warm-up); each one's time from PutRecords returning to the row being visible
 * to a SELECT; prints p50 and p99 over all of them (a distribution over many events, not rounds).</li>
 * </ol>
 *
 * <pre>KinesisBenchmark [--events N] [--rounds R] [--shards S] [--rate R/s] [--seconds T]</pre>
 */
public final class KinesisBenchmark {

    private static final int BASE_PORT = 19110;
    private static final Region REGION = Region.US_EAST_1;
    private static final AwsAuth AUTH = AwsAuth.staticKeys("AKIDBENCH", "bench-secret");

    private KinesisBenchmark() {
    }

    /** Runs the benchmark. */
    public static void main(String[] args) throws Exception {
        int events = 200_000;
        int shards = 4;
        int rate = 500;
        int seconds = 40;
        int rounds = Rounds.DEFAULT;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--events" -> events = Integer.parseInt(args[++i]);
                case "--shards" -> shards = Integer.parseInt(args[++i]);
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException(
                        "usage: KinesisBenchmark [--events N] [--rounds R] [--shards S] [--rate R] [--seconds T]");
            }
        }
        EmbeddedClickHouse ch = EmbeddedClickHouse.shared();
        try (KinesisLocal local = KinesisLocal.start(BASE_PORT);
                KinesisAsyncClient kinesis = KinesisAsyncClient.builder().region(REGION).endpointOverride(local.kinesis())
                        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDBENCH", "bench-secret")))
                        .build()) {
            System.out.printf("kinesis-mock + DynamoDB Local -> embedded ClickHouse %s, %d cores, %d shards%n",
                    ch.query("SELECT version()").strip(), Runtime.getRuntime().availableProcessors(), shards);
            ch.query("DROP DATABASE IF EXISTS kbench");
            ch.query("CREATE DATABASE kbench");
            Rounds r = new Rounds(rounds);
            int n = events;
            int s = shards;
            r.run((round, label) -> throughput(ch, local, kinesis, n, s, round, label, r));
            System.out.printf("throughput, %s:%n"
                    + "  wall:            %s records/s  %s MB/s%n"
                    + "  per pipe core:   %s records/s  %s MB/s%n"
                    + "  per JVM CPU-s:   %s records/s  %s MB/s%n", r.heading(),
                    r.summary("wall records/s", "%,.0f"), r.summary("wall MB/s", "%.1f"),
                    r.summary("pipe records/s", "%,.0f"), r.summary("pipe MB/s", "%.1f"),
                    r.summary("jvm records/s", "%,.0f"), r.summary("jvm MB/s", "%.1f"));
            latency(ch, local, kinesis, shards, rate, seconds);
            ch.query("DROP DATABASE IF EXISTS kbench");
        }
        System.exit(0);
    }

    private static String event(long id, long putMillis) {
        return "{\"id\":" + id + ",\"ts\":" + putMillis + ",\"user\":\"user-" + (id % 9973) + "\",\"event\":\""
                + (id % 3 == 0 ? "click" : "view") + "\",\"value\":" + (id % 1000) / 10.0
                + ",\"page\":\"/products/" + (id % 500) + "\",\"ua\":\"Mozilla/5.0 (X11; Linux x86_64)\"}";
    }

    private static void createStream(KinesisAsyncClient kinesis, String name, int shards) throws Exception {
        kinesis.createStream(b -> b.streamName(name).shardCount(shards)).get();
        while (kinesis.describeStreamSummary(b -> b.streamName(name)).get().streamDescriptionSummary().streamStatus()
                != StreamStatus.ACTIVE) {
            Thread.sleep(100);
        }
    }

    /** Puts ids [from, to), 500 per request, a few requests in flight; retries throttled entries. */
    private static long put(KinesisAsyncClient kinesis, String stream, long from, long to) throws Exception {
        long bytes = 0;
        List<CompletableFuture<Void>> inFlight = new ArrayList<>();
        for (long start = from; start < to; start += 500) {
            List<PutRecordsRequestEntry> entries = new ArrayList<>();
            for (long id = start; id < Math.min(to, start + 500); id++) {
                byte[] body = event(id, System.currentTimeMillis()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                bytes += body.length;
                entries.add(PutRecordsRequestEntry.builder().partitionKey("k" + id).data(SdkBytes.fromByteArray(body)).build());
            }
            inFlight.add(putAll(kinesis, stream, entries));
            if (inFlight.size() >= 2) {
                inFlight.remove(0).get();
            }
        }
        for (CompletableFuture<Void> f : inFlight) {
            f.get();
        }
        return bytes;
    }

    private static CompletableFuture<Void> putAll(KinesisAsyncClient kinesis, String stream, List<PutRecordsRequestEntry> entries) {
        return kinesis.putRecords(b -> b.streamName(stream).records(entries)).thenCompose((PutRecordsResponse r) -> {
            List<PutRecordsRequestEntry> failed = new ArrayList<>();
            for (int i = 0; i < entries.size(); i++) {
                if (r.records().get(i).errorCode() != null) {
                    failed.add(entries.get(i));
                }
            }
            return failed.isEmpty() ? CompletableFuture.completedFuture(null) : putAll(kinesis, stream, failed);
        });
    }

    private static KinesisSource source(KinesisLocal local, String stream) {
        return KinesisSource.builder().stream(stream).region(REGION).auth(AUTH)
                .endpointOverride(local.kinesis()).dynamoDbEndpointOverride(local.dynamoDb())
                .startFrom(KinesisStartPosition.trimHorizon())
                .workerId("bench").workerMetrics(false)
                // Start-up only (leader lock, lease assignment); reading uses the defaults.
                .failoverTime(Duration.ofSeconds(3)).leaseAssignmentInterval(Duration.ofSeconds(1))
                .leaderLockDuration(Duration.ofSeconds(6)).leaderLockHeartbeat(Duration.ofSeconds(2))
                .build();
    }

    private static Pipe pipe(EmbeddedClickHouse ch, String name, KinesisSource source, String table) {
        return Pipe.builder().name(name).source(source).decoder(Decoders.json())
                .sink(ClickHouseSink.builder().transport(ch).table(table).build()).build();
    }

    private static void createTable(EmbeddedClickHouse ch, String table) throws Exception {
        ch.query("CREATE TABLE " + table + " (id UInt64, ts UInt64, user String, event LowCardinality(String), value Float64,"
                + " page String, ua String, _shard_id String, _timestamp DateTime64(3)) ENGINE = MergeTree ORDER BY id");
    }

    private static void throughput(EmbeddedClickHouse ch, KinesisLocal local, KinesisAsyncClient kinesis, int events, int shards,
            int round, String label, Rounds r) throws Exception {
        String stream = "bench-throughput-" + round;
        createStream(kinesis, stream, shards);
        long t = System.nanoTime();
        long bytes = put(kinesis, stream, 0, events);
        System.out.printf("put %,d events (%,d bytes, %.0f B/event) in %.1f s%n", events, bytes, (double) bytes / events,
                (System.nanoTime() - t) / 1e9);
        String table = "kbench.throughput_" + round;
        createTable(ch, table);
        Pipe pipe = pipe(ch, "kbench-throughput-" + round, source(local, stream), table);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        AtomicLong pipeThread = new AtomicLong();
        Thread runner = new Thread(() -> {
            pipeThread.set(Thread.currentThread().threadId());
            pipe.run();
        }, "pipe");
        runner.start();
        long start = 0;
        long cpuStart = 0;
        long processCpuStart = 0;
        while (true) {
            PipeMetrics m = pipe.metrics();
            if (start == 0 && m.recordsRead() > 0) {
                start = System.nanoTime();
                cpuStart = threads.getThreadCpuTime(pipeThread.get());
                processCpuStart = processCpu();
            }
            if (m.committedRows() >= events) {
                break;
            }
            Thread.sleep(5);
        }
        long wall = System.nanoTime() - start;
        long pipeCpu = threads.getThreadCpuTime(pipeThread.get()) - cpuStart;
        long jvmCpu = processCpu() - processCpuStart;
        pipe.close();
        runner.join();
        long rows = ch.queryLong("SELECT count() FROM " + table);
        if (rows != events) {
            throw new IllegalStateException(table + " has " + rows + " rows, " + events + " were put");
        }
        double mb = bytes / 1e6;
        System.out.printf("throughput %-8s %,d rows in %.2f s from first read to last commit: wall %,.0f records/s %.1f MB/s;"
                + " pipe thread CPU %.2f s (%.1f MB/s); whole JVM CPU %.2f s (%.1f MB/s)%n", label, rows, wall / 1e9,
                events / (wall / 1e9), mb / (wall / 1e9), pipeCpu / 1e9, mb / (pipeCpu / 1e9), jvmCpu / 1e9, mb / (jvmCpu / 1e9));
        r.record("wall records/s", events / (wall / 1e9));
        r.record("wall MB/s", mb / (wall / 1e9));
        r.record("pipe records/s", events / (pipeCpu / 1e9));
        r.record("pipe MB/s", mb / (pipeCpu / 1e9));
        r.record("jvm records/s", events / (jvmCpu / 1e9));
        r.record("jvm MB/s", mb / (jvmCpu / 1e9));
    }

    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static void latency(EmbeddedClickHouse ch, KinesisLocal local, KinesisAsyncClient kinesis, int shards, int rate,
            int seconds) throws Exception {
        String stream = "bench-latency";
        createStream(kinesis, stream, shards);
        String table = "kbench.latency";
        createTable(ch, table);
        Pipe pipe = pipe(ch, "kbench-latency", source(local, stream), table);
        Thread runner = new Thread(pipe, "pipe");
        runner.start();
        // Wait until the pipe reads (KCL start-up is not part of the latency).
        long id = 0;
        while (ch.queryLong("SELECT count() FROM " + table) == 0) {
            put(kinesis, stream, 1_000_000_000L + id, 1_000_000_000L + id + 10);
            id += 10;
            Thread.sleep(1000);
        }
        int total = rate * seconds;
        long[] putAt = new long[total];
        long[] seenAt = new long[total];
        BitSet seen = new BitSet(total);
        int perTick = Math.max(1, rate / 10);
        long next = System.nanoTime();
        int sent = 0;
        int lowestUnseen = 0;
        long lastPoll = 0;
        while (seen.cardinality() < total) {
            long now = System.nanoTime();
            if (sent < total && now >= next) {
                int n = Math.min(perTick, total - sent);
                List<PutRecordsRequestEntry> entries = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    entries.add(PutRecordsRequestEntry.builder().partitionKey("k" + (sent + i))
                            .data(SdkBytes.fromUtf8String(event(sent + i, System.currentTimeMillis()))).build());
                }
                putAll(kinesis, stream, entries).get();
                long done = System.nanoTime();
                Arrays.fill(putAt, sent, sent + n, done);
                sent += n;
                next += 100_000_000L;
            }
            if (now - lastPoll >= 50_000_000L) {
                lastPoll = now;
                for (List<String> row : ch.queryRows("SELECT id FROM " + table + " WHERE id >= " + lowestUnseen
                        + " AND id < " + total)) {
                    int i = Integer.parseInt(row.get(0));
                    if (!seen.get(i)) {
                        seen.set(i);
                        seenAt[i] = System.nanoTime();
                    }
                }
                lowestUnseen = seen.nextClearBit(0);
            }
            Thread.sleep(5);
            if (now - next > Duration.ofMinutes(3).toNanos()) {
                throw new IllegalStateException("rows stopped arriving: " + seen.cardinality() + " of " + total);
            }
        }
        pipe.close();
        runner.join();
        double[] ms = new double[total];
        for (int i = 0; i < total; i++) {
            ms[i] = (seenAt[i] - putAt[i]) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf("latency (put -> visible in ClickHouse, default batching, %d events at %d/s): p50 %.0f ms, p99 %.0f ms,"
                + " max %.0f ms%n", total, rate, ms[total / 2], ms[(int) (total * 0.99)], ms[total - 1]);
    }
}
