package dev.clickpipes.clickhouse.http;

import static dev.clickpipes.clickhouse.http.ClickHouseServerProcess.PASSWORD;
import static dev.clickpipes.clickhouse.http.ClickHouseServerProcess.USER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clickpipes.clickhouse.TabSeparated;
import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.core.Delivery;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.core.PipeException;
import dev.clickpipes.format.Decoders;
import dev.clickpipes.source.memory.MemorySource;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the README's server-versions table says the pipe does on a server older than a feature,
 * on Debian's 18.16: no deduplication token (exactly-once refused at start, naming the version it
 * needs), an error table without TTL (before 19.6), missing fields of a DEFAULT column as the
 * type's zero value (no DEFAULT through Nullable blocks before 21), and a setting the server lacks
 * stopping the pipe at start.
 */
class OldServerTest {

    private static final int HTTP_PORT = 20818;
    private static final int TCP_PORT = 20819;

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

    private static void createTable(String name) throws Exception {
        admin.query("DROP TABLE IF EXISTS default." + name);
        admin.query("DROP TABLE IF EXISTS default." + name + "_clickpipes_error");
        admin.query("CREATE TABLE default." + name + " (id UInt32, n UInt32 DEFAULT 7, s String DEFAULT 'dflt')"
                + " ENGINE = MergeTree ORDER BY id");
    }

    private static Pipe.Builder pipe(String table, List<String> records, ClickHouseSink.Builder sink) {
        return Pipe.builder().name(table).source(MemorySource.of(records)).decoder(Decoders.json())
                .sink(sink.endpoint(server.httpUrl()).credentials(USER, PASSWORD).table("default." + table).build());
    }

    @Test
    void theServerIsTheOldOne() throws Exception {
        assertThat(admin.query("SELECT version()").strip()).startsWith("18.16.");
    }

    @Test
    void exactlyOnceIsRefusedAtStartNamingTheVersionItNeeds() throws Exception {
        createTable("eo_old");
        Pipe p = pipe("eo_old", List.of("{\"id\":1}"), ClickHouseSink.builder()).delivery(Delivery.EXACTLY_ONCE).build();
        assertThatThrownBy(p::run).isInstanceOf(PipeException.class)
                .hasMessageContaining("insert_deduplication_token").hasMessageContaining("22.2");
        assertThat(admin.query("SELECT count() FROM default.eo_old").strip()).isEqualTo("0");
    }

    @Test
    void atLeastOnceInsertsEveryRowAndAnErrorTableWithoutTtl() throws Exception {
        createTable("alo_old");
        pipe("alo_old", List.of("{\"id\":1,\"n\":3,\"s\":\"x\"}", "{\"id\":2}", "{\"id\":\"not a number\"}"),
                ClickHouseSink.builder()).build().run();
        // Missing fields of DEFAULT columns: the type's zero value here (DEFAULT needs 21+).
        assertThat(TabSeparated.rows(admin.query("SELECT id, n, s FROM default.alo_old ORDER BY id")))
                .containsExactly(List.of("1", "3", "x"), List.of("2", "0", ""));
        assertThat(admin.query("SELECT count() FROM default.alo_old_clickpipes_error").strip()).isEqualTo("1");
        assertThat(admin.query("SHOW CREATE TABLE default.alo_old_clickpipes_error")).doesNotContain("TTL");
    }

    @Test
    void aSettingTheServerLacksStopsThePipeAtStartNamingIt() throws Exception {
        createTable("async_old");
        Pipe p = pipe("async_old", List.of("{\"id\":1}"), ClickHouseSink.builder().insertSetting("async_insert", "1"))
                .build();
        assertThatThrownBy(p::run).isInstanceOf(PipeException.class).hasMessageContaining("async_insert")
                .hasMessageContaining("18.16");
        assertThat(admin.query("SELECT count() FROM default.async_old").strip()).isEqualTo("0");
    }
}
