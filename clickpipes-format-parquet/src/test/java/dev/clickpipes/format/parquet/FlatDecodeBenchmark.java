package dev.clickpipes.format.parquet;

import dev.clickpipes.clickhouse.types.Column;
import dev.clickpipes.clickhouse.types.Columns;
import dev.clickpipes.clickhouse.types.DataType;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The CPU one thread spends reading a Parquet file's rows and writing them into column buffers,
 * with the bulk page decoders ({@link ColumnChunkDecoder}) and with parquet-java's column reader,
 * side by side in each round: no pipe, no insert, so it holds still on a shared machine. The file
 * is ObjectStoreBenchmark's (run that first) unless one is named; its columns are written into
 * ObjectStoreBenchmark's column types.
 *
 * <pre>scripts/parquet-decode-benchmark.sh [FILE] [--rounds R]</pre>
 */
public final class FlatDecodeBenchmark {

    private static final String[] TYPES = {"UInt64", "UInt32", "String", "String", "Decimal(18, 4)",
        "DateTime64(6, 'UTC')", "Array(String)", "Float64", "Bool"};

    private FlatDecodeBenchmark() {
    }

    /** Runs the benchmark. */
    public static void main(String[] args) throws Exception {
        Path file = Path.of("target", "bench", "objects", "events.parquet");
        int rounds = 5;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--rounds")) {
                rounds = Integer.parseInt(args[++i]);
            } else {
                file = Path.of(args[i]);
            }
        }
        List<List<Double>> cpu = List.of(new ArrayList<>(), new ArrayList<>());
        List<List<Double>> allocated = List.of(new ArrayList<>(), new ArrayList<>());
        for (int round = 0; round <= rounds; round++) {
            StringBuilder line = new StringBuilder(round == 0 ? "warm-up " : String.format("round %d ", round));
            for (int bulk = 1; bulk >= 0; bulk--) {
                double[] r = run(file, bulk == 1);
                if (round > 0) {
                    cpu.get(bulk).add(r[0]);
                    allocated.get(bulk).add(r[2] / r[1]);
                }
                line.append(String.format("| %s %.3f s CPU, %.0f MB allocated per 1M rows, for %,.0f rows ",
                        bulk == 1 ? "bulk decoders" : "parquet-java reader", r[0], r[2] / r[1], r[1]));
            }
            System.out.println(line);
        }
        System.out.printf("median of %d rounds after a warm-up (min..max), CPU of one thread reading and writing %s:%n"
                + "  bulk decoders %s s, parquet-java reader %s s%n"
                + "MB the thread allocated per 1M rows: bulk decoders %s, parquet-java reader %s%n", rounds, file,
                summary(cpu.get(1)), summary(cpu.get(0)), summary(allocated.get(1)), summary(allocated.get(0)));
    }

    /**
     * CPU seconds, rows, and bytes the thread allocated (the garbage a pipe's GC threads collect, whose CPU
     * the first figure leaves out) of reading every row of {@code file} into fresh columns (cleared every
     * 100 000 rows).
     */
    private static double[] run(Path file, boolean bulk) throws Exception {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocatedBefore = mx.getCurrentThreadAllocatedBytes();
        Column[] columns = new Column[TYPES.length];
        for (int i = 0; i < TYPES.length; i++) {
            columns[i] = Columns.create("c" + i, DataType.parse(TYPES[i]), ZoneOffset.UTC);
        }
        long start = mx.getCurrentThreadCpuTime();
        long rows = 0;
        try (ParquetRowReader reader = ParquetRowReader.open(RandomAccessInput.of(file), bulk)) {
            for (ParquetRow row; (row = reader.next()) != null; ) {
                for (int i = 0; i < columns.length; i++) {
                    row.write(i, columns[i]);
                }
                if (++rows % 100_000 == 0) {
                    for (Column c : columns) {
                        c.clear();
                    }
                }
            }
        }
        return new double[] {(mx.getCurrentThreadCpuTime() - start) / 1e9, rows,
            (double) (mx.getCurrentThreadAllocatedBytes() - allocatedBefore)};
    }

    private static String summary(List<Double> values) {
        List<Double> v = new ArrayList<>(values);
        Collections.sort(v);
        return String.format("%.3f (%.3f..%.3f)", v.get(v.size() / 2), v.get(0), v.get(v.size() - 1));
    }
}
