package dev.clickpipes.clickhouse.http;

import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.core.Batching;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.format.Decoders;
import dev.clickpipes.source.memory.MemorySource;
import java.util.Collections;

/**
 * The pipe that a deduplicating table must not shrink: {@value #RECORDS} identical JSON records,
 * one per batch (so one insert each), over HTTP into a table {@code (id UInt32, name String)}.
 */
final class IdenticalRecordsPipe {

    /** How many identical records the pipe sends. */
    static final int RECORDS = 5;
    /** The record, five times. */
    static final String RECORD = "{\"id\":1,\"name\":\"same\"}";

    private IdenticalRecordsPipe() {}

    /** Runs the pipe to the end of its records. */
    static void run(String endpoint, String user, String password, String table) {
        Pipe pipe = Pipe.builder()
                .name("identical")
                .source(MemorySource.of(Collections.nCopies(RECORDS, RECORD)))
                .decoder(Decoders.json())
                .sink(ClickHouseSink.builder().endpoint(endpoint).credentials(user, password).table(table).build())
                .batching(Batching.builder().maxRows(1).build())
                .build();
        pipe.run();
    }
}
