package dev.clickpipes.samples;

import dev.clickpipes.clickhouse.TableColumn;
import dev.clickpipes.clickhouse.TableSchema;
import dev.clickpipes.core.FieldMapping;
import dev.clickpipes.core.RowBuffer;
import dev.clickpipes.core.spi.Decoder;
import dev.clickpipes.format.Decoders;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The JSON decoder alone, on one thread, no engine: the lines of the benchmark's events file
 * decoded into the column buffers of the events table, cleared every 100 000 rows as a batch would
 * be. Prints the CPU time of the decoding thread (which the machine's other load disturbs much less
 * than wall time), as median, min and max over the rounds after the warm-up ({@link Rounds}).
 *
 * <pre>JsonDecodeBenchmark [--events N] [--rounds R]</pre>
 */
public final class JsonDecodeBenchmark {

    private JsonDecodeBenchmark() {
    }

    /** Runs the benchmark. */
    public static void main(String[] args) throws Exception {
        int events = 1_000_000;
        int rounds = Rounds.DEFAULT;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--events" -> events = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("usage: JsonDecodeBenchmark [--events N] [--rounds R]");
            }
        }
        Path file = Path.of("target", "bench", "events-" + events + ".ndjson").toAbsolutePath();
        if (!Files.exists(file)) {
            EventGenerator.write(file, events, 0);
        }
        byte[] data = Files.readAllBytes(file);
        List<FileLine> lines = new ArrayList<>(events);
        for (int start = 0, nl; start < data.length; start = nl + 1) {
            nl = start;
            while (nl < data.length && data[nl] != '\n') {
                nl++;
            }
            lines.add(new FileLine(data, start, nl - start));
        }
        List<TableColumn> columns = new ArrayList<>();
        for (String c : EventGenerator.TABLE_COLUMNS.split(",\n")) {
            String[] nameType = c.strip().split(" ", 2);
            columns.add(TableColumn.of(nameType[0], nameType[1]));
        }
        RowBuffer rows = new RowBuffer(new TableSchema("bench", "events", columns, ZoneOffset.UTC),
                FieldMapping.byName(), Set.of());
        Decoder decoder = Decoders.json();
        System.out.printf("JSON decoder alone, %,d events, %,d bytes, one thread%n", lines.size(), data.length);
        Rounds r = new Rounds(rounds);
        r.run((round, label) -> {
            long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            long start = System.nanoTime();
            for (FileLine line : lines) {
                rows.beginRecord(line);
                decoder.decode(line, rows);
                if (rows.rows() == 100_000) {
                    rows.clear();
                }
            }
            rows.clear();
            double wall = (System.nanoTime() - start) / 1e9;
            double seconds = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu) / 1e9;
            System.out.printf("%-8s CPU %.3f s = %.0f MB/s, wall %.3f s%n", label, seconds, data.length / seconds / 1e6,
                    wall);
            r.record("cpu", seconds);
        });
        System.out.printf("%n%s: decoding CPU %s s = %.0f MB of JSON per CPU-second, %.0f ns per event%n",
                r.heading(), r.summary("cpu", "%.3f"), data.length / r.median("cpu") / 1e6,
                r.median("cpu") * 1e9 / lines.size());
    }
}
