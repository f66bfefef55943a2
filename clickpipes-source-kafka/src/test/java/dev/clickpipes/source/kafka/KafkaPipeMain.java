package dev.clickpipes.source.kafka;

import dev.clickpipes.clickhouse.http.HttpTransport;
import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.core.Batching;
import dev.clickpipes.core.Delivery;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.format.Decoders;
import java.time.Duration;

/**
 * The process {@link KafkaKillTest} kills: {@code KafkaSource → Decoders.json() → ClickHouseSink}
 * over {@code HttpTransport}, until killed (or SIGTERMed, which closes the pipe).
 *
 * <p>Arguments: {@code bootstrap topic group endpoint user table mode instanceId}; the password in
 * {@code CLICKPIPES_TEST_PASSWORD}. An {@code instanceId} other than {@code -} makes the consumer a
 * static member ({@code group.instance.id}): a restarted process takes its partitions back at once
 * instead of waiting for the dead one's session to expire. Sessions time out after 6 s.
 */
public final class KafkaPipeMain {

    private KafkaPipeMain() {}

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String topic = args[1];
        String group = args[2];
        String endpoint = args[3];
        String user = args[4];
        String table = args[5];
        Delivery mode = Delivery.valueOf(args[6]);
        String instanceId = args[7];
        try (HttpTransport transport = HttpTransport.builder().endpoint(endpoint)
                .credentials(user, System.getenv("CLICKPIPES_TEST_PASSWORD")).build()) {
            KafkaSource.Builder source = KafkaSource.builder().bootstrapServers(bootstrap).topics(topic).groupId(group)
                    .startFrom(StartPosition.EARLIEST)
                    .property("session.timeout.ms", 6_000).property("heartbeat.interval.ms", 1_000)
                    .property("max.poll.interval.ms", 30_000);
            if (!instanceId.equals("-")) {
                source.property("group.instance.id", instanceId);
            }
            Pipe pipe = Pipe.builder().name("kill-kafka").source(source.build()).decoder(Decoders.json())
                    .sink(ClickHouseSink.builder().transport(transport).table(table).build())
                    .batching(Batching.builder().maxRows(400).maxAge(Duration.ofMillis(300)).build())
                    .delivery(mode).build();
            Runtime.getRuntime().addShutdownHook(new Thread(pipe::close, "kafka-pipe-shutdown"));
            System.out.println("kafka pipe " + instanceId + " starting, " + mode);
            pipe.run();
        }
    }
}
