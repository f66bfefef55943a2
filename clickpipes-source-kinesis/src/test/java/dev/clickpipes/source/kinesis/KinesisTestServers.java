package dev.clickpipes.source.kinesis;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.CreateStreamRequest;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamSummaryResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * kinesis-mock (npm kinesis-local) and DynamoDB Local as processes on this module's loopback ports,
 * installed by {@code scripts/deps/kinesis.sh}. kinesis-mock has no host setting and binds every
 * interface; clients here use 127.0.0.1 only. One instance per test class: start, then close.
 */
final class KinesisTestServers implements AutoCloseable {

    static final int KINESIS_PORT = 19100;
    static final int KINESIS_TLS_PORT = 19101;
    static final int DYNAMODB_PORT = 19102;
    static final Region REGION = Region.US_EAST_1;
    static final String ACCOUNT = "000000000000";
    static final AwsAuth AUTH = AwsAuth.staticKeys("AKIDTEST", "test-secret");

    private final int kinesisPort;
    private final int kinesisTlsPort;
    private final int dynamoDbPort;
    private final List<Process> processes = new ArrayList<>();
    private final Thread hook = new Thread(this::destroy, "kinesis-test-servers-stop");
    private KinesisAsyncClient client;

    private KinesisTestServers(int kinesisPort, int kinesisTlsPort, int dynamoDbPort) {
        this.kinesisPort = kinesisPort;
        this.kinesisTlsPort = kinesisTlsPort;
        this.dynamoDbPort = dynamoDbPort;
    }

    static Path cache() {
        String dir = System.getProperty("clickpipes.cache");
        if (dir == null || dir.isBlank()) {
            dir = System.getenv().getOrDefault("CLICKPIPES_CACHE", System.getProperty("user.home") + "/.cache/clickpipes");
        }
        return Path.of(dir);
    }

    /** On this module's ports ({@value #KINESIS_PORT}, {@value #KINESIS_TLS_PORT}, {@value #DYNAMODB_PORT}). */
    static KinesisTestServers start() throws Exception {
        return start(KINESIS_PORT, KINESIS_TLS_PORT, DYNAMODB_PORT);
    }

    /** On other ports, for a test class that must not meet the others' servers. */
    static KinesisTestServers start(int kinesisPort, int kinesisTlsPort, int dynamoDbPort) throws Exception {
        Path mock = cache().resolve("kinesis/node_modules/kinesis-local/main.js");
        Path ddb = cache().resolve("dynamodb-local");
        if (!Files.isRegularFile(mock) || !Files.isDirectory(ddb.resolve("lib")) || !Files.isDirectory(ddb.resolve("natives"))) {
            throw new IllegalStateException("kinesis-mock or DynamoDB Local is not installed under " + cache()
                    + ": run scripts/deps/kinesis.sh");
        }
        KinesisTestServers s = new KinesisTestServers(kinesisPort, kinesisTlsPort, dynamoDbPort);
        Runtime.getRuntime().addShutdownHook(s.hook);
        try {
            Path logs = Path.of("target");
            Files.createDirectories(logs);
            ProcessBuilder node = new ProcessBuilder("node", mock.toString())
                    .redirectErrorStream(true).redirectOutput(logs.resolve("kinesis-mock-" + kinesisPort + ".log").toFile());
            node.environment().put("KINESIS_MOCK_PLAIN_PORT", String.valueOf(kinesisPort));
            node.environment().put("KINESIS_MOCK_TLS_PORT", String.valueOf(kinesisTlsPort));
            node.environment().put("KINESIS_MOCK_CERT_PATH", mock.resolveSibling("server.json").toString());
            node.environment().put("AWS_REGION", REGION.id());
            node.environment().put("LOG_LEVEL", "WARN");
            for (String d : List.of("CREATE_STREAM_DURATION", "UPDATE_SHARD_COUNT_DURATION", "SPLIT_SHARD_DURATION",
                    "MERGE_SHARDS_DURATION", "REGISTER_STREAM_CONSUMER_DURATION", "DELETE_STREAM_DURATION",
                    "DEREGISTER_STREAM_CONSUMER_DURATION")) {
                node.environment().put(d, "100ms");
            }
            s.processes.add(node.start());

            // Only this module's test classes (the launcher), not ours: DynamoDB Local brings its own SDK.
            String classpath = DynamoDbLocalOnLoopback.class.getProtectionDomain().getCodeSource().getLocation().getPath();
            ProcessBuilder dynamo = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-Djava.library.path=" + ddb.resolve("natives"), "-Dsqlite4java.library.path=" + ddb.resolve("natives"),
                    "-cp", classpath + File.pathSeparator + ddb.resolve("lib") + File.separator + "*",
                    DynamoDbLocalOnLoopback.class.getName(), String.valueOf(dynamoDbPort))
                    .redirectErrorStream(true).redirectOutput(logs.resolve("dynamodb-local-" + dynamoDbPort + ".log").toFile());
            s.processes.add(dynamo.start());

            waitForPort(kinesisPort, Duration.ofSeconds(60), s.processes.get(0), "kinesis-mock (see target/kinesis-mock-" + kinesisPort + ".log)");
            waitForPort(dynamoDbPort, Duration.ofSeconds(60), s.processes.get(1), "DynamoDB Local (see target/dynamodb-local-" + dynamoDbPort + ".log)");
            s.client = KinesisAsyncClient.builder().region(REGION)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "test-secret")))
                    .endpointOverride(s.kinesisEndpoint()).build();
            return s;
        } catch (Exception e) {
            s.close();
            throw e;
        }
    }

    private static void waitForPort(int port, Duration limit, Process process, String what) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(what + " exited with " + process.exitValue());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException(what + " did not listen on 127.0.0.1:" + port + " within " + limit);
    }

    URI kinesisEndpoint() {
        return URI.create("http://127.0.0.1:" + kinesisPort);
    }

    URI dynamoDbEndpoint() {
        return URI.create("http://127.0.0.1:" + dynamoDbPort);
    }

    KinesisAsyncClient client() {
        return client;
    }

    /** A source builder pointed at these servers, with the test-speed KCL settings. */
    KinesisSource.Builder source(String stream, String workerId) {
        return source(kinesisEndpoint(), dynamoDbEndpoint(), stream, workerId);
    }

    /**
     * A source builder pointed at servers on those endpoints (also for a child JVM that has only
     * their addresses), with the test-speed KCL settings: a 3 s lease failover, lease assignment
     * every second, a 6 s leader lock, shard syncs every 2 s, polls every 200 ms.
     */
    static KinesisSource.Builder source(URI kinesis, URI dynamoDb, String stream, String workerId) {
        return KinesisSource.builder()
                .stream(stream)
                .region(REGION)
                .endpointOverride(kinesis)
                .dynamoDbEndpointOverride(dynamoDb)
                .cloudWatchEndpointOverride(URI.create("http://127.0.0.1:9"))
                .auth(AUTH)
                .workerId(workerId)
                .workerMetrics(false)
                .failoverTime(Duration.ofSeconds(3))
                .leaseAssignmentInterval(Duration.ofSeconds(1))
                .leaderLockDuration(Duration.ofSeconds(6))
                .leaderLockHeartbeat(Duration.ofSeconds(2))
                .shardSyncInterval(Duration.ofSeconds(2))
                .parentShardPollInterval(Duration.ofMillis(500))
                .pollInterval(Duration.ofMillis(200));
    }

    /** Creates a stream and waits until it is ACTIVE. */
    void createStream(String name, int shards) throws Exception {
        client.createStream(CreateStreamRequest.builder().streamName(name).shardCount(shards).build()).get();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            DescribeStreamSummaryResponse d = client.describeStreamSummary(b -> b.streamName(name)).get();
            if (d.streamDescriptionSummary().streamStatus() == StreamStatus.ACTIVE) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("stream " + name + " did not become ACTIVE");
    }

    /** Waits until the stream is ACTIVE again (after a reshard). */
    void awaitActive(String name) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (client.describeStreamSummary(b -> b.streamName(name)).get().streamDescriptionSummary().streamStatus()
                    == StreamStatus.ACTIVE) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("stream " + name + " did not become ACTIVE");
    }

    /** Puts JSON records {@code {"id": n, "payload": "..."}} for ids [from, to), 500 per request, retrying failed entries. */
    void put(String stream, long from, long to) throws Exception {
        for (long start = from; start < to; start += 500) {
            List<PutRecordsRequestEntry> entries = new ArrayList<>();
            for (long id = start; id < Math.min(to, start + 500); id++) {
                entries.add(PutRecordsRequestEntry.builder().partitionKey("k" + id)
                        .data(SdkBytes.fromUtf8String("{\"id\":" + id + ",\"payload\":\"p" + id + "\"}")).build());
            }
            putAll(stream, entries);
        }
    }

    void putAll(String stream, List<PutRecordsRequestEntry> entries) throws Exception {
        List<PutRecordsRequestEntry> pending = entries;
        for (int attempt = 0; !pending.isEmpty(); attempt++) {
            if (attempt > 20) {
                throw new IllegalStateException("PutRecords kept failing for " + pending.size() + " records");
            }
            PutRecordsResponse r = client.putRecords(PutRecordsRequest.builder().streamName(stream).records(pending).build()).get();
            List<PutRecordsRequestEntry> failed = new ArrayList<>();
            for (int i = 0; i < pending.size(); i++) {
                if (r.records().get(i).errorCode() != null) {
                    failed.add(pending.get(i));
                }
            }
            pending = failed;
            if (!failed.isEmpty()) {
                Thread.sleep(100L * (attempt + 1));
            }
        }
    }

    private void destroy() {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        processes.clear();
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
        destroy();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down
        }
    }

}
