package dev.clickpipes.clickhouse.faults;

import dev.clickpipes.clickhouse.http.HttpTransport;
import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.core.Batching;
import dev.clickpipes.core.Delivery;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.format.Decoders;
import dev.clickpipes.source.memory.NdjsonFileSource;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The process {@link FileKillTest} kills: NDJSON lines of a file that the test keeps appending to
 * → {@code Decoders.json()} → {@code ClickHouseSink} over {@code HttpTransport}, until killed.
 * The file source is bounded (a pipe ends at the end of the file), so this runs one pipe after
 * another, each resuming after the line the previous one committed.
 *
 * <p>Arguments: {@code endpoint user table file mode [checkpoint]}; the password in {@code
 * CLICKPIPES_TEST_PASSWORD}. With a checkpoint file (at-least-once) a restarted process resumes
 * after its line; without one (exactly-once) a restarted process reads from line 0 and the
 * delivery state drops what is already in. SIGTERM closes the running pipe.
 */
public final class FilePipeMain {

    private static volatile Pipe current;
    private static volatile boolean stopping;

    private FilePipeMain() {}

    public static void main(String[] args) throws Exception {
        String endpoint = args[0];
        String user = args[1];
        String table = args[2];
        Path file = Path.of(args[3]);
        Delivery mode = Delivery.valueOf(args[4]);
        Path checkpoint = args.length > 5 ? Path.of(args[5]) : null;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping = true;
            Pipe p = current;
            if (p != null) {
                p.close();
            }
        }, "file-pipe-shutdown"));
        try (HttpTransport transport = HttpTransport.builder().endpoint(endpoint)
                .credentials(user, System.getenv("CLICKPIPES_TEST_PASSWORD")).build()) {
            long after = -1;
            int runs = 0;
            while (!stopping) {
                NdjsonFileSource source = checkpoint != null
                        ? NdjsonFileSource.startAfterLine(file, after).withCheckpoint(checkpoint)
                        : NdjsonFileSource.startAfterLine(file, after);
                Pipe pipe = Pipe.builder().name("kill-file").source(source).decoder(Decoders.json())
                        .sink(ClickHouseSink.builder().transport(transport).table(table).build())
                        .batching(Batching.builder().maxRows(400).maxAge(Duration.ofMillis(300)).build())
                        .delivery(mode).build();
                current = pipe;
                pipe.run(); // to the end of the file as it is now; throws when the pipe fails
                after = source.committedLine();
                if (++runs % 20 == 1) {
                    System.out.println("file pipe: run " + runs + " committed through line " + after);
                }
                Thread.sleep(100);
            }
        }
    }
}
