package dev.clickpipes.samples;

import dev.clickpipes.core.Pipe;
import dev.clickpipes.core.PipeMetrics;

/**
 * Two ways of loading the same events, compared in {@link Rounds}: each round runs both, alternating which goes first
 * so that a drift in the machine's load hits both alike, and prints and records the wall time and the process's CPU
 * per event of each, and their ratios per round.
 */
final class PipeComparison {

    private PipeComparison() {
    }

    /** A pipe's run: wall seconds and the whole process's CPU seconds (pipe and engine). */
    record Run(double seconds, double cpuSeconds) {
        double cpuMicrosPerRecord(int events) {
            return cpuSeconds * 1e6 / events;
        }

        /** Runs {@code pipe} to its end on this thread; fails if it filed any record as an error. */
        static Run of(Pipe pipe) {
            double cpuBefore = Rounds.processCpuSeconds();
            long start = System.nanoTime();
            pipe.run();
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpu = Rounds.processCpuSeconds() - cpuBefore;
            PipeMetrics m = pipe.metrics();
            if (m.errorRows() != 0) {
                throw new IllegalStateException(m.errorRows() + " records were filed as errors: " + m.lastError());
            }
            return new Run(seconds, cpu);
        }
    }

    /** One side of the comparison: loads the events in round {@code round} (a number of its own, for names). */
    interface Side {
        Run run(int round) throws Exception;
    }

    /**
     * Runs the rounds and prints the summary: {@code other} against {@code base}, the ratios {@code other / base};
     * {@code goal} follows the ratios' line (such as {@code " (goal <= 1.1x)"}, or empty).
     */
    static void compare(Rounds r, int events, String baseName, Side base, String otherName, Side other, String goal)
            throws Exception {
        r.run((round, label) -> {
            Run o = round % 2 == 1 ? other.run(round) : null;
            Run b = base.run(round);
            o = o == null ? other.run(round) : o;
            System.out.printf("%-8s %s %.2f s, %.2f us CPU/record   %s %.2f s, %.2f us CPU/record%n", label, baseName,
                    b.seconds, b.cpuMicrosPerRecord(events), otherName, o.seconds, o.cpuMicrosPerRecord(events));
            r.record("base wall", b.seconds);
            r.record("base cpu", b.cpuMicrosPerRecord(events));
            r.record("other wall", o.seconds);
            r.record("other cpu", o.cpuMicrosPerRecord(events));
            r.record("wall ratio", o.seconds / b.seconds);
            r.record("cpu ratio", o.cpuSeconds / b.cpuSeconds);
        });
        System.out.printf("%n%s:%n", r.heading());
        System.out.printf("  %-22s wall %s s, CPU %s us/record%n", baseName + ":", r.summary("base wall", "%.2f"),
                r.summary("base cpu", "%.2f"));
        System.out.printf("  %-22s wall %s s, CPU %s us/record%n", otherName + ":", r.summary("other wall", "%.2f"),
                r.summary("other cpu", "%.2f"));
        System.out.printf("  %s / %s, per round: wall %sx, CPU per record %sx%s%n", otherName, baseName,
                r.summary("wall ratio", "%.3f"), r.summary("cpu ratio", "%.3f"), goal);
    }
}
