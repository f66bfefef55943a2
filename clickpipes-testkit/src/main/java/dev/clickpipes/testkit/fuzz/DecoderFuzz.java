package dev.clickpipes.testkit.fuzz;

import dev.clickpipes.clickhouse.TableColumn;
import dev.clickpipes.clickhouse.TableSchema;
import dev.clickpipes.core.FieldMapping;
import dev.clickpipes.core.RowBuffer;
import dev.clickpipes.core.spi.ByteSliceRecord;
import dev.clickpipes.core.spi.DecodeException;
import dev.clickpipes.core.spi.Decoder;
import dev.clickpipes.core.spi.SourcePosition;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Feeds inputs to a decoder the way the pipe does (one record, its rows rolled back when it fails)
 * and keeps the tally: an input ends as rows or as one error record; a RuntimeException out of
 * the decoder is a bug (the pipe would still file the record, as "decoder failed"); an Error
 * (OutOfMemoryError, StackOverflowError) or a decode over the time limit fails the run. Not
 * thread-safe: one per thread.
 */
public final class DecoderFuzz implements AutoCloseable {

    /**
     * The seed of the fuzz properties in the test suite: the suite tries the same inputs every
     * run, so it fails only on a regression; finding new bugs is the job of the long run
     * ({@code scripts/fuzz.sh}), whose inputs are random and whose finds are kept as regression files.
     */
    public static final String SUITE_SEED = "20261202";

    /** What became of one input. */
    public record Outcome(int rows, String error, boolean bug) {
    }

    private final String name;
    private final Decoder decoder;
    private final RowBuffer rows;
    private final long timeoutMillis;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fuzz-decoder");
        t.setDaemon(true);
        return t;
    });
    public long tries;
    public long rowsMade;
    public long errorRecords;
    public long bugs;
    public final List<String> bugSamples = new ArrayList<>();

    /**
     * @param columns name and type pairs of the target table, e.g. {@code "id", "UInt32"}
     */
    public DecoderFuzz(String name, Decoder decoder, long timeoutMillis, String... columns) {
        this.name = name;
        this.decoder = decoder;
        this.timeoutMillis = timeoutMillis;
        List<TableColumn> cols = new ArrayList<>();
        for (int i = 0; i < columns.length; i += 2) {
            cols.add(TableColumn.of(columns[i], columns[i + 1]));
        }
        rows = new RowBuffer(new TableSchema("fuzz", name, cols, ZoneOffset.UTC), FieldMapping.byName(), Set.of());
    }

    /** Decodes one input; throws AssertionError on an Error out of the decoder or a hang. */
    public Outcome feed(byte[] input) {
        tries++;
        long index = tries;
        ByteSliceRecord record = new ByteSliceRecord(input, 0, input.length) {
            @Override
            public SourcePosition position() {
                return new SourcePosition() {
                    @Override
                    public String partition() {
                        return name;
                    }

                    @Override
                    public String offsetText() {
                        return String.valueOf(index);
                    }

                    @Override
                    public String toString() {
                        return name + "@" + index;
                    }
                };
            }
        };
        Future<Outcome> f = thread.submit(() -> {
            int before = rows.rows();
            rows.beginRecord(record);
            try {
                decoder.decode(record, rows);
                return new Outcome(rows.rows() - before, null, false);
            } catch (DecodeException e) {
                rows.rollbackRecord();
                return new Outcome(0, e.kind() + ": " + e.getMessage(), false);
            } catch (RuntimeException e) {
                rows.rollbackRecord();
                return new Outcome(0, e.toString(), true);
            }
        });
        Outcome o;
        try {
            o = f.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new AssertionError(name + ": decoding took over " + timeoutMillis + " ms: " + save(input) + hex(input));
        } catch (ExecutionException e) {
            throw new AssertionError(name + ": " + e.getCause() + " out of the decoder for " + save(input) + hex(input),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
        if (o.rows() < 0) {
            throw new AssertionError(name + ": negative rows");
        }
        if (o.error() == null) {
            rowsMade += o.rows();
        } else {
            errorRecords++;
        }
        if (o.bug()) {
            bugs++;
            if (bugSamples.size() < 20) {
                bugSamples.add(o.error() + " for " + hex(input));
            }
        }
        if (rows.rows() > 5_000 || rows.byteSize() > 16 << 20) {
            rows.clear();
        }
        return o;
    }

    /** Keeps a failing input whole in {@code target/fuzz-failures/} (to add as a regression case); says where. */
    private String save(byte[] input) {
        try {
            java.nio.file.Path dir = java.nio.file.Path.of("target", "fuzz-failures");
            java.nio.file.Files.createDirectories(dir);
            java.nio.file.Path file = dir.resolve(name + "-" + System.currentTimeMillis() + "-" + tries + ".bin");
            java.nio.file.Files.write(file, input);
            return "(saved as " + file.toAbsolutePath() + ") ";
        } catch (java.io.IOException | RuntimeException e) {
            return "";
        }
    }

    /** The input's first bytes in hex, for a message (and for keeping it as a regression case). */
    public static String hex(byte[] input) {
        String h = HexFormat.of().formatHex(input, 0, Math.min(input.length, 2048));
        return input.length + " bytes: " + h + (input.length > 2048 ? "..." : "");
    }

    /** The heap figures: the pools' peak use (garbage included) and the JVM's heap limit, in MB. */
    public static String heapFigures() {
        return String.format("sum of the heap pools' peaks %d MB (garbage included; over-counts, the pools peak at"
                + " different times) under a %d MB heap limit",
                peakHeapBytes() >> 20, Runtime.getRuntime().maxMemory() >> 20);
    }

    /** One line of figures. */
    public String summary() {
        return String.format("%-14s %9d inputs  %9d rows  %9d error records  %d decoder bugs", name, tries, rowsMade,
                errorRecords, bugs);
    }

    /** The highest heap use of this JVM so far: the sum of every heap pool's peak (an upper bound), in bytes. */
    public static long peakHeapBytes() {
        long peak = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) {
                peak += p.getPeakUsage().getUsed();
            }
        }
        return peak;
    }

    /** Starts the peak over from now. */
    public static void resetPeakHeap() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
