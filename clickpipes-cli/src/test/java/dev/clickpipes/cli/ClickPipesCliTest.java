package dev.clickpipes.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clickpipes.clickhouse.http.HttpTransport;
import dev.clickpipes.source.memory.NdjsonFileSource;
import dev.clickpipes.testservices.ChdbServerProcess;
import dev.clickpipes.testservices.KafkaLocal;
import dev.clickpipes.testservices.faults.ChildJvm;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner end to end, against a real KRaft broker and the 26.5 engine over HTTP: {@code run} of
 * the README's pipes.yaml in a child JVM stopped by SIGTERM, {@code check} of a topic with good and
 * bad records, {@code infer} creating a table, {@code --help} of every command.
 */
class ClickPipesCliTest {

    /** These three: no other test class uses them ({@code -Dclickpipes.cli.port=P} moves them to P..P+2). */
    private static final int CLICKHOUSE_PORT = Integer.getInteger("clickpipes.cli.port", 20940);
    private static final int KAFKA_PORT = CLICKHOUSE_PORT + 1;
    private static final int CONTROLLER_PORT = CLICKHOUSE_PORT + 2;

    private static CliServers servers;
    private static KafkaLocal kafka;
    private static ChdbServerProcess server;
    private static HttpTransport client;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        servers = CliServers.start(CLICKHOUSE_PORT, KAFKA_PORT, CONTROLLER_PORT, null);
        kafka = servers.kafka;
        server = servers.server;
        client = servers.client;
        client.query("CREATE DATABASE IF NOT EXISTS analytics");
    }

    @AfterAll
    static void stop() {
        CliServers.close(servers);
    }

    @Test
    void runMovesTheReadmesPipesIntoClickHouseAndSigtermInsertsAndCommitsWhatWasRead() throws Exception {
        client.query("CREATE TABLE analytics.orders (id UInt64, customer String) ENGINE = MergeTree ORDER BY id");
        client.query("CREATE TABLE analytics.events (id UInt64, user_id String, amount Float64) ENGINE = MergeTree ORDER BY id");
        kafka.createTopic("orders", 3);
        int orders = 5_000;
        produce("orders", orders, i -> "{\"id\": " + i + ", \"customer\": \"c" + i % 13 + "\"}");
        Path events = dir.resolve("events.ndjson");
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= 3_000; i++) {
            lines.add(i == 777 ? "{\"id\": 777, \"userId\": \"u\", \"amount\": \"lots\"}"
                    : "{\"id\": " + i + ", \"UserId\": \"user-" + i % 101 + "\", \"amount\": " + i + "}");
        }
        Files.write(events, lines);
        Path pipesFile = dir.resolve("pipes.yaml");
        Files.writeString(pipesFile, readmePipesYaml());
        Path log = dir.resolve("run.log");

        try (ChildJvm cli = ChildJvm.builder(ClickPipesCli.class).arg("run").arg(pipesFile.toString()).arg("--progress").arg("1s")
                .env("KAFKA_BOOTSTRAP", kafka.bootstrapServers()).env("CLICKHOUSE_URL", server.endpoint())
                .env("CLICKHOUSE_USER", server.user()).env("CLICKHOUSE_PASSWORD", server.password())
                .env("EVENTS_FILE", events.toString()).log(log).start()) {
            await(() -> logOf(log).contains("orders  running  read 5,000") && logOf(log).contains("events  finished"),
                    "every order read and the file finished", log);
            assertThat(cli.terminate(Duration.ofSeconds(60))).as("stopped by SIGTERM within 60 s").isTrue();
            assertThat(cli.exitValue()).isEqualTo(143); // 128 + SIGTERM, after the shutdown hook ran
        }
        String out = logOf(log);
        System.out.println("the runner's output:\n" + out);
        assertThat(out).contains("starting 2 pipes: orders, events", "stopping: each pipe inserts and commits what it read")
                .doesNotContain(server.password());
        // the open batch of orders was inserted by the stop; the file had finished before it
        assertThat(out.substring(out.indexOf("summary:"))).contains("orders  stopped  read 5,000 (146.5 KiB)  written 5,000",
                "events  finished  read 3,000 (141.1 KiB)  written 2,999  rejected 1  batches 1");
        assertThat(client.query("SELECT count(), uniqExact(id), uniqExact(customer) FROM analytics.orders").strip())
                .isEqualTo(orders + "\t" + orders + "\t13");
        assertThat(client.query("SELECT count(), uniqExact(id), uniqExact(user_id) FROM analytics.events").strip())
                .isEqualTo("2999\t2999\t101");
        assertThat(client.query("SELECT count() FROM analytics.events_clickpipes_error").strip()).isEqualTo("1");
        try (Admin admin = kafka.admin()) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("orders-to-clickhouse")
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            assertThat(committed).hasSize(3);
            assertThat(committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum()).isEqualTo(orders);
        }
        assertThat(NdjsonFileSource.readCheckpoint(Path.of(events + ".checkpoint"))).isEqualTo(2_999); // the last line, from 0
    }

    @Test
    void checkShowsTheColumnsAndWhatBecomesOfEachSampleAndMovesNothing() throws Exception {
        client.query("CREATE TABLE analytics.check_orders (id UInt64, customer String, amount Float64 DEFAULT 1,"
                + " _topic String) ENGINE = MergeTree ORDER BY id");
        kafka.createTopic("check-orders", 1);
        List<String> records = List.of("{\"id\": 1, \"customer\": \"a\"}", "{\"id\": 2, \"customer\": \"b\", \"amount\": 2.5}",
                "{\"id\": \"x\", \"customer\": \"c\"}", "oops");
        produce("check-orders", records.size(), records::get);
        Path pipesFile = dir.resolve("check.yaml");
        Files.writeString(pipesFile, """
                pipes:
                  checked:
                    source: {type: kafka, bootstrap-servers: "%s", topics: [check-orders], group-id: checked-group, start-from: earliest}
                    decoder: {type: json}
                    sink: {endpoint: "%s", user: %s, password: %s, table: analytics.check_orders}
                """.formatted(kafka.bootstrapServers(), server.endpoint(), server.user(), server.password()));

        Result check = cli("check", pipesFile.toString(), "--samples", "4", "--wait", "60s");

        System.out.println("clickpipes check:\n" + check.out);
        assertThat(check.code).as(check.out).isZero();
        assertThat(check.out).contains("ClickHouse table analytics.check_orders at ClickHouse at " + server.endpoint(), "4 columns", "    id UInt64", "    amount Float64  DEFAULT 1",
                "source kafka", "record check-orders-0@0: fills [id, customer, _topic], default [amount]",
                "record check-orders-0@1: fills [id, customer, amount, _topic]",
                "record check-orders-0@2: to the error table, TYPE_CONVERSION_ERROR: JSON: column `id` of type UInt64 cannot take text 'x'",
                "record check-orders-0@3: to the error table, DATA_PARSING_ERROR: JSON: invalid JSON",
                "2 of 4 sample records would be inserted, 2 filed in the error table", "password: ****", "check passed")
                .doesNotContain(server.password());
        assertThat(cli("check", pipesFile.toString(), "--samples", "4", "--wait", "60s", "--strict").code).isEqualTo(1);
        // nothing inserted, no table created, no offset committed for the pipe's group nor the check's own
        assertThat(client.query("SELECT count() FROM analytics.check_orders").strip()).isEqualTo("0");
        assertThat(client.query("EXISTS TABLE analytics.check_orders_clickpipes_error").strip()).isEqualTo("0");
        try (Admin admin = kafka.admin()) {
            for (String group : List.of("checked-group", "checked-group.check")) {
                assertThat(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS))
                        .as(group).isEmpty();
            }
        }
    }

    @Test
    void checkOfARoutedPipeShowsEachSamplesTableAndRowOrWhyItWouldBeFiledAndMovesNothing() throws Exception {
        client.query("CREATE TABLE analytics.routed_orders (id UInt64, amount Float64) ENGINE = MergeTree ORDER BY id");
        client.query("CREATE TABLE analytics.routed_refunds (id UInt64, order_id UInt64, why String) ENGINE = MergeTree ORDER BY id");
        client.query("CREATE TABLE analytics.routed_click (id UInt64, page String) ENGINE = MergeTree ORDER BY id");
        kafka.createTopic("check-routed", 1);
        List<String> records = List.of("{\"type\": \"order\", \"id\": 1, \"amount\": 2.5}",
                "{\"type\": \"refund\", \"id\": 2, \"order\": 1}", "{\"type\": \"order\", \"id\": \"x\"}",
                "{\"type\": \"coupon\", \"id\": 3}", "{\"id\": 4}", "{\"type\": \"click\", \"id\": 5, \"page\": \"/p\"}",
                "{\"type\": \"a.b\", \"id\": 6}");
        produce("check-routed", records.size(), records::get);
        Path pipesFile = dir.resolve("check-routed.yaml");
        Files.writeString(pipesFile, """
                pipes:
                  routed:
                    source: {type: kafka, bootstrap-servers: "%s", topics: [check-routed], group-id: routed-group, start-from: earliest}
                    decoder: {type: json}
                    sink: {endpoint: "%s", user: %s, password: %s, database: analytics}
                    routing:
                      route-by: field
                      name: type
                      tables: {order: routed_orders, refund: routed_refunds}
                      mappings: {refund: {order: order_id}}
                      table-template: "routed_{route}"
                      fallback-error-table: check_unrouted
                """.formatted(kafka.bootstrapServers(), server.endpoint(), server.user(), server.password()));

        Result check = cli("check", pipesFile.toString(), "--samples", "7", "--wait", "60s");

        System.out.println("clickpipes check:\n" + check.out);
        assertThat(check.code).as(check.out).isZero();
        assertThat(check.out).contains("routed by JSON field `type` to [routed_orders, routed_refunds] and routed_{route}",
                "record check-routed-0@0: -> analytics.routed_orders (route `order`): fills [id, amount]",
                "record check-routed-0@1: -> analytics.routed_refunds (route `refund`): fills [id, order_id], default [why]",
                "record check-routed-0@2: -> analytics.routed_orders (route `order`): to its error table, TYPE_CONVERSION_ERROR:"
                        + " JSON: column `id` of type UInt64 cannot take text 'x'",
                "record check-routed-0@3: -> analytics.routed_coupon (route `coupon`): not decoded: its columns cannot be read"
                        + " (table analytics.routed_coupon does not exist (create it first)); the pipe creates the table when"
                        + " the router has a table definition, else files these records in the fallback error table",
                "record check-routed-0@4: to the fallback error table analytics.check_unrouted, NO_ROUTE: the record has no"
                        + " JSON field `type` to route it by",
                "record check-routed-0@5: -> analytics.routed_click (route `click`): fills [id, page]",
                "record check-routed-0@6: to the fallback error table analytics.check_unrouted, NO_ROUTE: route `a.b`: the"
                        + " table function refused it: a route names a table by the template only when it is letters, digits"
                        + " and _ (up to 100), was `a.b`",
                "3 of 6 sample records would be inserted, 3 filed in the error table",
                "1 sample records not decoded: their table's columns cannot be read", "check passed")
                .doesNotContain(server.password());
        assertThat(cli("check", pipesFile.toString(), "--samples", "7", "--wait", "60s", "--strict").code).isEqualTo(1);
        // nothing inserted, no error table created, no offset committed for the pipe's group nor the check's own
        assertThat(client.query("EXISTS TABLE analytics.routed_coupon").strip()).isEqualTo("0");
        for (String table : List.of("routed_orders", "routed_refunds", "routed_click")) {
            assertThat(client.query("SELECT count() FROM analytics." + table).strip()).as(table).isEqualTo("0");
            assertThat(client.query("EXISTS TABLE analytics." + table + "_clickpipes_error").strip()).as(table).isEqualTo("0");
        }
        assertThat(client.query("EXISTS TABLE analytics.check_unrouted").strip()).isEqualTo("0");
        try (Admin admin = kafka.admin()) {
            for (String group : List.of("routed-group", "routed-group.check")) {
                assertThat(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS))
                        .as(group).isEmpty();
            }
        }
    }

    @Test
    void aWrongKeyFailsWithTheFileAndTheKeyPathBeforeAnythingConnects() throws Exception {
        Path pipesFile = dir.resolve("wrong.yaml");
        Files.writeString(pipesFile, """
                pipes:
                  orders:
                    source: {type: file, path: /nonexistent}
                    decoder: {type: json}
                    sink: {endpoint: "http://127.0.0.1:1", table: analytics.orders}
                    batching: {max-rwos: 1000}
                """);
        for (String command : List.of("run", "check")) {
            Result r = cli(command, pipesFile.toString());
            assertThat(r.code).as(r.err).isEqualTo(2);
            assertThat(r.err).contains(pipesFile.toString(), "pipes.orders.batching.max-rwos: unknown key");
        }
        Result none = cli("run", pipesFile.toString(), "--pipe", "nope");
        assertThat(none.code).isEqualTo(2);
        assertThat(none.err).contains("has no pipe 'nope'; it has [orders]");
    }

    @Test
    void inferPrintsTheCreateTableAndExecuteCreatesIt() throws Exception {
        Path sample = dir.resolve("sample.ndjson");
        Files.write(sample, List.of("{\"id\": 1, \"ts\": \"2026-12-03 10:00:00.123\", \"tags\": [\"a\"], \"price\": 1.5, \"note\": null}",
                "{\"id\": 300, \"ts\": \"2026-12-03 10:00:01.456\", \"tags\": [], \"price\": 2, \"note\": \"n\"}"));
        Path log = dir.resolve("infer.log");
        ChildJvm.Builder infer = ChildJvm.builder(ClickPipesCli.class).env("CLICKHOUSE_PASSWORD", server.password()).log(log);
        for (String arg : List.of("infer", "--sample", sample.toString(), "--table", "analytics.inferred", "--order-by",
                "(id, ts)", "--execute", "--endpoint", server.endpoint(), "--user", server.user())) {
            infer.arg(arg);
        }
        try (ChildJvm cli = infer.start()) {
            assertThat(cli.awaitExit(Duration.ofSeconds(60))).isTrue();
            assertThat(cli.exitValue()).as(logOf(log)).isZero();
        }
        assertThat(logOf(log)).contains("CREATE TABLE IF NOT EXISTS `analytics`.`inferred` (`id` UInt16,"
                + " `ts` DateTime64(3), `tags` Array(String), `price` Float64, `note` Nullable(String))"
                + " ENGINE = MergeTree ORDER BY (id, ts);", "-- created analytics.inferred");
        assertThat(client.query("SELECT groupArray(name || ' ' || type) FROM system.columns WHERE database = 'analytics'"
                + " AND table = 'inferred'").strip())
                .isEqualTo("['id UInt16','ts DateTime64(3)','tags Array(String)','price Float64','note Nullable(String)']");
    }

    @Test
    void everyCommandHasHelpNamingItsOptions() {
        assertThat(cli("--help").out).contains("run", "check", "infer");
        assertThat(cli("run", "--help").out).contains("PIPES_FILE", "--pipe", "--progress", "SIGTERM", "${NAME}");
        assertThat(cli("check", "--help").out).contains("--samples", "--wait", "--strict", "commits");
        assertThat(cli("infer", "--help").out).contains("--sample", "--table", "--order-by", "--execute", "--password-env");
        Result bare = cli();
        assertThat(bare.code).isEqualTo(2);
        assertThat(bare.err).contains("name a command: run, check or infer");
    }

    @Test
    void theReadmeShowsThePipesFileTheRunTestLoads() throws Exception {
        String readme = Files.readString(Path.of(System.getProperty("clickpipes.readme", "../README.md")));
        assertThat(readme).contains("```yaml\n" + readmePipesYaml() + "```");
    }

    private record Result(int code, String out, String err) {
    }

    private static Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ClickPipesCli.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    private static String readmePipesYaml() throws Exception {
        return new String(ClickPipesCliTest.class.getResourceAsStream("/pipes.yaml").readAllBytes(), StandardCharsets.UTF_8);
    }

    private static void produce(String topic, int n, java.util.function.IntFunction<String> value) throws InterruptedException {
        CliRuns.produce(kafka, topic, n, value);
    }

    private static String logOf(Path log) {
        return CliRuns.logOf(log);
    }

    private static void await(BooleanSupplier condition, String what, Path log) throws InterruptedException {
        CliRuns.await(condition, what, log);
    }
}
