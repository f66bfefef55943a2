package dev.clickpipes.cli;

import dev.clickpipes.core.Pipe;
import dev.clickpipes.core.PipeMetrics;
import dev.clickpipes.core.spi.SourceLag;
import java.util.Locale;

/** One line about one pipe: its state and counters, for the progress lines and the summary of {@code run}. */
final class ProgressLine {

    private ProgressLine() {
    }

    /** {@code orders  running  read 12,345 (1.2 MB)  written 12,300  rejected 45  batches 3  lag 120 records}. */
    static String of(Pipe pipe, String state) {
        PipeMetrics m = pipe.metrics();
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "%s  %s  read %,d (%s)  written %,d  rejected %,d  batches %,d", pipe.name(), state, m.recordsRead(),
                bytes(m.bytesRead()), m.rowsWritten(), m.errorRows(), m.batches()));
        if (m.insertRetries() > 0) {
            s.append(String.format(Locale.ROOT, "  insert retries %,d", m.insertRetries()));
        }
        SourceLag lag = pipe.sourceLag();
        if (!lag.partitions().isEmpty()) {
            s.append(String.format(Locale.ROOT, "  lag %,d %s", lag.total(), lag.unit().name().toLowerCase(Locale.ROOT)));
        }
        return s.toString();
    }

    private static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
    }
}
