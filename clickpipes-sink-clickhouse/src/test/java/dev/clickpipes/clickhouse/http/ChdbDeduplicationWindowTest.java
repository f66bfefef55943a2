package dev.clickpipes.clickhouse.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clickpipes.testservices.ChdbServerProcess;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A MergeTree with {@code non_replicated_deduplication_window} on ClickHouse 26.5 (the chDB engine
 * in a child JVM, over HTTP): the pipe's deduplication tokens keep identical records apart, and a
 * repeated token is dropped.
 */
class ChdbDeduplicationWindowTest {

    private static final int PORT = 20024;
    private static final byte[] ROW = (IdenticalRecordsPipe.RECORD + "\n").getBytes(StandardCharsets.UTF_8);

    private static ChdbServerProcess server;
    private static HttpTransport admin;

    @BeforeAll
    static void start() {
        server = ChdbServerProcess.builder().port(PORT).start();
        admin = HttpTransport.builder().endpoint(server.endpoint()).credentials(server.user(), server.password()).build();
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

    private static String windowedTable(String name) throws Exception {
        String table = "default." + name;
        admin.query("CREATE TABLE " + table + " (id UInt32, name String) ENGINE = MergeTree ORDER BY id"
                + " SETTINGS non_replicated_deduplication_window = 100");
        return table;
    }

    private static void insert(String table, Map<String, String> settings) throws Exception {
        admin.insert("INSERT INTO " + table + " FORMAT JSONEachRow", settings, ROW, ROW.length);
    }

    private static long count(String table) throws Exception {
        return Long.parseLong(admin.query("SELECT count() FROM " + table).strip());
    }

    @Test
    void aPipeOfIdenticalRecordsKeepsEveryOne() throws Exception {
        String table = windowedTable("identical_records");
        IdenticalRecordsPipe.run(server.endpoint(), server.user(), server.password(), table);
        assertThat(count(table)).isEqualTo(IdenticalRecordsPipe.RECORDS);
    }

    @Test
    void identicalInsertsWithoutATokenAreOne() throws Exception {
        String table = windowedTable("no_token");
        insert(table, Map.of());
        insert(table, Map.of());
        assertThat(count(table)).as("the window deduplicates identical blocks").isEqualTo(1);
    }

    @Test
    void aRepeatedTokenIsDroppedAndDifferentTokensAreKept() throws Exception {
        String table = windowedTable("tokens");
        insert(table, Map.of("insert_deduplication_token", "pipe:src:0:0-0"));
        insert(table, Map.of("insert_deduplication_token", "pipe:src:0:0-0"));
        assertThat(count(table)).as("a retry of the same batch").isEqualTo(1);
        insert(table, Map.of("insert_deduplication_token", "pipe:src:0:1-1"));
        assertThat(count(table)).as("identical data, another token").isEqualTo(2);
    }
}
