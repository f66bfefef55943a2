package dev.clickpipes.clickhouse.http;

import static dev.clickpipes.clickhouse.http.ClickHouseServerProcess.PASSWORD;
import static dev.clickpipes.clickhouse.http.ClickHouseServerProcess.USER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clickpipes.clickhouse.TabSeparated;
import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.core.Batching;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.core.PipeException;
import dev.clickpipes.core.RetryPolicy;
import dev.clickpipes.format.Decoders;
import dev.clickpipes.source.memory.MemorySource;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Whole pipes over HTTP into a real ClickHouse server (Debian's 18.16), including an outage mid-stream. */
class HttpPipeTest {

    private static final int HTTP_PORT = 18122;
    private static final int TCP_PORT = 18131;

    private static ClickHouseServerProcess server;
    private static HttpTransport admin;

    @BeforeAll
    static void startServer() {
        server = new ClickHouseServerProcess(HTTP_PORT, TCP_PORT);
        server.start();
        admin = HttpTransport.builder().endpoint(server.httpUrl()).credentials(USER, PASSWORD).build();
    }

    @AfterAll
    static void stopServer() {
        if (admin != null) {
            admin.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static String event(int id) {
        return "{\"id\":" + id + ",\"name\":\"e" + id + "\",\"tags\":[\"a\",\"b\"],\"ts\":\"2024-05-01T10:00:00Z\"}";
    }

    private static void createTable(String name) throws Exception {
        admin.query("DROP TABLE IF EXISTS default." + name);
        admin.query("DROP TABLE IF EXISTS default." + name + "_clickpipes_error");
        admin.query("CREATE TABLE default." + name + " (id UInt32, name String, tags Array(String), ts DateTime,"
                + " note Nullable(String)) ENGINE = MergeTree ORDER BY id");
    }

    private static long query(String sql) throws Exception {
        return Long.parseLong(admin.query(sql).strip());
    }

    @Test
    void aServerOutageMidStreamLosesNoRow() throws Exception {
        createTable("outage");
        MemorySource source = MemorySource.open();
        Pipe pipe = Pipe.builder()
                .name("outage")
                .source(source)
                .decoder(Decoders.json())
                .sink(ClickHouseSink.builder().endpoint(server.httpUrl()).credentials(USER, PASSWORD)
                        .table("default.outage").build())
                .batching(Batching.builder().maxRows(500).maxAge(Duration.ofMillis(200)).build())
                .retry(RetryPolicy.of(Duration.ofMillis(50), Duration.ofMillis(400), 0))
                .build();
        ExecutorService thread = Executors.newSingleThreadExecutor();
        thread.execute(pipe);
        int id = 0;
        for (; id < 3000; id++) {
            source.offer(event(id));
        }
        waitFor(() -> source.committedOffset() >= 999);

        server.stop();
        for (; id < 7000; id++) {
            source.offer(event(id));
        }
        waitFor(() -> pipe.metrics().insertRetries() >= 3);
        long committedDuringOutage = source.committedOffset();
        Thread.sleep(300);
        assertThat(source.committedOffset()).as("nothing is committed while the server is down")
                .isEqualTo(committedDuringOutage);
        server.start();

        for (; id < 10_000; id++) {
            source.offer(event(id));
        }
        source.end();
        pipe.completion().get(60, TimeUnit.SECONDS);
        thread.shutdown();

        assertThat(query("SELECT uniqExact(id) FROM default.outage")).as("every id arrived").isEqualTo(10_000);
        assertThat(query("SELECT sum(id) FROM (SELECT DISTINCT id FROM default.outage)")).isEqualTo(9999L * 10_000 / 2);
        assertThat(source.committedOffset()).isEqualTo(9999);
        assertThat(pipe.metrics().insertRetries()).isGreaterThanOrEqualTo(3);
        assertThat(pipe.metrics().lastError()).contains("127.0.0.1:" + HTTP_PORT);
    }

    @Test
    void rowsAndErrorsReachTheServer() throws Exception {
        createTable("basic");
        Pipe pipe = Pipe.builder()
                .name("basic")
                .source(MemorySource.of(List.of(event(1), "{\"id\": \"x\"}", event(2).replace("}", ",\"note\":\"hi\"}"))))
                .decoder(Decoders.json())
                .sink(ClickHouseSink.builder().endpoint(server.httpUrl()).credentials(USER, PASSWORD)
                        .table("default.basic").build())
                .build();
        pipe.run();
        assertThat(TabSeparated.rows(admin.query("SELECT id, name, tags, ts, note FROM default.basic ORDER BY id")))
                .containsExactly(List.of("1", "e1", "['a','b']", "2024-05-01 10:00:00", "\\N"),
                        List.of("2", "e2", "['a','b']", "2024-05-01 10:00:00", "hi"));
        assertThat(TabSeparated.rows(admin.query("SELECT error_kind, raw FROM default.basic_clickpipes_error")))
                .containsExactly(List.of("TYPE_CONVERSION_ERROR", "{\"id\": \"x\"}"));
    }

    @Test
    void aWrongPasswordStopsThePipeWithTheServersMessageAndNoSecret() throws Exception {
        createTable("auth");
        Pipe pipe = Pipe.builder()
                .name("auth")
                .source(MemorySource.of(List.of(event(1))))
                .decoder(Decoders.json())
                .sink(ClickHouseSink.builder().endpoint(server.httpUrl()).credentials(USER, "not-the-password")
                        .table("default.auth").build())
                .build();
        assertThatThrownBy(pipe::run).isInstanceOf(PipeException.class)
                .hasMessageContaining("password")
                .hasMessageNotContaining("not-the-password");
        assertThat(query("SELECT count() FROM default.auth")).isZero();
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 60 s");
            }
            Thread.sleep(20);
        }
    }
}
