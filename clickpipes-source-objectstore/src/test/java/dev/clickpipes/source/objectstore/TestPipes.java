package dev.clickpipes.source.objectstore;

import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.core.Batching;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import java.time.Duration;

/** Shared helpers: a pipe from a source into a table of the embedded engine. */
final class TestPipes {

    private TestPipes() {
    }

    static Pipe.Builder pipe(String name, ObjectStoreSource source, EmbeddedClickHouse clickhouse, String table) {
        return Pipe.builder().name(name).source(source).decoder(source.decoder())
                .batching(Batching.builder().maxRows(50_000).maxAge(Duration.ofMillis(300)).build())
                .sink(ClickHouseSink.builder().transport(clickhouse).table(table).errorTable(true).build());
    }

    static String events(int from, int count) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < from + count; i++) {
            sb.append("{\"id\":").append(i).append(",\"name\":\"n").append(i).append("\",\"v\":").append(i * 0.5).append("}\n");
        }
        return sb.toString();
    }
}
