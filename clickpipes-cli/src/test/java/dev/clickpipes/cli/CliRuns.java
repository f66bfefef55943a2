package dev.clickpipes.cli;

import dev.clickpipes.testservices.KafkaLocal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

/** What the runner's tests share: records into a topic, a runner's log, waiting on a condition with the log at hand. */
final class CliRuns {

    private CliRuns() {
    }

    /** Sends {@code n} records {@code value(i)}, keyed {@code k<i>}, and waits until the broker has them all. */
    static void produce(KafkaLocal kafka, String topic, int n, IntFunction<String> value) throws InterruptedException {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            records.add(new ProducerRecord<>(topic, ("k" + i).getBytes(StandardCharsets.UTF_8),
                    value.apply(i).getBytes(StandardCharsets.UTF_8)));
        }
        kafka.send(records);
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
