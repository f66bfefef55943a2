package dev.clickpipes.samples;

import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.format.Decoders;
import dev.clickpipes.source.kinesis.AwsAuth;
import dev.clickpipes.source.kinesis.KinesisSource;
import dev.clickpipes.source.kinesis.KinesisStartPosition;
import dev.clickpipes.source.kinesis.Retrieval;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * A Kinesis pipe: JSON orders from a stream into a ClickHouse table, with the record's shard,
 * sequence number and arrival time as virtual columns. Runs against local kinesis-mock and DynamoDB
 * Local (install them with scripts/deps/kinesis.sh) and the embedded engine; against AWS, drop the
 * endpoint overrides and pick an {@link AwsAuth}, e.g.
 * {@code AwsAuth.assumeRole("arn:aws:iam::123456789012:role/clickpipes", externalId)}.
 */
public final class KinesisSample {

    private KinesisSample() {
    }

    /** Runs the sample. */
    public static void main(String[] args) throws Exception {
        EmbeddedClickHouse clickhouse = EmbeddedClickHouse.shared();
        try (KinesisLocal local = KinesisLocal.start(19115);
                KinesisAsyncClient producer = KinesisAsyncClient.builder().region(Region.US_EAST_1)
                        .endpointOverride(local.kinesis())
                        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDSAMPLE", "sample")))
                        .build()) {
            producer.createStream(b -> b.streamName("orders").shardCount(2)).get();
            while (producer.describeStreamSummary(b -> b.streamName("orders")).get().streamDescriptionSummary().streamStatus()
                    != StreamStatus.ACTIVE) {
                Thread.sleep(100);
            }
            List<PutRecordsRequestEntry> orders = new ArrayList<>();
            for (int i = 1; i <= 100; i++) {
                orders.add(PutRecordsRequestEntry.builder().partitionKey("customer-" + i % 7)
                        .data(SdkBytes.fromUtf8String("{\"order_id\":" + i + ",\"amount\":" + (i * 2.5) + "}")).build());
            }
            producer.putRecords(b -> b.streamName("orders").records(orders)).get();

            clickhouse.query("CREATE DATABASE IF NOT EXISTS shop");
            clickhouse.query("CREATE TABLE IF NOT EXISTS shop.orders (order_id UInt64, amount Float64, _key String,"
                    + " _shard_id String, _sequence_number String, _timestamp DateTime64(3)) ENGINE = MergeTree ORDER BY order_id");

            Pipe pipe = Pipe.builder()
                    .name("orders")
                    .source(KinesisSource.builder()
                            .stream("orders")
                            .region(Region.US_EAST_1)
                            .endpointOverride(local.kinesis())
                            .dynamoDbEndpointOverride(local.dynamoDb())
                            .auth(AwsAuth.staticKeys("AKIDSAMPLE", "sample"))
                            .startFrom(KinesisStartPosition.trimHorizon())
                            .retrieval(Retrieval.POLLING)
                            .workerId("sample-worker")
                            .workerMetrics(false) // no EC2 metadata probe on a laptop
                            .build())
                    .decoder(Decoders.json())
                    .sink(ClickHouseSink.builder().transport(clickhouse).table("shop.orders").build())
                    .build();
            ExecutorService executor = Executors.newSingleThreadExecutor();
            executor.execute(pipe);
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (clickhouse.queryLong("SELECT count() FROM shop.orders") < 100 && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            pipe.close();
            executor.shutdown();
            System.out.print(clickhouse.query("SELECT _shard_id, count(), sum(amount), min(_timestamp) FROM shop.orders"
                    + " GROUP BY _shard_id ORDER BY _shard_id"));
            clickhouse.query("DROP DATABASE shop");
        }
        System.exit(0);
    }
}
