package dev.clickpipes.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clickpipes.testservices.faults.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code clickpipes run} of a routed pipe, in a child JVM stopped by SIGTERM: one topic of orders,
 * refunds, clicks and views into tables named by a map (orders, refunds, existing) and by a template
 * (clicks, created from the definition), views past {@code max-targets} and a record without a type
 * in the fallback table, a bad order in the orders' error table. Counts per table in ClickHouse
 * against what was produced, and the committed offsets.
 */
class RoutedRunTest {

    private static final int CLICKHOUSE_PORT = 21900; // these three: no other test class uses them
    private static final int KAFKA_PORT = 21901;
    private static final int CONTROLLER_PORT = 21902;

    private static CliServers servers;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        servers = CliServers.start(CLICKHOUSE_PORT, KAFKA_PORT, CONTROLLER_PORT, null);
        servers.client.query("CREATE DATABASE IF NOT EXISTS shop");
    }

    @AfterAll
    static void stop() {
        CliServers.close(servers);
    }

    /** Record i: every 500th a view, one without a type, one bad order; else an order, a refund or a click by i % 3. */
    static String event(int i) {
        if (i == 1000) {
            return "{\"id\": 1000, \"amount\": 1}";
        }
        if (i == 1003) {
            return "{\"type\": \"order\", \"id\": \"not a number\"}";
        }
        if (i % 500 == 7) {
            return "{\"type\": \"view\", \"id\": " + i + "}";
        }
        return switch (i % 3) {
            case 0 -> "{\"type\": \"order\", \"id\": " + i + ", \"amount\": " + (i % 100) + ".25}";
            case 1 -> "{\"type\": \"refund\", \"id\": " + i + ", \"order\": " + (i - 1) + ", \"why\": \"late\"}";
            default -> "{\"type\": \"click\", \"id\": " + i + ", \"page\": \"/p" + i % 10 + "\"}";
        };
    }

    @Test
    void aRoutedPipeFillsEachTableWithItsRecordsAndCommitsOnlyWhatIsInEveryTable() throws Exception {
        servers.client.query("CREATE TABLE shop.orders (id UInt64, amount Decimal(10, 2)) ENGINE = MergeTree ORDER BY id");
        servers.client.query("CREATE TABLE shop.refunds (id UInt64, order_id UInt64, why String) ENGINE = MergeTree ORDER BY id");
        servers.kafka.createTopic("shop-events", 3);
        int n = 6_000;
        CliRuns.produce(servers.kafka, "shop-events", n, RoutedRunTest::event);
        long orders = 0;
        long refunds = 0;
        long clicks = 0;
        long views = 0;
        for (int i = 0; i < n; i++) {
            String e = event(i);
            orders += e.contains("\"order\", \"id\": " + i) ? 1 : 0;
            refunds += e.contains("\"refund\"") ? 1 : 0;
            clicks += e.contains("\"click\"") ? 1 : 0;
            views += e.contains("\"view\"") ? 1 : 0;
        }
        Path pipesFile = dir.resolve("routed.yaml");
        Files.writeString(pipesFile, """
                pipes:
                  shop:
                    source: {type: kafka, bootstrap-servers: "%s", topics: [shop-events], group-id: shop-routed}
                    decoder: {type: json}
                    sink: {endpoint: "%s", user: %s, password: "${CLICKHOUSE_PASSWORD}", database: shop}
                    routing:
                      route-by: field
                      name: type
                      tables: {order: orders, refund: refunds}
                      mappings: {refund: {order: order_id}}
                      table-template: "events_{route}"
                      max-targets: 3
                      create-table:
                        columns: {id: UInt64, page: String}
                        order-by: id
                        settings: {non_replicated_deduplication_window: 100, storage_policy: default}
                      fallback-error-table: shop.unrouted
                    batching: {max-rows: 1000, max-age: 500ms}
                """.formatted(servers.kafka.bootstrapServers(), servers.server.endpoint(), servers.server.user()));
        Path log = dir.resolve("run.log");

        try (ChildJvm cli = ChildJvm.builder(ClickPipesCli.class).arg("run").arg(pipesFile.toString()).arg("--progress").arg("1s")
                .env("CLICKHOUSE_PASSWORD", servers.server.password()).log(log).start()) {
            CliRuns.await(() -> CliRuns.logOf(log).contains("shop  running  read 6,000"), "every record read", log);
            assertThat(cli.terminate(Duration.ofSeconds(60))).as("stopped by SIGTERM within 60 s").isTrue();
            assertThat(cli.exitValue()).isEqualTo(143);
        }
        String out = CliRuns.logOf(log);
        System.out.println("the runner's output:\n" + out);
        assertThat(out).contains("starting 1 pipe: shop", "router: route `click` goes to shop.events_click")
                .doesNotContain(servers.server.password());
        assertThat(servers.client.query("SELECT count(), uniqExact(id) FROM shop.orders").strip()).isEqualTo(orders + "\t" + orders);
        assertThat(servers.client.query("SELECT count(), uniqExact(id), countIf(order_id != id - 1) FROM shop.refunds").strip())
                .isEqualTo(refunds + "\t" + refunds + "\t0");
        assertThat(servers.client.query("SELECT count(), uniqExact(id), uniqExact(page) FROM shop.events_click").strip())
                .isEqualTo(clicks + "\t" + clicks + "\t10");
        assertThat(servers.client.query("SELECT count() FROM shop.orders_clickpipes_error").strip()).isEqualTo("1");
        assertThat(servers.client.query("SELECT count(), countIf(error_kind = 'NO_ROUTE') FROM shop.unrouted").strip())
                .isEqualTo((views + 1) + "\t" + (views + 1));
        // the created table carries the definition's settings (a number bare, a name quoted; TSV escapes the quote)
        assertThat(servers.client.query("SELECT create_table_query FROM system.tables WHERE database = 'shop' AND name = 'events_click'"))
                .contains("non_replicated_deduplication_window = 100").contains("storage_policy = \\'default\\'");
        assertThat(servers.client.query("EXISTS TABLE shop.events_view").strip()).isEqualTo("0"); // past max-targets: not created
        assertThat(orders + refunds + clicks + views + 2).isEqualTo(n);
        try (Admin admin = servers.kafka.admin()) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("shop-routed")
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            assertThat(committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum()).isEqualTo(n);
        }
    }
}
