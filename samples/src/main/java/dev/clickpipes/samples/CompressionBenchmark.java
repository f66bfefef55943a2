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
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Compressed against plain insert bodies over HTTP: the JSON benchmark's events through a pipe
 * into the 26.5 engine in a child JVM ({@link ChdbServerProcess}, so this JVM's CPU is the
 * pipe's alone), reached through a {@link ByteCountingProxy} that counts every byte the pipe puts
 * on the wire (headers and its reads of system tables included). Per codec: bytes on the wire per
 * row, wall time, time in insert calls and this process's CPU per row, median and range over the
 * rounds after one warm-up round; then each codec against none (goal: at most a third of the
 * bytes for no more than 10 % more CPU).
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
        int rounds = 5;
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
        try (ChdbServerProcess server = ChdbServerProcess.builder().port(port).start();
                ByteCountingProxy proxy = ByteCountingProxy.start(port + 1, "127.0.0.1", port)) {
            Map<InsertCompression, List<Run>> runs = new EnumMap<>(InsertCompression.class);
            try (HttpTransport admin = transport(server, server.endpoint(), InsertCompression.NONE)) {
                System.out.printf("ClickHouse %s over HTTP (chDB in a child JVM), %,d events of %.0f B JSON,"
                                + " default batching, %d cores%n", admin.query("SELECT version()").strip(), events,
                        (double) Files.size(file) / events, Runtime.getRuntime().availableProcessors());
                for (int round = 0; round <= rounds; round++) {
                    StringBuilder line = new StringBuilder(round == 0 ? "warm-up  " : "round " + round + "  ");
                    for (InsertCompression codec : InsertCompression.values()) {
                        Run r = run(admin, server, proxy, file, events, codec);
                        line.append(String.format("  %s %.1f B/row %.2f s %.2f us CPU/row", codec,
                                r.wireBytes / (double) events, r.seconds, r.cpuSeconds * 1e6 / events));
                        if (round > 0) {
                            runs.computeIfAbsent(codec, c -> new ArrayList<>()).add(r);
                        }
                    }
                    System.out.println(line);
                }
            }
            report(runs, rounds, events);
        }
    }

    private static HttpTransport transport(ChdbServerProcess server, String endpoint, InsertCompression codec) {
        return HttpTransport.builder().endpoint(endpoint).credentials(server.user(), server.password())
                .compression(codec).build();
    }

    private static void report(Map<InsertCompression, List<Run>> runs, int rounds, int events) {
        System.out.printf("%nmedian of %d rounds (min..max):%n", rounds);
        Map<InsertCompression, double[]> bytes = new EnumMap<>(InsertCompression.class);
        Map<InsertCompression, double[]> cpu = new EnumMap<>(InsertCompression.class);
        for (Map.Entry<InsertCompression, List<Run>> e : runs.entrySet()) {
            List<Run> rs = e.getValue();
            double[] b = spread(rs.stream().mapToDouble(r -> r.wireBytes / (double) events).toArray());
            double[] wall = spread(rs.stream().mapToDouble(Run::seconds).toArray());
            double[] insert = spread(rs.stream().mapToDouble(Run::insertSeconds).toArray());
            double[] c = spread(rs.stream().mapToDouble(r -> r.cpuSeconds * 1e6 / events).toArray());
            bytes.put(e.getKey(), b);
            cpu.put(e.getKey(), c);
            System.out.printf("  %-4s wire %.1f B/row (%.1f..%.1f), wall %.2f s (%.2f..%.2f), insert calls %.2f s"
                            + " (%.2f..%.2f), pipe CPU %.2f us/row (%.2f..%.2f)%n", e.getKey(), b[1], b[0], b[2],
                    wall[1], wall[0], wall[2], insert[1], insert[0], insert[2], c[1], c[0], c[2]);
        }
        double[] none = bytes.get(InsertCompression.NONE);
        double[] noneCpu = cpu.get(InsertCompression.NONE);
        for (InsertCompression codec : new InsertCompression[] {InsertCompression.LZ4, InsertCompression.ZSTD}) {
            System.out.printf("  %-4s / NONE: bytes on the wire %.3f (goal <= 0.333), pipe CPU %.3fx (goal <= 1.10x)%n",
                    codec, bytes.get(codec)[1] / none[1], cpu.get(codec)[1] / noneCpu[1]);
        }
    }

    /** Index 0 min, 1 median, 2 max. */
    private static double[] spread(double[] values) {
        Arrays.sort(values);
        return new double[] {values[0], values[values.length / 2], values[values.length - 1]};
    }

    private record Run(long wireBytes, double seconds, double insertSeconds, double cpuSeconds) {
    }

    private static Run run(HttpTransport admin, ChdbServerProcess server, ByteCountingProxy proxy, Path file,
            int events, InsertCompression codec) throws Exception {
        String table = "bench_compression_" + codec.name().toLowerCase();
        admin.query("DROP TABLE IF EXISTS " + table);
        admin.query("CREATE TABLE " + table + " (" + EventGenerator.TABLE_COLUMNS
                + ") ENGINE = MergeTree ORDER BY (event_type, event_time)");
        AtomicLong insertNanos = new AtomicLong();
        try (HttpTransport t = transport(server, proxy.httpEndpoint(), codec)) {
            Pipe pipe = Pipe.builder()
                    .name("compression-" + codec)
                    .source(NdjsonFileSource.of(file))
                    .decoder(Decoders.json())
                    .sink(ClickHouseSink.builder().transport(t).table(table).build())
                    .listener(new PipeListener() {
                        @Override
                        public void onBatchCommitted(Pipe p, BatchReport report) {
                            insertNanos.addAndGet(report.insertTime().toNanos());
                        }
                    })
                    .build();
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            proxy.reset();
            long cpuBefore = os.getProcessCpuTime();
            long start = System.nanoTime();
            pipe.run();
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpu = (os.getProcessCpuTime() - cpuBefore) / 1e9;
            long wire = proxy.upstreamBytes();
            PipeMetrics m = pipe.metrics();
            long rows = Long.parseLong(admin.query("SELECT count() FROM " + table).strip());
            if (rows != events || m.errorRows() != 0 || t.compression() != codec) {
                throw new IllegalStateException(table + " has " + rows + " rows and " + m.errorRows()
                        + " error rows, expected " + events + " and 0; compression " + t.compression());
            }
            admin.query("DROP TABLE " + table);
            return new Run(wire, seconds, insertNanos.get() / 1e9, cpu);
        }
    }
}
