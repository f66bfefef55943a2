package dev.clickpipes.source.kinesis;

import dev.clickpipes.clickhouse.http.HttpTransport;
import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.core.Batching;
import dev.clickpipes.core.Delivery;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.format.Decoders;
import java.net.URI;
import java.time.Duration;

/**
 * The process {@link KinesisKillTest} kills: {@code KinesisSource → Decoders.json() →
 * ClickHouseSink} over {@code HttpTransport}, until killed (or SIGTERMed, which closes the pipe).
 *
 * <p>Arguments: {@code kinesisEndpoint dynamoDbEndpoint stream application endpoint user table mode
 * workerId}; the password in {@code CLICKPIPES_TEST_PASSWORD}. The worker id stays the same across
 * restarts, so a restarted process finds the shards' leases under its own name and takes them back
 * at once instead of waiting for them to expire; the KCL intervals are the tests' short ones
 * ({@link KinesisTestServers#source(URI, URI, String, String)}).
 */
public final class KinesisPipeMain {

    private KinesisPipeMain() {}

    public static void main(String[] args) throws Exception {
        URI kinesis = URI.create(args[0]);
        URI dynamoDb = URI.create(args[1]);
        String stream = args[2];
        String application = args[3];
        String endpoint = args[4];
        String user = args[5];
        String table = args[6];
        Delivery mode = Delivery.valueOf(args[7]);
        String workerId = args[8];
        try (HttpTransport transport = HttpTransport.builder().endpoint(endpoint)
                .credentials(user, System.getenv("CLICKPIPES_TEST_PASSWORD")).build()) {
            KinesisSource source = KinesisTestServers.source(kinesis, dynamoDb, stream, workerId)
                    .applicationName(application).build();
            Pipe pipe = Pipe.builder().name("kill-kinesis").source(source).decoder(Decoders.json())
                    .sink(ClickHouseSink.builder().transport(transport).table(table).build())
                    .batching(Batching.builder().maxRows(400).maxAge(Duration.ofMillis(300)).build())
                    .delivery(mode).build();
            Runtime.getRuntime().addShutdownHook(new Thread(pipe::close, "kinesis-pipe-shutdown"));
            System.out.println("kinesis pipe " + workerId + " starting, " + mode);
            pipe.run();
        }
    }
}
