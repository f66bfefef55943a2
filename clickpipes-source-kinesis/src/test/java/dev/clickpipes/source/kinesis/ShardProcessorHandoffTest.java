package dev.clickpipes.source.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.ProcessRecordsInput;
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;
import software.amazon.kinesis.retrieval.KinesisClientRecord;
import software.amazon.kinesis.retrieval.kpl.ExtendedSequenceNumber;

/**
 * A chunk that a {@link ShardProcessor} could not hand over (its KCL thread interrupted while the
 * {@link Handoff} was full) is never checkpointed past, and the shard's lease is given back to KCL
 * so that the chunk is read again. In-JVM: the processor and the hand-off are the real ones, KCL's
 * calls are made by the test, and the checkpointer records what would reach the lease table.
 */
class ShardProcessorHandoffTest {

    private static final String SHARD = "shardId-000000000000";

    @Test
    void anInterruptedHandOffIsNeverCheckpointedPastAndTheLeaseIsReleased() throws Exception {
        Handoff handoff = new Handoff(1, Long.MAX_VALUE); // one record fills it
        List<String> released = new CopyOnWriteArrayList<>();
        List<String> checkpointed = new CopyOnWriteArrayList<>();
        RecordProcessorCheckpointer checkpointer = recording(checkpointed);
        ShardProcessor processor = new ShardProcessor(handoff, "orders", () -> false, Duration.ofSeconds(1), released::add);
        processor.initialize(InitializationInput.builder().shardId(SHARD)
                .extendedSequenceNumber(ExtendedSequenceNumber.TRIM_HORIZON).build());

        processor.processRecords(input(checkpointer, "100")); // queued: the hand-off is now full

        Thread kcl = new Thread(() -> processor.processRecords(input(checkpointer, "200")), "kcl-shard-0");
        kcl.start();
        awaitWaiting(kcl);
        kcl.interrupt(); // e.g. KCL shutting the consumer's executor down: record 200 is dropped
        kcl.join(5000);
        assertThat(kcl.isAlive()).isFalse();

        // KCL goes on with the shard's next records, on its thread, while the pipe drains the queue.
        Thread next = new Thread(() -> processor.processRecords(input(checkpointer, "300")), "kcl-shard-0-next");
        next.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (System.nanoTime() < deadline) {
            Object head = handoff.peek(Duration.ofMillis(100));
            if (head instanceof Handoff.Chunk chunk) {
                handoff.remove(chunk);
                // The pipe inserted the chunk; it commits its last position (what KinesisSource.commit does).
                KinesisPosition last = (KinesisPosition) chunk.records().get(chunk.records().size() - 1).position();
                last.lease.checkpoint(last);
            }
        }
        next.join(5000);
        assertThat(next.isAlive()).isFalse();

        assertThat(checkpointed).as("checkpoints past the dropped record 200").noneMatch(s -> Long.parseLong(s) >= 200);
        assertThat(released).containsExactly(SHARD);
    }

    private static void awaitWaiting(Thread t) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (t.getState() != Thread.State.TIMED_WAITING && t.getState() != Thread.State.WAITING) {
            assertThat(System.nanoTime()).as("the KCL thread waits in put").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private static ProcessRecordsInput input(RecordProcessorCheckpointer checkpointer, String sequenceNumber) {
        KinesisClientRecord record = KinesisClientRecord.builder()
                .data(ByteBuffer.wrap(("{\"seq\":" + sequenceNumber + "}").getBytes(StandardCharsets.UTF_8)))
                .sequenceNumber(sequenceNumber)
                .subSequenceNumber(0)
                .partitionKey("k")
                .approximateArrivalTimestamp(Instant.now())
                .build();
        return ProcessRecordsInput.builder().records(List.of(record)).checkpointer(checkpointer).build();
    }

    /** A checkpointer that records the sequence number of every checkpoint(sequence, sub) call. */
    private static RecordProcessorCheckpointer recording(List<String> checkpointed) {
        return (RecordProcessorCheckpointer) Proxy.newProxyInstance(
                RecordProcessorCheckpointer.class.getClassLoader(),
                new Class<?>[] {RecordProcessorCheckpointer.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("checkpoint") && args != null && args.length == 2) {
                        checkpointed.add((String) args[0]);
                        return null;
                    }
                    if (method.getName().equals("toString")) {
                        return "recording checkpointer";
                    }
                    throw new UnsupportedOperationException(method.toString());
                });
    }
}
