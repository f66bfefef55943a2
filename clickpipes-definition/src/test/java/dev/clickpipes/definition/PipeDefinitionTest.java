package dev.clickpipes.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clickpipes.core.Pipe;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

class PipeDefinitionTest {

    @TempDir
    Path dir;

    private final Map<String, String> env = new LinkedHashMap<>();

    @BeforeEach
    void secrets() throws IOException {
        Files.writeString(dir.resolve("registry-secret"), "registry-s3cret\n");
        env.put("KAFKA_PASSWORD", "kafka-s3cret");
        env.put("CLICKHOUSE_PASSWORD", "clickhouse-s3cret");
        env.put("AWS_SECRET", "aws-s3cret");
        env.put("SECRET_DIR", dir.toString());
    }

    @Test
    void everyKindOfPipeInTheSampleFileBuildsAndNoSecretIsShown() throws Exception {
        Map<String, PipeDefinition> pipes = PipeDefinition.parseAll("pipes", sample(), env::get);

        assertThat(pipes).containsOnlyKeys("orders", "payments", "logs", "events", "sample");
        for (PipeDefinition d : pipes.values()) {
            Pipe pipe = d.build();
            assertThat(pipe.name()).isEqualTo(d.name());
            String shown = d.describe() + d + pipe;
            for (String secret : List.of("kafka-s3cret", "clickhouse-s3cret", "aws-s3cret", "registry-s3cret")) {
                assertThat(shown).doesNotContain(secret);
            }
            pipe.close(); // never run: closes the source and the sink's HTTP client
        }
        String orders = pipes.get("orders").describe();
        assertThat(orders).contains("password: **** (from ${KAFKA_PASSWORD})", "password: **** (from ${CLICKHOUSE_PASSWORD})",
                "password: **** (from file:${SECRET_DIR}/registry-secret)", "table: analytics.orders", "max-bytes: 16MiB",
                "delivery: exactly-once", "topics: [orders, orders-eu]");
        assertThat(pipes.get("sample").describe()).contains("records: 2 records");
        try (PipeComponents payments = pipes.get("payments").newComponents(sink -> { })) {
            assertThat(payments.decoder().name()).isEqualTo("ProtobufConfluent");
        }
        assertThat(pipes.get("orders").toString()).isEqualTo("PipeDefinition[orders: kafka -> analytics.orders]");
    }

    @Test
    void anUnknownKeyFailsWithItsFullPathAndTheKeysTheSectionTakes() {
        Map<String, Object> pipe = minimal();
        sink(pipe).put("tabel", "t");
        assertThatThrownBy(() -> parse(pipe))
                .isInstanceOf(DefinitionException.class)
                .hasMessageStartingWith("clickpipes.pipes.orders.sink.tabel: unknown key")
                .hasMessageContaining("sink takes endpoint, user, password, database, table,");
        assertThat(keyPath(pipe)).isEqualTo("clickpipes.pipes.orders.sink.tabel");
    }

    @Test
    void aCamelCaseKeyIsRefusedWithTheKebabCaseOne() {
        Map<String, Object> pipe = minimal();
        sink(pipe).put("errorTable", "false");
        assertThatThrownBy(() -> parse(pipe)).hasMessageStartingWith(
                "clickpipes.pipes.orders.sink.errorTable: unknown key; did you mean 'error-table'?");
    }

    @Test
    void aBuilderSettingADefinitionDoesNotCarryIsRefusedByNameWithWhatToDo() {
        Map<String, Object> pipe = minimal();
        sink(pipe).put("socket-timeout", "10s");
        assertThatThrownBy(() -> parse(pipe)).hasMessageStartingWith(
                "clickpipes.pipes.orders.sink.socket-timeout: is not supported by a definition: `ClickHouseSink.endpoint` takes no timeouts");
    }

    @Test
    void aWrongValueNamesItsPathAndWhatWasExpected() {
        Map<String, Object> pipe = minimal();
        pipe.put("batching", Map.of("max-age", "soon"));
        assertThatThrownBy(() -> parse(pipe)).hasMessage("clickpipes.pipes.orders.batching.max-age: expected a duration:"
                + " `500ms`, `5s`, `2m`, `1h`, `7d` or ISO-8601 `PT5S`, got 'soon'");

        Map<String, Object> other = minimal();
        other.put("delivery", "twice");
        assertThatThrownBy(() -> parse(other)).hasMessage(
                "clickpipes.pipes.orders.delivery: expected one of [at-least-once, exactly-once], got 'twice'");
    }

    @Test
    void whatABuilderRefusesIsReportedAtTheSectionsPath() {
        Map<String, Object> pipe = minimal();
        pipe.put("batching", Map.of("max-rows", 0));
        assertThatThrownBy(() -> parse(pipe)).hasMessage(
                "clickpipes.pipes.orders.batching: Batching.maxRows must be at least 1, was 0");

        Map<String, Object> badEndpoint = minimal();
        sink(badEndpoint).put("endpoint", "ftp://host");
        PipeDefinition d = parse(badEndpoint);
        assertThatThrownBy(d::newBuilder).isInstanceOf(DefinitionException.class)
                .hasMessageStartingWith("clickpipes.pipes.orders.sink: endpoint must start with http:// or https://");
    }

    @Test
    void aMissingRequiredKeyOrSectionIsNamed() {
        Map<String, Object> pipe = minimal();
        sink(pipe).remove("table");
        assertThatThrownBy(() -> parse(pipe)).hasMessageStartingWith("clickpipes.pipes.orders.sink.table: is required: The target table");

        Map<String, Object> noDecoder = minimal();
        noDecoder.remove("decoder");
        assertThatThrownBy(() -> parse(noDecoder)).hasMessageStartingWith("clickpipes.pipes.orders.decoder: is required");

        Map<String, Object> badType = minimal();
        badType.put("source", Map.of("type", "kinesis"));
        assertThatThrownBy(() -> parse(badType)).hasMessage("clickpipes.pipes.orders.source.type: unknown source 'kinesis';"
                + " expected one of [kafka, object-store, file, memory]");
    }

    @Test
    void anUnsetVariableOrAnUnreadableSecretFileFailsWithoutShowingAValue() {
        Map<String, Object> pipe = minimal();
        sink(pipe).put("password", "${NOT_SET_ANYWHERE}");
        assertThatThrownBy(() -> parse(pipe)).hasMessageStartingWith(
                "clickpipes.pipes.orders.sink.password: ${NOT_SET_ANYWHERE} is not set");

        Map<String, Object> file = minimal();
        sink(file).put("password", "file:" + dir.resolve("missing"));
        assertThatThrownBy(() -> parse(file)).hasMessageStartingWith(
                "clickpipes.pipes.orders.sink.password: cannot read the secret file " + dir.resolve("missing"));

        Map<String, Object> fallback = minimal();
        sink(fallback).put("user", "${NOT_SET_ANYWHERE:ingest}");
        assertThat(parse(fallback).describe()).contains("user: ingest");
    }

    @Test
    void settingsThatOnlyMakeSenseTogetherAreChecked() {
        Map<String, Object> pipe = minimal();
        sink(pipe).put("error-table", false);
        assertThatThrownBy(() -> parse(pipe)).hasMessageStartingWith(
                "clickpipes.pipes.orders.sink.error-table: false leaves rejected records nowhere");

        Map<String, Object> store = minimal();
        store.put("source", new LinkedHashMap<>(Map.of("type", "object-store", "url", "file:///tmp/x/*.ndjson", "mode", "continuous")));
        assertThatThrownBy(() -> parse(store)).hasMessageStartingWith(
                "clickpipes.pipes.orders.source.interval: is required with mode: continuous");
    }

    @Test
    void aSpringBoundListAndNestedPropertyKeysAreReadAsTheYamlOnes() throws Exception {
        // What Spring's Binder makes of a YAML list and of a dotted key in a Map<String, Object>.
        Map<String, Object> pipe = minimal();
        pipe.put("source", new LinkedHashMap<>(Map.of("type", "memory", "records", Map.of("0", "{\"id\": 1}", "1", "{\"id\": 2}"))));
        sink(pipe).put("insert-settings", Map.of("max_insert_block_size", "1000", "async", Map.of("insert", "0")));
        String shown = parse(pipe).describe();
        assertThat(shown).contains("records: 2 records", "max_insert_block_size: 1000", "async.insert: 0");
    }

    private PipeDefinition parse(Map<String, Object> pipe) {
        return PipeDefinition.parse("clickpipes.pipes.orders", "orders", pipe, env::get);
    }

    private String keyPath(Map<String, Object> pipe) {
        try {
            parse(pipe);
            return null;
        } catch (DefinitionException e) {
            return e.keyPath();
        }
    }

    private static Map<String, Object> minimal() {
        Map<String, Object> pipe = new LinkedHashMap<>();
        pipe.put("source", new LinkedHashMap<>(Map.of("type", "memory", "records", List.of("{\"id\": 1}"))));
        pipe.put("decoder", new LinkedHashMap<>(Map.of("type", "json")));
        Map<String, Object> sink = new LinkedHashMap<>();
        sink.put("endpoint", "http://127.0.0.1:8123");
        sink.put("table", "orders");
        pipe.put("sink", sink);
        return pipe;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> sink(Map<String, Object> pipe) {
        return (Map<String, Object>) pipe.get("sink");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> sample() throws IOException {
        try (InputStream in = PipeDefinitionTest.class.getResourceAsStream("/pipes.yaml")) {
            Map<String, Object> root = new Yaml().load(in);
            return (Map<String, Object>) root.get("pipes");
        }
    }
}
