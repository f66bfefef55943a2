package com.example.orders;

import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.core.Batching;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.core.spi.Source;
import dev.clickpipes.format.Decoders;
import dev.clickpipes.source.kafka.KafkaSource;
import dev.clickpipes.source.kafka.StartPosition;

/**
 * The service's one pipe: JSON orders into {@code orders}, records that do not fit into its error
 * table. The definition takes its source and sink from the caller, so production reads Kafka and
 * a test reads memory into the embedded engine.
 */
public final class OrdersPipe {

    private OrdersPipe() {}

    /** The pipe, reading {@code source} into the table {@code sink} names. */
    public static Pipe pipe(Source source, ClickHouseSink.Builder sink) {
        return Pipe.builder()
                .name("orders")
                .source(source)
                .decoder(Decoders.json())
                .sink(sink.errorTable(true).build())
                .batching(Batching.defaults())
                .build();
    }

    /** Production: the {@code orders} topic into {@code analytics.orders} on a ClickHouse server. */
    public static Pipe fromKafka(String bootstrapServers, String clickhouseUrl, String user, String password) {
        return pipe(
                KafkaSource.builder()
                        .bootstrapServers(bootstrapServers)
                        .topics("orders")
                        .groupId("orders-to-clickhouse")
                        .startFrom(StartPosition.EARLIEST)
                        .build(),
                ClickHouseSink.builder().endpoint(clickhouseUrl).credentials(user, password).table("analytics.orders"));
    }
}
