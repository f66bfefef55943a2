package dev.clickpipes.definition;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ReferencePageTest {

    @Test
    void thePageInTheRepositoryIsTheOneTheCodeWrites() throws Exception {
        Path page = Path.of(System.getProperty("clickpipes.reference.page", "../docs/pipe-definition.md"));
        String written = Files.exists(page) ? Files.readString(page, StandardCharsets.UTF_8) : "(missing)";
        assertThat(written)
                .as("docs/pipe-definition.md is stale: after a build, regenerate it with java -cp"
                        + " clickpipes-definition/target/classes:clickpipes-core/target/classes"
                        + " dev.clickpipes.definition.ReferencePage docs/pipe-definition.md")
                .isEqualTo(ReferencePage.render());
    }

    @Test
    void everyDeclaredKeyAndEveryRefusedOneIsOnThePage() {
        String page = ReferencePage.render();
        for (Section s : DefinitionSchema.sections().values()) {
            assertThat(page).contains("## " + s.title());
            s.keys().keySet().forEach(k -> assertThat(page).contains("| `" + k + "` |"));
            s.refused().keySet().forEach(k -> assertThat(page).contains("- `" + k + "`: "));
        }
        assertThat(page).contains("| `max-rows` | int | 100000 |", "| `initial-backoff` | duration | 200ms |");
    }
}
