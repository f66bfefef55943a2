package dev.clickpipes.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clickpipes.core.Pipe;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An object-store pipe on Azure Blob Storage, declared with each kind of Azure credentials: it builds and shows no secret. */
class AzureAuthDefinitionTest {

    private static final String KEY = "c2VjcmV0LWtleS1vZi10aGUtYWNjb3VudA==";
    private final Map<String, String> env = Map.of("AZURE_KEY", KEY, "AZURE_SAS", "sv=2022-11-02&sp=rl&sig=s3cret",
            "AZURE_CS", "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=" + KEY);

    private static Map<String, Object> pipe(Map<String, Object> auth) {
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("type", "object-store");
        source.put("url", "abfss://events@acme.dfs.core.windows.net/2026/**.ndjson");
        source.put("auth", auth);
        Map<String, Object> pipe = new LinkedHashMap<>();
        pipe.put("source", source);
        pipe.put("decoder", Map.of("type", "json"));
        pipe.put("sink", Map.of("endpoint", "http://127.0.0.1:8123", "table", "events"));
        return pipe;
    }

    @Test
    void eachKindOfAzureCredentialsBuildsAndShowsNoSecret() throws Exception {
        for (Map<String, Object> auth : java.util.List.<Map<String, Object>>of(
                Map.of("type", "azure-shared-key", "account-name", "acme", "account-key", "${AZURE_KEY}"),
                Map.of("type", "azure-sas", "sas-token", "${AZURE_SAS}"),
                Map.of("type", "azure-connection-string", "connection-string", "${AZURE_CS}"))) {
            PipeDefinition d = PipeDefinition.parse("clickpipes.pipes.events", "events", pipe(auth), env::get);
            Pipe built = d.build();
            String shown = d.describe() + d + built;
            assertThat(shown).doesNotContain(KEY).doesNotContain("s3cret");
            assertThat(d.describe()).contains("**** (from ${AZURE_");
            built.close(); // never run
        }
    }

    @Test
    void missingOrMalformedAzureCredentialsFailAtTheirKey() {
        assertThatThrownBy(() -> PipeDefinition.parse("clickpipes.pipes.events", "events",
                pipe(Map.of("type", "azure-shared-key", "account-name", "acme")), env::get).build())
                .hasMessageStartingWith("clickpipes.pipes.events.source.auth.account-key: is required with type: azure-shared-key");
        assertThatThrownBy(() -> PipeDefinition.parse("clickpipes.pipes.events", "events",
                pipe(Map.of("type", "azure-sas", "sas-token", "sv=2022-11-02&sp=rl")), env::get).build())
                .hasMessageStartingWith("clickpipes.pipes.events.source.auth.sas-token: ObjectAuth.azureSas: the token has no sig=");
    }
}
