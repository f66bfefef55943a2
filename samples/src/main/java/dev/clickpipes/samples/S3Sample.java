package dev.clickpipes.samples;

import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.core.PipeMetrics;
import dev.clickpipes.source.objectstore.ObjectAuth;
import dev.clickpipes.source.objectstore.ObjectStoreSource;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Loads objects from S3 (or any S3-compatible store) into ClickHouse: first a one-time load of
 * everything under a glob, then a continuous load that picks up new objects as they arrive.
 * Progress is kept in a state table next to the data, so running it again loads nothing twice.
 *
 * <pre>S3Sample URL [ENDPOINT] [ACCESS_KEY SECRET]
 *   URL       e.g. s3://bucket/events/**.ndjson.gz, https://bucket.s3.eu-west-1.amazonaws.com/x/*.parquet
 *   ENDPOINT  an S3-compatible endpoint such as http://127.0.0.1:9000 ("-" for AWS)
 *   keys      otherwise the default AWS credentials chain, or anonymous with "anonymous"</pre>
 *
 * The target here is the embedded engine; point {@code ClickHouseSink.builder().endpoint(...)} at a
 * server instead in real use.
 */
public final class S3Sample {

    private S3Sample() {
    }

    /** Runs the sample. */
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: S3Sample URL [ENDPOINT|-] [ACCESS_KEY SECRET | anonymous]");
            System.exit(2);
        }
        String url = args[0];
        String endpoint = args.length > 1 && !args[1].equals("-") ? args[1] : null;
        ObjectAuth auth = args.length > 3 ? ObjectAuth.accessKey(args[2], args[3])
                : args.length > 2 && args[2].equals("anonymous") ? ObjectAuth.anonymous() : ObjectAuth.defaultChain();

        EmbeddedClickHouse clickhouse = EmbeddedClickHouse.shared();
        clickhouse.query("CREATE DATABASE IF NOT EXISTS demo");
        clickhouse.query("CREATE TABLE IF NOT EXISTS demo.events (id UInt64, name String, v Float64, "
                + "_file String, _row UInt64) ENGINE = MergeTree ORDER BY id");

        // 1. One-time: list, load everything, finish. run() returns when done.
        ObjectStoreSource once = source(url, endpoint, auth).build();
        Pipe load = Pipe.builder().name("s3-once").source(once).decoder(once.decoder())
                .sink(ClickHouseSink.builder().transport(clickhouse).table("demo.events").build())
                .build();
        load.run();
        PipeMetrics m = load.metrics();
        System.out.printf("one-time load: %d objects, %s%n", once.objectsDone(), m);

        // 2. Continuous: look for new objects every 10 s; only keys after the last loaded one.
        ObjectStoreSource live = source(url, endpoint, auth)
                .continuous(Duration.ofSeconds(10), ObjectStoreSource.Ordering.LEXICAL)
                .build();
        Pipe follow = Pipe.builder().name("s3-live").source(live).decoder(live.decoder())
                .sink(ClickHouseSink.builder().transport(clickhouse).table("demo.events").build())
                .build();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        executor.execute(follow);
        Thread.sleep(30_000);               // the host decides how long; here 30 s
        follow.close();                     // inserts and commits what it has, then stops
        executor.shutdown();
        System.out.printf("continuous load: %d new objects, %s%n", live.objectsDone(), follow.metrics());
        System.out.println(clickhouse.query("SELECT _file, count() FROM demo.events GROUP BY _file ORDER BY _file"));
    }

    private static ObjectStoreSource.Builder source(String url, String endpoint, ObjectAuth auth) {
        ObjectStoreSource.Builder b = ObjectStoreSource.builder().url(url).auth(auth)
                .stateStore(EmbeddedClickHouse.shared(), "demo.events_objects");
        return endpoint == null ? b : b.endpoint(endpoint).pathStyle(true);
    }
}
