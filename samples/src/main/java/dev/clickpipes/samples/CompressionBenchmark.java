package dev.clickpipes.samples;

import dev.clickpipes.clickhouse.http.HttpTransport;
import dev.clickpipes.clickhouse.http.InsertCompression;
import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.core.BatchReport;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.core.PipeListener;
import dev.clickpipes.core.PipeMetrics;
import dev.clickpipes.format.Decoders;
import dev.clickpipes.source.memory.NdjsonFileSource;
import dev.clickpipes.testservices.ByteCountingProxy;
import dev.clickpipes.testservices.ChdbServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Compressed against plain insert bodies over HTTP: the JSON benchmark's events through a pipe
 * into the 26.5 engine in a child JVM ({@link ChdbServerProcess}, so the engine's CPU is not this
 * process's), reached through a {@link ByteCountingProxy} that counts every byte the pipe puts on
 * the wire (headers and its reads of system tables included). Per codec, in {@link Rounds} (a
 * warm-up, at least 10 s of it, then median, min and max of the measured rounds, the three codecs one after the other in
 * each round): bytes on the wire per row, wall time, time in insert calls, CPU per row of the pipe's
 * own threads (where bodies are encoded and compressed) and of the whole process (the proxy's relay
 * included); then each codec against none, per round (goal: at most a third of the bytes for no
 * more than 10 % more pipe CPU).
 *
 * <pre>CompressionBenchmark [--events N] [--rounds R] [--port P]</pre>
 * The server listens on {@code P} (default 20810), the proxy on {@code P+1}.
 */
public final class CompressionBenchmark {

    private CompressionBenchmark() {
    }

    /** Runs the benchmark. */
    public static void main(String[] args) throws Exception {
        int events = 500_000;
        int rounds = Rounds.DEFAULT;
        int port = 20810;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--events" -> events = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--port" -> port = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException(
                        "usage: CompressionBenchmark [--events N] [--rounds R] [--port P]");
            }
        }
        Path file = Path.of("target", "bench", "compression-" + events + ".ndjson").toAbsolutePath();
        if (!Files.exists(file)) {
            EventGenerator.write(file, events, 0);
        }
        int n = events;
        try (ChdbServerProcess server = ChdbServerProcess.builder().port(port).start();
                ByteCountingProxy proxy = ByteCountingProxy.start(port + 1, "127.0.0.1", port);
                HttpTransport admin = transport(server, server.endpoint(), InsertCompression.NONE)) {
            System.out.printf("ClickHouse %s over HTTP (chDB in a child JVM), %,d events of %.0f B JSON,"
                            + " default batching, %d cores%n", admin.query("SELECT version()").strip(), events,
                    (double) Files.size(file) / events, Runtime.getRuntime().availableProcessors());
            Rounds r = new Rounds(rounds);
            r.run((round, label) -> {
                StringBuilder line = new StringBuilder(String.format("%-9s", label));
                Map<InsertCompression, Run> runs = new EnumMap<>(InsertCompression.class);
                for (InsertCompression codec : InsertCompression.values()) {
                    Run run = run(admin, server, proxy, file, n, codec);
                    runs.put(codec, run);
                    r.record(codec + " bytes", run.wireBytes / (double) n);
                    r.record(codec + " wall", run.seconds);
                    r.record(codec + " insert", run.insertSeconds);
                    r.record(codec + " pipe cpu", run.pipeCpuSeconds * 1e6 / n);
                    r.record(codec + " process cpu", run.processCpuSeconds * 1e6 / n);
                    line.append(String.format("  %s %.1f B/row %.2f s, pipe %.2f us CPU/row", codec,
                            run.wireBytes / (double) n, run.seconds, run.pipeCpuSeconds * 1e6 / n));
                }
                Run none = runs.get(InsertCompression.NONE);
                for (InsertCompression codec : COMPRESSED) {
                    r.record(codec + " bytes ratio", runs.get(codec).wireBytes / (double) none.wireBytes);
                    r.record(codec + " cpu ratio", runs.get(codec).pipeCpuSeconds / none.pipeCpuSeconds);
                }
                System.out.println(line);
            });
            System.out.printf("%n%s:%n", r.heading());
            for (InsertCompression codec : InsertCompression.values()) {
                System.out.printf("  %-4s wire %s B/row, wall %s s, insert calls %s s, pipe CPU %s us/row,"
                                + " process CPU %s us/row%n", codec, r.summary(codec + " bytes", "%.1f"),
                        r.summary(codec + " wall", "%.2f"), r.summary(codec + " insert", "%.2f"),
                        r.summary(codec + " pipe cpu", "%.2f"), r.summary(codec + " process cpu", "%.2f"));
            }
            for (InsertCompression codec : COMPRESSED) {
                System.out.printf("  %-4s / NONE, per round: bytes on the wire %s (goal <= 0.333), pipe CPU %sx"
                        + " (goal <= 1.10x)%n", codec, r.summary(codec + " bytes ratio", "%.3f"),
                        r.summary(codec + " cpu ratio", "%.3f"));
            }
        }
    }

    private static final InsertCompression[] COMPRESSED = {InsertCompression.LZ4, InsertCompression.ZSTD};

    private static HttpTransport transport(ChdbServerProcess server, String endpoint, InsertCompression codec) {
        return HttpTransport.builder().endpoint(endpoint).credentials(server.user(), server.password())
                .compression(codec).build();
    }

    private record Run(long wireBytes, double seconds, double insertSeconds, double pipeCpuSeconds,
            double processCpuSeconds) {
    }

    private static Run run(HttpTransport admin, ChdbServerProcess server, ByteCountingProxy proxy, Path file,
            int events, InsertCompression codec) throws Exception {
        String table = "bench_compression_" + codec.name().toLowerCase(Locale.ROOT);
        admin.query("DROP TABLE IF EXISTS " + table);
        admin.query("CREATE TABLE " + table + " (" + EventGenerator.TABLE_COLUMNS
                + ") ENGINE = MergeTree ORDER BY (event_type, event_time)");
        AtomicLong insertNanos = new AtomicLong();
        Rounds.CountedThreads counted = new Rounds.CountedThreads("bench-" + codec);
        ExecutorService threads = Executors.newFixedThreadPool(2, counted);
        try (HttpTransport t = transport(server, proxy.httpEndpoint(), codec)) {
            Pipe pipe = Pipe.builder()
                    .name("compression-" + codec)
                    .source(NdjsonFileSource.of(file))
                    .decoder(Decoders.json())
                    .sink(ClickHouseSink.builder().transport(t).table(table).build())
                    .insertExecutor(threads)
                    .listener(new PipeListener() {
                        @Override
                        public void onBatchCommitted(Pipe p, BatchReport report) {
                            insertNanos.addAndGet(report.insertTime().toNanos());
                        }
                    })
                    .build();
            proxy.reset();
            double cpuBefore = Rounds.processCpuSeconds();
            long start = System.nanoTime();
            threads.execute(pipe);
            PipeMetrics m = pipe.completion().get();
            double seconds = (System.nanoTime() - start) / 1e9;
            double pipeCpu = counted.cpuSeconds();
            double cpu = Rounds.processCpuSeconds() - cpuBefore;
            long wire = proxy.upstreamBytes();
            long rows = Long.parseLong(admin.query("SELECT count() FROM " + table).strip());
            if (rows != events || m.errorRows() != 0 || t.compression() != codec) {
                throw new IllegalStateException(table + " has " + rows + " rows and " + m.errorRows()
                        + " error rows, expected " + events + " and 0; compression " + t.compression());
            }
            admin.query("DROP TABLE " + table);
            return new Run(wire, seconds, insertNanos.get() / 1e9, pipeCpu, cpu);
        } finally {
            threads.shutdown();
        }
    }
}
