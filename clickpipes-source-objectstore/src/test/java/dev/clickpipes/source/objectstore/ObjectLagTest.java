package dev.clickpipes.source.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clickpipes.core.spi.SourceLag;
import dev.clickpipes.core.spi.SourceRecord;
import dev.clickpipes.testservices.TestSourceContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The object source's lag: objects listed and still to load, falling to 0 as a one-time load reads them. */
class ObjectLagTest {

    @TempDir
    Path dir;

    @Test
    void objectsPendingFallAsEachObjectIsStartedAndEndAtZero() throws Exception {
        int objects = 7;
        int perObject = 6_000; // a poll hands out at most 10 000 records: polls end inside objects
        for (int i = 0; i < objects; i++) {
            StringBuilder lines = new StringBuilder();
            for (int j = 0; j < perObject; j++) {
                lines.append("{\"id\": ").append(i * perObject + j).append("}\n");
            }
            Files.writeString(dir.resolve("part-" + i + ".ndjson"), lines);
        }
        Files.writeString(dir.resolve("other.csv"), "not,listed\n"); // outside the glob: never counted
        String url = dir.toUri() + "part-*.ndjson";
        try (ObjectStoreSource source = ObjectStoreSource.builder().url(url).format(ObjectFormat.NDJSON).claimBatch(3).build()) {
            source.open(new TestSourceContext("lag"));
            Set<String> started = new LinkedHashSet<>();
            List<Long> seen = new ArrayList<>();
            int records = 0;
            while (!source.finished()) {
                for (SourceRecord r : source.poll(Duration.ofMillis(200))) {
                    started.add(String.valueOf(r.virtualColumn("_file")));
                    records++;
                }
                SourceLag lag = source.lag();
                assertThat(lag.unit()).isEqualTo(SourceLag.Unit.OBJECTS);
                assertThat(lag.partitions()).containsOnlyKeys(url);
                // looked up 3 at a time: never more than that, never more than what is left unstarted
                assertThat(lag.total()).isBetween(0L, Math.min(3L, objects - started.size()));
                seen.add(lag.total());
            }
            assertThat(records).isEqualTo(perObject * objects);
            assertThat(started).hasSize(objects);
            assertThat(seen).as("what the gauge showed poll by poll").contains(2L, 1L).endsWith(0L);
            assertThat(source.lag().total()).isZero();
        }
    }
}
