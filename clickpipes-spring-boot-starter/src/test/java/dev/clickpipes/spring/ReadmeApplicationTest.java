package dev.clickpipes.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clickpipes.clickhouse.http.HttpTransport;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.core.PipeListener;
import dev.clickpipes.core.PipeMetrics;
import dev.clickpipes.source.memory.NdjsonFileSource;
import dev.clickpipes.testservices.ChdbServerProcess;
import dev.clickpipes.testservices.KafkaLocal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.IndicatedHealthDescriptor;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The README's application.yml as it is, in a Spring Boot application: a real KRaft broker and a file into the
 * 26.5 engine over HTTP; the context's close commits the group's offsets and the file's checkpoint.
 */
class ReadmeApplicationTest {

    private static final int KAFKA_PORT = 20935; // these three: no other test class uses them
    private static final int CONTROLLER_PORT = 20936;
    private static final int CLICKHOUSE_PORT = 20937;
    private static final String BOOTSTRAP = "127.0.0.1:" + KAFKA_PORT;

    private static KafkaLocal kafka;
    private static ChdbServerProcess server;
    private static HttpTransport client;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaLocal.start(KAFKA_PORT, CONTROLLER_PORT);
        kafka.createTopic("orders", 3);
        server = ChdbServerProcess.builder().port(CLICKHOUSE_PORT).start();
        client = HttpTransport.builder().endpoint(server.endpoint()).credentials(server.user(), server.password()).build();
        client.query("CREATE DATABASE IF NOT EXISTS analytics");
        client.query("CREATE TABLE analytics.orders (id UInt64, customer String, _partition UInt32) ENGINE = MergeTree ORDER BY id");
        client.query("CREATE TABLE analytics.events (id UInt64, user_id String, amount Float64) ENGINE = MergeTree ORDER BY id");
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    /** The application of the README: its application.yml as it is, with Actuator's health and the clickpipes endpoint. */
    @SpringBootApplication
    static class ReadmeApplication {
    }

    @Test
    void theReadmesApplicationYmlMovesKafkaAndAFileIntoClickHouseAndCommitsBothWhenItCloses() throws Exception {
        int orders = 5_000;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", BOOTSTRAP,
                "key.serializer", StringSerializer.class.getName(), "value.serializer", StringSerializer.class.getName()))) {
            for (int i = 0; i < orders; i++) {
                producer.send(new ProducerRecord<>("orders", "k" + i, "{\"id\": " + i + ", \"customer\": \"c" + i % 13 + "\"}"));
            }
        }
        Path events = dir.resolve("events.ndjson");
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= 3_000; i++) {
            lines.add(i == 777 ? "{\"id\": 777, \"userId\": \"u\", \"amount\": \"lots\"}"
                    : "{\"id\": " + i + ", \"UserId\": \"user-" + i % 101 + "\", \"amount\": " + i + "}");
        }
        Files.write(events, lines);
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        ConfigurableApplicationContext context = new SpringApplicationBuilder(ReadmeApplication.class)
                .web(WebApplicationType.NONE)
                .initializers(ctx -> ctx.getBeanFactory().registerSingleton("threadProbe", new PipeListener() {
                    @Override
                    public void onStarted(Pipe pipe) {
                        ranOn.set(Thread.currentThread());
                    }
                }))
                .properties("KAFKA_BOOTSTRAP=" + BOOTSTRAP, "EVENTS_FILE=" + events, "CLICKHOUSE_URL=" + server.endpoint(),
                        "CLICKHOUSE_USER=" + server.user(), "CLICKHOUSE_PASSWORD=" + server.password())
                .run();
        try {
            Map<String, RunningPipe> pipes = context.getBean(ClickPipes.class).pipes();
            RunningPipe ordersPipe = pipes.get("orders");
            RunningPipe eventsPipe = pipes.get("events");
            await(() -> eventsPipe.status() == PipeStatus.FINISHED && ordersPipe.metrics().recordsRead() == orders,
                    "the file read through and every order read: " + eventsPipe.status() + ", " + ordersPipe.metrics());

            assertThat(client.query("SELECT count(), uniqExact(id), uniqExact(user_id) FROM analytics.events").strip())
                    .isEqualTo("2999\t2999\t101");
            assertThat(client.query("SELECT count() FROM analytics.events_clickpipes_error").strip()).isEqualTo("1");
            HealthEndpoint health = context.getBean(HealthEndpoint.class);
            IndicatedHealthDescriptor eventsHealth = (IndicatedHealthDescriptor) health.healthForPath("clickPipes", "events");
            assertThat(eventsHealth.getStatus()).isEqualTo(Status.UP);
            assertThat(eventsHealth.getDetails()).containsEntry("status", "FINISHED").containsEntry("rowsWritten", 2999L);
            IndicatedHealthDescriptor ordersHealth = (IndicatedHealthDescriptor) health.healthForPath("clickPipes", "orders");
            assertThat(ordersHealth.getStatus()).isEqualTo(Status.UP);
            assertThat(ordersHealth.getDetails()).containsEntry("status", "RUNNING");
            Map<String, Map<String, Object>> listed = context.getBean(ClickPipesEndpoint.class).pipes();
            assertThat(listed).containsOnlyKeys("orders", "events");
            assertThat(((PipeMetrics) listed.get("events").get("metrics")).batches()).isEqualTo(3);
            assertThat((String) listed.get("orders").get("definition")).contains("password: ****").doesNotContain(server.password());
            assertThat((boolean) Thread.class.getMethod("isVirtual").invoke(ranOn.get())).isTrue();
            assertThat(ranOn.get().getName()).startsWith("clickpipes-");
        } finally {
            context.close();
        }
        assertThat(context.isActive()).isFalse();
        assertThat(client.query("SELECT count(), uniqExact(id), uniqExact(customer), uniqExact(_partition) FROM analytics.orders").strip())
                .isEqualTo(orders + "\t" + orders + "\t13\t3");
        try (Admin admin = kafka.admin()) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("orders-to-clickhouse")
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            assertThat(committed).hasSize(3);
            assertThat(committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum()).isEqualTo(orders); // every offset
        }
        assertThat(NdjsonFileSource.readCheckpoint(Path.of(events + ".checkpoint"))).isEqualTo(2_999); // the last line, from 0
    }

    @Test
    void theReadmeShowsTheApplicationYmlThisTestLoads() throws Exception {
        String yml = new String(ReadmeApplicationTest.class.getResourceAsStream("/application.yml").readAllBytes(), StandardCharsets.UTF_8);
        String readme = Files.readString(Path.of(System.getProperty("clickpipes.readme", "../README.md")));
        assertThat(readme).contains("```yaml\n" + yml + "```");
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
