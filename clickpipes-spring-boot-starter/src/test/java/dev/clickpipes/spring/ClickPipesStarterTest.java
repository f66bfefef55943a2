package dev.clickpipes.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clickpipes.clickhouse.http.HttpTransport;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.core.PipeListener;
import dev.clickpipes.definition.DefinitionException;
import dev.clickpipes.source.memory.MemorySource;
import dev.clickpipes.testservices.ChdbServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Pipes declared in Spring properties run in real application contexts against the 26.5 engine over HTTP. */
class ClickPipesStarterTest {

    private static final int PORT = 20933; // no other test class uses it
    private static final int FLAKY_PORT = 20934; // nor this one: a server this class stops and starts again

    private static ChdbServerProcess server;
    private static HttpTransport client;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ClickPipesAutoConfiguration.class, ClickPipesHealthAutoConfiguration.class,
                    ClickPipesEndpointAutoConfiguration.class));

    @BeforeAll
    static void start() throws Exception {
        server = ChdbServerProcess.builder().port(PORT).start();
        client = HttpTransport.builder().endpoint(server.endpoint()).credentials(server.user(), server.password()).build();
        client.query("CREATE DATABASE IF NOT EXISTS analytics");
        client.query("CREATE TABLE analytics.events (id UInt64) ENGINE = MergeTree ORDER BY id");
        client.query("CREATE TABLE analytics.live (id UInt64) ENGINE = MergeTree ORDER BY id");
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void anOpenPipeRunsOnTheApplicationsExecutorAndClosingTheContextCommitsItsOpenBatch() throws Exception {
        MemorySource live = MemorySource.open();
        AtomicInteger appThreads = new AtomicInteger();
        ExecutorService appExecutor = Executors.newCachedThreadPool(r -> new Thread(r, "app-pipes-" + appThreads.incrementAndGet()));
        AtomicReference<String> ranOn = new AtomicReference<>();
        AtomicReference<RunningPipe> state = new AtomicReference<>();
        runner.withPropertyValues(sinkProperties("live", "analytics.live"))
                .withPropertyValues("clickpipes.pipes.live.source.type=memory", "clickpipes.pipes.live.decoder.type=json",
                        "clickpipes.pipes.live.batching.max-age=1h", "clickpipes.shutdown-timeout=20s")
                .withBean("clickPipesExecutor", ExecutorService.class, () -> appExecutor)
                .withBean(PipeCustomizer.class, () -> (name, builder) -> builder.source(live)) // the application feeds it
                .withBean(PipeListener.class, () -> new PipeListener() {
                    @Override
                    public void onStarted(Pipe pipe) {
                        ranOn.set(Thread.currentThread().getName());
                    }
                })
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    RunningPipe pipe = context.getBean(ClickPipes.class).pipes().get("live");
                    state.set(pipe);
                    for (int i = 0; i < 1_000; i++) {
                        live.offer("{\"id\": " + i + "}");
                    }
                    await(() -> pipe.metrics().recordsRead() == 1_000, "1000 records read");
                    // the batch stays open (1 h, 100 000 rows): only the close can bring it in
                    assertThat(client.query("SELECT count() FROM analytics.live").strip()).isEqualTo("0");
                    assertThat(pipe.status()).isEqualTo(PipeStatus.RUNNING);
                });
        assertThat(client.query("SELECT count(), uniqExact(id) FROM analytics.live").strip()).isEqualTo("1000\t1000");
        assertThat(live.committedOffset()).isEqualTo(999);
        assertThat(state.get().status()).isEqualTo(PipeStatus.STOPPED);
        assertThat(ranOn.get()).startsWith("app-pipes-");
        appExecutor.shutdown();
    }

    @Test
    void aPipeThatCannotOpenItsTableIsDownWithItsError() {
        runner.withPropertyValues(sinkProperties("broken", "analytics.no_such_table"))
                .withPropertyValues("clickpipes.pipes.broken.source.type=memory", "clickpipes.pipes.broken.source.records={\"id\": 1}",
                        "clickpipes.pipes.broken.decoder.type=json")
                .run(context -> {
                    RunningPipe pipe = context.getBean(ClickPipes.class).pipes().get("broken");
                    await(() -> pipe.status() == PipeStatus.FAILED, "the pipe to fail, status " + pipe.status());
                    HealthIndicator indicator = (HealthIndicator) context.getBean("clickPipesHealthContributor",
                            CompositeHealthContributor.class).getContributor("broken");
                    Health health = indicator.health();
                    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                    assertThat(health.getDetails()).containsEntry("status", "FAILED");
                    assertThat((String) health.getDetails().get("lastError")).contains("no_such_table");
                });
    }

    @Test
    void aWrongKeyFailsTheApplicationsStartNamingItsFullPath() {
        runner.withPropertyValues(sinkProperties("orders", "analytics.events"))
                .withPropertyValues("clickpipes.pipes.orders.source.type=memory", "clickpipes.pipes.orders.decoder.type=json",
                        "clickpipes.pipes.orders.sink.tabel=analytics.orders")
                .run(context -> {
                    assertThat(context).hasFailed();
                    Throwable cause = context.getStartupFailure();
                    while (cause.getCause() != null && !(cause instanceof DefinitionException)) {
                        cause = cause.getCause();
                    }
                    assertThat(cause).isInstanceOf(DefinitionException.class)
                            .hasMessageStartingWith("clickpipes.pipes.orders.sink.tabel: unknown key");
                });
        runner.withPropertyValues("clickpipes.pipes.orders.source.type=memory", "clickpipes.pipes.orders.decoder.type=json",
                        "clickpipes.pipes.orders.sink.endpoint=" + server.endpoint(), "clickpipes.pipes.orders.sink.table=t",
                        "clickpipes.pipes.orders.sink.password=${NO_SUCH_SECRET}")
                .run(context -> assertThat(context.getStartupFailure()).rootCause()
                        .hasMessageStartingWith("clickpipes.pipes.orders.sink.password: ${NO_SUCH_SECRET} is not set"));
    }

    @Test
    void listsAndDottedKeysAsSpringBindsThemReachTheDefinition() throws Exception {
        client.query("CREATE TABLE analytics.listed (id UInt64, name String) ENGINE = MergeTree ORDER BY id");
        runner.withPropertyValues(sinkProperties("listed", "analytics.listed"))
                .withPropertyValues("clickpipes.pipes.listed.source.type=memory",
                        "clickpipes.pipes.listed.source.records[0]=1,ada", "clickpipes.pipes.listed.source.records[1]=2,bob",
                        "clickpipes.pipes.listed.decoder.type=csv", "clickpipes.pipes.listed.decoder.column-names[0]=id",
                        "clickpipes.pipes.listed.decoder.column-names[1]=name",
                        "clickpipes.pipes.listed.sink.insert-settings.max_insert_block_size=1000")
                .run(context -> {
                    RunningPipe pipe = context.getBean(ClickPipes.class).pipes().get("listed");
                    await(() -> pipe.status() == PipeStatus.FINISHED, "the two records, status " + pipe.status());
                    assertThat(pipe.definition().describe()).contains("records: 2 records", "column-names: [id, name]",
                            "max_insert_block_size: 1000");
                });
        assertThat(client.query("SELECT id, name FROM analytics.listed ORDER BY id").strip()).isEqualTo("1\tada\n2\tbob");
    }

    @Test
    void aPipeWhoseServerGoesAwayIsRetryingAndStillUpThenRunningAgainWithNothingLost() throws Exception {
        try (ChdbServerProcess flaky = ChdbServerProcess.builder().port(FLAKY_PORT).start();
             HttpTransport flakyClient = HttpTransport.builder().endpoint(flaky.endpoint())
                     .credentials(flaky.user(), flaky.password()).build()) {
            flakyClient.query("CREATE TABLE default.flaky (id UInt64) ENGINE = MergeTree ORDER BY id");
            MemorySource live = MemorySource.open();
            runner.withPropertyValues(sinkProperties(flaky, "flaky", "default.flaky"))
                    .withPropertyValues("clickpipes.pipes.flaky.source.type=memory", "clickpipes.pipes.flaky.decoder.type=json",
                            "clickpipes.pipes.flaky.batching.max-rows=100", "clickpipes.pipes.flaky.retry.initial-backoff=100ms",
                            "clickpipes.pipes.flaky.retry.max-backoff=500ms")
                    .withBean(PipeCustomizer.class, () -> (name, builder) -> builder.source(live))
                    .run(context -> {
                        RunningPipe pipe = context.getBean(ClickPipes.class).pipes().get("flaky");
                        HealthIndicator health = (HealthIndicator) context.getBean("clickPipesHealthContributor",
                                CompositeHealthContributor.class).getContributor("flaky");
                        offer(live, 0, 100);
                        await(() -> pipe.metrics().rowsWritten() == 100, "the first batch");
                        flaky.stop();
                        offer(live, 100, 200);
                        await(() -> pipe.status() == PipeStatus.RETRYING, "a retry, status " + pipe.status());
                        assertThat(health.health().getStatus()).isEqualTo(Status.UP); // it holds its batch and goes on by itself
                        assertThat(health.health().getDetails()).containsEntry("status", "RETRYING").containsKey("lastError");
                        flaky.restart();
                        await(() -> pipe.metrics().rowsWritten() == 200 && pipe.status() == PipeStatus.RUNNING,
                                "the batch after the restart, status " + pipe.status());
                        assertThat(health.health().getDetails()).containsEntry("status", "RUNNING").doesNotContainKey("lastError");
                    });
            try (HttpTransport afterRestart = HttpTransport.builder().endpoint(flaky.endpoint())
                    .credentials(flaky.user(), flaky.password()).build()) { // the old one's pooled connection died with the server
                assertThat(afterRestart.query("SELECT count(), uniqExact(id) FROM default.flaky").strip()).isEqualTo("200\t200");
            }
            assertThat(live.committedOffset()).isEqualTo(199);
        }
    }

    private static void offer(MemorySource source, int from, int to) {
        for (int i = from; i < to; i++) {
            source.offer("{\"id\": " + i + "}");
        }
    }

    private static String[] sinkProperties(String pipe, String table) {
        return sinkProperties(server, pipe, table);
    }

    private static String[] sinkProperties(ChdbServerProcess server, String pipe, String table) {
        String p = "clickpipes.pipes." + pipe + ".sink.";
        return new String[] {p + "endpoint=" + server.endpoint(), p + "user=" + server.user(), p + "password=" + server.password(),
                p + "table=" + table};
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
