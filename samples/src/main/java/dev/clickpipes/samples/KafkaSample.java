package dev.clickpipes.samples;

import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.format.Decoders;
import dev.clickpipes.source.kafka.KafkaSource;
import dev.clickpipes.source.kafka.StartPosition;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import dev.clickpipes.testservices.KafkaLocal;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A Kafka pipe in a few lines: JSON orders from a topic into a ClickHouse table, with the record's
 * partition, offset and timestamp as virtual columns. Runs against a local broker in this JVM
 * ({@link KafkaLocal}) and the embedded engine; against a real cluster, set the bootstrap servers
 * and a security setting, e.g.
 * {@code .security(Security.saslSsl(Sasl.scramSha512(user, password), Tls.system()))}.
 */
public final class KafkaSample {

    private KafkaSample() {
    }

    /** Runs the sample. */
    public static void main(String[] args) throws Exception {
        KafkaLocal.quietLogs();
        EmbeddedClickHouse clickhouse = EmbeddedClickHouse.shared();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (KafkaLocal kafka = KafkaLocal.start(19096, 19097)) {
            kafka.createTopic("orders", 3);
            clickhouse.query("CREATE DATABASE IF NOT EXISTS shop");
            clickhouse.query("CREATE TABLE IF NOT EXISTS shop.orders (id UInt64, customer String, amount Decimal(10, 2),"
                    + " _partition Int32, _offset Int64, _timestamp DateTime64(3)) ENGINE = MergeTree ORDER BY id");

            // The pipe: the host owns the thread; close() flushes, commits and stops.
            Pipe pipe = Pipe.builder()
                    .name("orders")                                   // consumer group clickpipes-orders
                    .source(KafkaSource.builder()
                            .bootstrapServers(kafka.bootstrapServers())
                            .topics("orders")
                            .startFrom(StartPosition.earliest())
                            .build())
                    .decoder(Decoders.json())
                    .sink(ClickHouseSink.builder().transport(clickhouse).table("shop.orders").build())
                    .build();
            threads.execute(pipe);

            Properties p = new Properties();
            p.put("bootstrap.servers", kafka.bootstrapServers());
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
                for (int i = 1; i <= 1000; i++) {
                    String order = "{\"id\":" + i + ",\"customer\":\"c" + (i % 17) + "\",\"amount\":" + (i * 1.25) + "}";
                    producer.send(new ProducerRecord<>("orders", order.getBytes(StandardCharsets.UTF_8)));
                }
            }
            while (pipe.metrics().committedRows() < 1000) {
                Thread.sleep(200);
            }
            pipe.close();
            System.out.println(clickhouse.query("SELECT _partition, count(), sum(amount), max(_offset) FROM shop.orders"
                    + " GROUP BY _partition ORDER BY _partition"));
            System.out.println(pipe.metrics());
        } finally {
            threads.shutdown();
        }
    }
}
