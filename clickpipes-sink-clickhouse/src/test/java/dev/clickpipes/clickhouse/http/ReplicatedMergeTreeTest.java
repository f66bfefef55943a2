package dev.clickpipes.clickhouse.http;

import static dev.clickpipes.clickhouse.http.ClickHouseServerProcess.PASSWORD;
import static dev.clickpipes.clickhouse.http.ClickHouseServerProcess.USER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.clickpipes.testservices.ZooKeeperService;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A ReplicatedMergeTree table on Debian's 18.16 server with a real ZooKeeper: it drops an insert
 * identical to an earlier one, and a pipe of identical records still keeps all of them (18.16 has
 * no deduplication token, so the sink turns deduplication off with {@code insert_deduplicate=0}).
 */
class ReplicatedMergeTreeTest {

    private static final int HTTP_PORT = 20030;
    private static final int TCP_PORT = 20031;

    private static ClickHouseServerProcess server;
    private static HttpTransport admin;

    @BeforeAll
    static void start() {
        ZooKeeperService zk = ZooKeeperService.shared();
        server = new ClickHouseServerProcess(HTTP_PORT, TCP_PORT).zooKeeper(zk.host(), zk.port());
        server.start();
        admin = HttpTransport.builder().endpoint(server.httpUrl()).credentials(USER, PASSWORD).build();
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            admin.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** A new ReplicatedMergeTree table with a ZooKeeper path of its own; returns its name. */
    private static String replicatedTable(String name) throws Exception {
        String table = "default." + name;
        admin.query("DROP TABLE IF EXISTS " + table);
        admin.query("CREATE TABLE " + table + " (id UInt32, name String) ENGINE = ReplicatedMergeTree("
                + "'/clickhouse/tables/{shard}/" + name + "_" + UUID.randomUUID() + "', '{replica}') ORDER BY id");
        return table;
    }

    private static long count(String table) throws Exception {
        return Long.parseLong(admin.query("SELECT count() FROM " + table).strip());
    }

    @Test
    void theTableDropsAnIdenticalPlainInsert() throws Exception {
        String table = replicatedTable("plain_inserts");
        byte[] body = (IdenticalRecordsPipe.RECORD + "\n").getBytes(StandardCharsets.UTF_8);
        admin.insert("INSERT INTO " + table + " FORMAT JSONEachRow", Map.of(), body, body.length);
        admin.insert("INSERT INTO " + table + " FORMAT JSONEachRow", Map.of(), body, body.length);
        assertThat(count(table)).as("a replicated table deduplicates identical blocks").isEqualTo(1);
    }

    @Test
    void aPipeOfIdenticalRecordsKeepsEveryOne() throws Exception {
        String table = replicatedTable("identical_records");
        IdenticalRecordsPipe.run(server.httpUrl(), USER, PASSWORD, table);
        assertThat(count(table)).isEqualTo(IdenticalRecordsPipe.RECORDS);
    }
}
