package dev.clickpipes.testservices;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A local Apache Kafka 4.3.1 broker (KRaft, broker and controller in one) for tests and the samples,
 * on 127.0.0.1 only, with a plaintext listener and a fresh log directory that {@link #close()}
 * deletes; in this JVM ({@link #start}) or in a child JVM of its own ({@link #startChildJvm}), so
 * that a benchmark's process CPU is the pipe's and not the broker's.
 */
public final class KafkaLocal implements AutoCloseable {

    /** What the child JVM prints on its standard output once its broker is up. */
    private static final String READY = "kafka-local ready";

    private final int port;
    private final Path dir;
    private final KafkaRaftServer server;
    private final Process child;

    private KafkaLocal(int port, Process child) {
        this.port = port;
        this.dir = null;
        this.server = null;
        this.child = child;
    }

    private KafkaLocal(int port, int controllerPort) throws Exception {
        this.port = port;
        this.child = null;
        this.dir = Files.createTempDirectory("clickpipes-kafka-local-");
        Map<String, Object> p = new HashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", dir.toString());
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        KafkaConfig config = new KafkaConfig(p, false);
        new Formatter().setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setClusterId(Uuid.randomUuid().toString()).setNodeId(1)
                .setDirectories(List.of(dir.toString())).setMetadataLogDirectory(dir.toString())
                .setControllerListenerName("CONTROLLER").setReleaseVersion(MetadataVersion.latestProduction())
                .run();
        server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        try (Admin admin = admin()) {
            admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
        }
    }

    /** Keeps the broker's INFO chatter out of the sample's output; call before anything logs. */
    public static void quietLogs() {
        for (String logger : List.of("kafka", "org.apache.kafka", "state.change.logger")) {
            System.setProperty("org.slf4j.simpleLogger.log." + logger, "warn");
        }
    }

    /** Starts a broker on 127.0.0.1:{@code port}, its controller on {@code controllerPort}. */
    public static KafkaLocal start(int port, int controllerPort) throws Exception {
        return new KafkaLocal(port, controllerPort);
    }

    /**
     * Starts a broker in a child JVM (this JVM's java and class path, {@code -Xmx1g}) and waits until
     * it serves; {@link #close()} stops it. Its log goes to this process's standard error.
     */
    public static KafkaLocal startChildJvm(int port, int controllerPort) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"), KafkaLocal.class.getName(),
                String.valueOf(port), String.valueOf(controllerPort))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); !READY.equals(line); line = out.readLine()) {
            if (line == null) {
                p.destroyForcibly();
                throw new IllegalStateException("the Kafka child JVM ended before its broker served on port " + port
                        + " (exit " + p.waitFor() + "; its log is above)");
            }
        }
        return new KafkaLocal(port, p);
    }

    /**
     * The child JVM of {@link #startChildJvm}: {@code KafkaLocal PORT CONTROLLER_PORT} runs a broker
     * until its standard input closes (the parent closed it, or died).
     */
    public static void main(String[] args) throws Exception {
        quietLogs();
        try (KafkaLocal kafka = start(Integer.parseInt(args[0]), Integer.parseInt(args[1]))) {
            System.out.println(READY);
            System.out.flush();
            while (System.in.read() >= 0) {
                // nothing comes on stdin; its end is the signal to stop
            }
        }
    }

    /** CPU seconds of the child JVM's broker so far; 0 when the broker runs in this JVM. */
    public double childCpuSeconds() {
        return child == null ? 0
                : child.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
    }

    /** {@code 127.0.0.1:port}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** An admin client of this broker; the caller closes it. */
    public Admin admin() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers());
        return Admin.create(p);
    }

    /** Creates a topic with this many partitions, replication 1. */
    public void createTopic(String name, int partitions) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(60, TimeUnit.SECONDS);
            // created is not led: a send before every partition has a leader can be refused and, from an
            // idempotent producer, lost to OUT_OF_ORDER_SEQUENCE_NUMBER on its retry
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!allLed(admin, name)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topic " + name + " has partitions without a leader after 60 s");
                }
                Thread.sleep(50);
            }
        }
    }

    /**
     * Sends the records and waits until the broker acknowledged every one; a record it did not
     * acknowledge within 60 s fails the call, naming its index, topic and partition and why, so a
     * test never waits for records that were never in the topic.
     *
     * <p>The producer ({@link #testProducer}) is not idempotent and sends one request per partition
     * at a time: a send refused right after a topic was created ({@code NOT_LEADER_OR_FOLLOWER}; a
     * leader that {@link #createTopic} saw can still be moving in) is retried in order, where an
     * idempotent producer's retries were refused with {@code OUT_OF_ORDER_SEQUENCE_NUMBER} and its
     * records lost.
     */
    public void send(List<ProducerRecord<byte[], byte[]>> records) throws InterruptedException {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(testProducer(bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
            for (ProducerRecord<byte[], byte[]> r : records) {
                sent.add(producer.send(r));
            }
            producer.flush();
            for (int i = 0; i < sent.size(); i++) {
                try {
                    sent.get(i).get();
                } catch (ExecutionException e) {
                    ProducerRecord<byte[], byte[]> r = records.get(i);
                    throw new IllegalStateException("record " + i + " of " + records.size() + " (topic " + r.topic()
                            + ", partition " + (r.partition() == null ? "by key" : r.partition()) + ") was not sent: "
                            + e.getCause(), e.getCause());
                }
            }
        }
    }

    /**
     * The settings of a test producer of {@code bootstrapServers}, as {@link #send} uses them: all
     * replicas acknowledge, not idempotent (an idempotent producer first asks the broker for a
     * producer id, and its retries of a send refused right after topic creation were refused with
     * {@code OUT_OF_ORDER_SEQUENCE_NUMBER}), one request in flight per connection (each partition's
     * records in order), a record given up after 60 s.
     */
    public static Properties testProducer(String bootstrapServers) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers);
        p.put("acks", "all");
        p.put("enable.idempotence", "false");
        p.put("max.in.flight.requests.per.connection", "1");
        p.put("linger.ms", "5");
        p.put("request.timeout.ms", "15000");
        p.put("delivery.timeout.ms", "60000");
        return p;
    }

    /** Whether every partition has a leader; false too while the broker does not know the topic it just created. */
    private static boolean allLed(Admin admin, String topic) throws Exception {
        try {
            return admin.describeTopics(List.of(topic)).allTopicNames().get(60, TimeUnit.SECONDS).get(topic).partitions()
                    .stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public void close() {
        if (child != null) {
            try {
                child.getOutputStream().close();
                if (!child.waitFor(60, TimeUnit.SECONDS)) {
                    child.destroyForcibly();
                }
            } catch (IOException | InterruptedException e) {
                child.destroyForcibly();
            }
            return;
        }
        server.shutdown();
        server.awaitShutdown();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temp directory: the OS cleans it
        }
    }
}
