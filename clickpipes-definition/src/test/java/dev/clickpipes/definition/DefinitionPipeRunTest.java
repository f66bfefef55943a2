package dev.clickpipes.definition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clickpipes.clickhouse.http.HttpTransport;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.core.PipeMetrics;
import dev.clickpipes.source.memory.NdjsonFileSource;
import dev.clickpipes.testkit.PipeRuns;
import dev.clickpipes.testservices.ChdbServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/** A pipe built from YAML alone moves a file into a real ClickHouse over HTTP, with mapping, batching and an error table. */
class DefinitionPipeRunTest {

    private static final int PORT = 20932; // no other test class uses it

    private static ChdbServerProcess server;
    private static HttpTransport client;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        server = ChdbServerProcess.builder().port(PORT).start();
        client = HttpTransport.builder().endpoint(server.endpoint()).credentials(server.user(), server.password()).build();
        client.query("CREATE DATABASE IF NOT EXISTS defs");
        client.query("CREATE TABLE defs.events (id UInt64, user_id String, amount Float64) ENGINE = MergeTree ORDER BY id");
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
    void aFileGoesIntoClickHouseAsTheDefinitionSaysAndEveryLineIsCommitted() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= 2_500; i++) {
            lines.add(i == 1234 ? "{\"id\": 1234, \"UserId\": \"u\", \"amount\": \"lots\"}"
                    : "{\"id\": " + i + ", \"UserId\": \"user-" + i % 97 + "\", \"amount\": " + i + ".5}");
        }
        Path file = dir.resolve("events.ndjson");
        Files.write(file, lines);
        Path password = dir.resolve("password");
        Files.writeString(password, server.password() + "\n");
        String yaml = """
                source:
                  type: file
                  path: ${EVENTS_FILE}
                  checkpoint: ${CHECKPOINT}
                decoder:
                  type: json
                sink:
                  endpoint: ${CH_URL}
                  user: ${CH_USER}
                  password: file:${CH_PASSWORD_FILE}
                  table: defs.events
                mapping:
                  case-insensitive: true
                  fields:
                    userid: user_id
                batching:
                  max-rows: 1000
                """;
        Map<String, String> env = Map.of("EVENTS_FILE", file.toString(), "CHECKPOINT", dir.resolve("checkpoint").toString(),
                "CH_URL", server.endpoint(), "CH_USER", server.user(), "CH_PASSWORD_FILE", password.toString());
        PipeDefinition definition = PipeDefinition.parse("pipes.events", "events", new Yaml().load(yaml), env::get);

        Pipe pipe = definition.build();
        PipeMetrics metrics = PipeRuns.drain(pipe);

        assertThat(client.query("SELECT count(), uniqExact(id), uniqExact(user_id) FROM defs.events").strip())
                .isEqualTo("2499\t2499\t97");
        assertThat(client.query("SELECT count() FROM defs.events_clickpipes_error").strip()).isEqualTo("1");
        assertThat(metrics.batches()).isEqualTo(3); // 1000-row batches, as the definition says
        assertThat(metrics.rowsWritten()).isEqualTo(2_499);
        assertThat(metrics.errorRows()).isEqualTo(1);
        // the last line (numbered from 0) committed, after the rejected one: a restart would read nothing again
        assertThat(NdjsonFileSource.readCheckpoint(dir.resolve("checkpoint"))).isEqualTo(2_499);
    }

    @Test
    void sortByTableKeySendsInsertsTheServerFindsAlreadySorted() throws Exception {
        client.query("CREATE TABLE defs.by_user (id UInt64, user_id String) ENGINE = MergeTree ORDER BY (user_id, id)");
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= 3_000; i++) {
            lines.add("{\"id\": " + i + ", \"user_id\": \"user-" + i % 97 + "\"}"); // in id order, not the key's
        }
        Path file = dir.resolve("by-user.ndjson");
        Files.write(file, lines);
        String yaml = """
                source:
                  type: file
                  path: ${EVENTS_FILE}
                decoder:
                  type: json
                sink:
                  endpoint: ${CH_URL}
                  user: ${CH_USER}
                  password: ${CH_PASSWORD}
                  table: defs.by_user
                  sort-by-table-key: ${SORT}
                batching:
                  max-rows: 1000
                """;
        for (String sort : new String[] {"false", "true"}) {
            client.query("TRUNCATE TABLE defs.by_user");
            Map<String, String> env = Map.of("EVENTS_FILE", file.toString(), "CH_URL", server.endpoint(),
                    "CH_USER", server.user(), "CH_PASSWORD", server.password(), "SORT", sort);
            long before = alreadySortedBlocks();
            PipeRuns.drain(PipeDefinition.parse("pipes.by_user", "by_user", new Yaml().load(yaml), env::get).build());
            assertThat(client.query("SELECT count(), uniqExact(id), uniqExact(user_id) FROM defs.by_user").strip())
                    .as("sort-by-table-key: " + sort).isEqualTo("3000\t3000\t97");
            assertThat(alreadySortedBlocks() - before).as("inserts the server found sorted, sort-by-table-key: " + sort)
                    .isEqualTo(sort.equals("true") ? 3 : 0);
        }
    }

    /** The server's count of inserted blocks it found already sorted by the table's key (absent until the first). */
    private static long alreadySortedBlocks() throws Exception {
        return Long.parseLong(client.query("SELECT sum(value) FROM system.events"
                + " WHERE event = 'MergeTreeDataWriterBlocksAlreadySorted'").strip());
    }
}
