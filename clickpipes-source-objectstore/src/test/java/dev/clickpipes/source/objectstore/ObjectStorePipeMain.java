package dev.clickpipes.source.objectstore;

import dev.clickpipes.clickhouse.http.HttpTransport;
import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.core.Batching;
import dev.clickpipes.core.Delivery;
import dev.clickpipes.core.Pipe;
import java.time.Duration;

/**
 * The process {@link ObjectStoreKillTest} kills: {@code ObjectStoreSource} (S3, continuous, lexical
 * order, its progress in a state table of the destination) → the source's NDJSON decoder → {@code
 * ClickHouseSink} over {@code HttpTransport}, until killed (or SIGTERMed, which closes the pipe).
 *
 * <p>Arguments: {@code url s3Endpoint endpoint user table stateTable mode workerId [leaseMillis
 * [ordering]]} (without a lease: one worker, a progress log; default ordering LEXICAL, {@code ONCE}
 * for a one-time load that exits when every object is done); the ClickHouse password in
 * {@code CLICKPIPES_TEST_PASSWORD}, the S3 keys {@link S3ProxyServer}'s. With a stable worker id a
 * restarted process still holds the objects it had taken and resumes them after their last committed
 * row; {@code random} leaves the id to the source's default (a new UUID every start), which waits for
 * the old incarnation's leases to end.
 */
public final class ObjectStorePipeMain {

    private ObjectStorePipeMain() {}

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String s3Endpoint = args[1];
        String endpoint = args[2];
        String user = args[3];
        String table = args[4];
        String stateTable = args[5];
        Delivery mode = Delivery.valueOf(args[6]);
        String workerId = args[7];
        Coordination coordination = args.length > 8 ? Coordination.leases(Duration.ofMillis(Long.parseLong(args[8])))
                : Coordination.singleWorker();
        boolean once = args.length > 9 && args[9].equals("ONCE");
        ObjectStoreSource.Ordering ordering = args.length > 9 && !once ? ObjectStoreSource.Ordering.valueOf(args[9])
                : ObjectStoreSource.Ordering.LEXICAL;
        try (HttpTransport transport = HttpTransport.builder().endpoint(endpoint)
                .credentials(user, System.getenv("CLICKPIPES_TEST_PASSWORD")).build()) {
            ObjectStoreSource.Builder b = ObjectStoreSource.builder().url(url).endpoint(s3Endpoint).pathStyle(true)
                    .auth(ObjectAuth.accessKey(S3ProxyServer.ACCESS, S3ProxyServer.SECRET))
                    .coordination(coordination).stateStore(transport, stateTable)
                    .workerId(workerId.equals("random") ? null : workerId);
            ObjectStoreSource source = (once ? b.oneTime() : b.continuous(Duration.ofMillis(300), ordering)).build();
            Pipe pipe = Pipe.builder().name("kill-objects").source(source).decoder(source.decoder())
                    .sink(ClickHouseSink.builder().transport(transport).table(table).build())
                    .batching(Batching.builder().maxRows(400).maxAge(Duration.ofMillis(300)).build())
                    .delivery(mode).build();
            Runtime.getRuntime().addShutdownHook(new Thread(pipe::close, "objectstore-pipe-shutdown"));
            System.out.println("object-store pipe " + workerId + " starting, " + mode);
            pipe.run();
        }
    }
}
