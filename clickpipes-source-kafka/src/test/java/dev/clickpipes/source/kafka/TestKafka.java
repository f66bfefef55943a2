package dev.clickpipes.source.kafka;

import dev.clickpipes.testservices.KafkaLocal;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
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
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One real Apache Kafka 4.3.1 KRaft broker (broker and controller in one) per test JVM, in-process,
 * listening on 127.0.0.1 only: PLAINTEXT, SASL_PLAINTEXT (PLAIN, SCRAM-SHA-256/512), SSL, SASL_SSL
 * and SSL with required client certificates. Stopped by a shutdown hook at the end of the run.
 */
final class TestKafka {

    private static final Logger LOG = LoggerFactory.getLogger(TestKafka.class);

    /** The first of the broker's six ports; {@code -Dclickpipes.kafka.port=P} moves them (to run a class beside another build). */
    private static final int BASE = Integer.getInteger("clickpipes.kafka.port", 19090);
    static final int PLAINTEXT = BASE;
    static final int SASL_PLAINTEXT = BASE + 1;
    static final int SSL = BASE + 2;
    static final int SASL_SSL = BASE + 3;
    static final int MTLS = BASE + 4;
    static final int CONTROLLER = BASE + 5;

    static final String USER = "alice";
    static final String PASSWORD = "alice-secret-7";

    private static TestKafka shared;

    final Path dir;
    final TestCertificates certs;
    private final KafkaConfig config;
    private KafkaRaftServer server;

    private TestKafka(Path dir) throws Exception {
        this.dir = dir;
        this.certs = new TestCertificates(dir.resolve("certs"));
        Path logs = dir.resolve("logs");
        Map<String, Object> p = new HashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + CONTROLLER);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + PLAINTEXT + ",SASL_PLAINTEXT://127.0.0.1:" + SASL_PLAINTEXT
                + ",SSL://127.0.0.1:" + SSL + ",SASL_SSL://127.0.0.1:" + SASL_SSL + ",MTLS://127.0.0.1:" + MTLS
                + ",CONTROLLER://127.0.0.1:" + CONTROLLER);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + PLAINTEXT + ",SASL_PLAINTEXT://127.0.0.1:"
                + SASL_PLAINTEXT + ",SSL://127.0.0.1:" + SSL + ",SASL_SSL://127.0.0.1:" + SASL_SSL
                + ",MTLS://127.0.0.1:" + MTLS);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,SSL:SSL,"
                + "SASL_SSL:SASL_SSL,MTLS:SSL,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logs.toString());
        p.put("num.partitions", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "2");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("log.flush.interval.messages", "1000000");
        // SASL: PLAIN users live in the JAAS line; SCRAM users are made with the Admin API.
        p.put("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512");
        for (String listener : List.of("sasl_plaintext", "sasl_ssl")) {
            p.put("listener.name." + listener + ".plain.sasl.jaas.config",
                    "org.apache.kafka.common.security.plain.PlainLoginModule required user_" + USER + "=\"" + PASSWORD + "\";");
            p.put("listener.name." + listener + ".scram-sha-256.sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required;");
            p.put("listener.name." + listener + ".scram-sha-512.sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        }
        p.put("ssl.keystore.type", "PKCS12");
        p.put("ssl.keystore.location", certs.brokerKeystore.toString());
        p.put("ssl.keystore.password", TestCertificates.STORE_PASSWORD);
        p.put("ssl.key.password", TestCertificates.STORE_PASSWORD);
        p.put("ssl.truststore.type", "PKCS12");
        p.put("ssl.truststore.location", certs.truststore.toString());
        p.put("ssl.truststore.password", TestCertificates.STORE_PASSWORD);
        p.put("listener.name.mtls.ssl.client.auth", "required");
        config = new KafkaConfig(p, false);

        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setClusterId(Uuid.randomUuid().toString())
                .setNodeId(1)
                .setDirectories(List.of(logs.toString()))
                .setMetadataLogDirectory(logs.toString())
                .setControllerListenerName("CONTROLLER")
                .setReleaseVersion(MetadataVersion.latestProduction())
                .run();
        start();
        addScramUser(USER, PASSWORD);
    }

    /** The JVM's broker, started on first use. */
    static synchronized TestKafka shared() {
        if (shared == null) {
            try {
                Path dir = Files.createTempDirectory("clickpipes-kafka-");
                shared = new TestKafka(dir);
                Runtime.getRuntime().addShutdownHook(new Thread(shared::stopAndDelete, "test-kafka-stop"));
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the test Kafka broker on 127.0.0.1:19090-19095: " + e, e);
            }
        }
        return shared;
    }

    private void start() {
        server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        // Wait until the broker answers on its plaintext listener.
        try (Admin admin = admin()) {
            admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the test broker did not come up: " + e, e);
        }
    }

    private void stop() {
        server.shutdown();
        server.awaitShutdown();
    }

    /** Stops the broker and starts it again on the same log directory and ports. */
    synchronized void restart() {
        stop();
        start();
    }

    /** Stops the broker and starts it after {@code pause}, on the same log directory and ports. */
    synchronized void restart(long pauseMillis) throws InterruptedException {
        stop();
        Thread.sleep(pauseMillis);
        start();
    }

    private void stopAndDelete() {
        try {
            stop();
        } catch (RuntimeException e) {
            // the JVM is exiting: nothing more to do
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // temp files; the OS cleans them
        }
    }

    static String bootstrap(int port) {
        return "127.0.0.1:" + port;
    }

    Admin admin() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap(PLAINTEXT));
        return Admin.create(p);
    }

    private void addScramUser(String user, String password) throws Exception {
        try (Admin admin = admin()) {
            // One mechanism a request: the broker refuses two changes to one user in one request.
            for (ScramMechanism m : List.of(ScramMechanism.SCRAM_SHA_256, ScramMechanism.SCRAM_SHA_512)) {
                admin.alterUserScramCredentials(List.of(
                        new UserScramCredentialUpsertion(user, new ScramCredentialInfo(m, 4096), password)))
                        .all().get(60, TimeUnit.SECONDS);
            }
        }
    }

    /** Creates the topic and waits until the broker knows a leader for each of its partitions. */
    void createTopic(String name, int partitions) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(60, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!allPartitionsLed(admin, name)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topic " + name + " has partitions without a leader after 60 s");
                }
                Thread.sleep(50);
            }
        }
    }

    private static boolean allPartitionsLed(Admin admin, String topic) throws Exception {
        try {
            return admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic)
                    .partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty());
        } catch (ExecutionException e) {
            return false; // not in the broker's metadata yet
        }
    }

    /**
     * A producer for the tests' records. Not idempotent: an idempotent producer first asks the broker
     * for a producer id, and while that request is outstanding its records neither go out nor time
     * out (once on CI a produce waited 120 s there). What the tests check is the pipe, and their
     * checks allow duplicates where a broker restart can cause them.
     */
    KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(KafkaLocal.testProducer(bootstrap(PLAINTEXT)), new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    /** Sends value i to partition i % partitions and waits until all are acknowledged. */
    void produce(String topic, int partitions, List<byte[]> values) throws Exception {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            records.add(new ProducerRecord<>(topic, i % partitions, null, values.get(i)));
        }
        send(records);
    }

    /**
     * Sends the records and waits until all are acknowledged. Records that were not acknowledged in
     * time are sent again by a new producer, up to three attempts (so a record may arrive twice).
     */
    void send(List<ProducerRecord<byte[], byte[]>> records) throws Exception {
        List<ProducerRecord<byte[], byte[]>> pending = records;
        for (int attempt = 1; ; attempt++) {
            List<ProducerRecord<byte[], byte[]>> failed = new ArrayList<>();
            Exception lastFailure = null;
            try (KafkaProducer<byte[], byte[]> producer = producer()) {
                List<Future<RecordMetadata>> sent = new ArrayList<>();
                for (ProducerRecord<byte[], byte[]> r : pending) {
                    sent.add(producer.send(r));
                }
                for (int i = 0; i < sent.size(); i++) {
                    try {
                        sent.get(i).get(90, TimeUnit.SECONDS);
                    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                        failed.add(pending.get(i));
                        lastFailure = e;
                    }
                }
            }
            if (failed.isEmpty()) {
                return;
            }
            if (attempt == 3) {
                throw new IllegalStateException(failed.size() + " records not acknowledged after 3 attempts", lastFailure);
            }
            LOG.warn("{} of {} records not acknowledged ({}); sending them again", failed.size(), pending.size(), lastFailure.toString());
            pending = failed;
        }
    }
}
