package dev.clickpipes.cli;

import dev.clickpipes.testservices.KafkaLocal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** What the runner's tests share: records into a topic, a runner's log, waiting on a condition with the log at hand. */
final class CliRuns {

    private CliRuns() {
    }

    /** Sends {@code n} records {@code value(i)}, keyed {@code k<i>}, and waits for them all. */
    static void produce(KafkaLocal kafka, String topic, int n, IntFunction<String> value) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                "key.serializer", StringSerializer.class.getName(), "value.serializer", StringSerializer.class.getName()))) {
            for (int i = 0; i < n; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, value.apply(i)));
            }
        }
    }

    /** The log so far, empty before the file exists. */
    static String logOf(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits up to 120 s for {@code condition}, checking every 100 ms; fails with the runner's log. */
    static void await(BooleanSupplier condition, String what, Path log) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; the runner's output:\n" + logOf(log));
            }
            Thread.sleep(100);
        }
    }
}
