package dev.clickpipes.samples;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadFactory;

/**
 * The rounds of a benchmark, so that its figures hold still on a shared machine: one warm-up round
 * that is not counted (JIT, page cache, the engine's first parts), then {@code measured} rounds, and
 * for every figure recorded in them the median, min and max. Sides compared in one benchmark run
 * alternately in each round and their ratio is recorded per round, so both sides of a ratio saw the
 * same load.
 */
final class Rounds {

    /** Measured rounds when the command line does not say. */
    static final int DEFAULT = 5;

    /** One round of a benchmark. */
    interface Round {
        /**
         * Runs round {@code round} (0 is the warm-up).
         *
         * @param label "warm-up" or "round N", for the round's own line
         */
        void run(int round, String label) throws Exception;
    }

    private final int measured;
    private final Map<String, List<Double>> figures = new LinkedHashMap<>();
    private int current;

    Rounds(int measured) {
        if (measured < 1) {
            throw new IllegalArgumentException("--rounds must be at least 1, got " + measured);
        }
        this.measured = measured;
    }

    /** Runs the warm-up round and then every measured round. */
    void run(Round body) throws Exception {
        for (current = 0; current <= measured; current++) {
            body.run(current, current == 0 ? "warm-up" : String.format("round %d", current));
        }
    }

    /** Records a figure of the current round; figures of the warm-up are dropped. */
    void record(String name, double value) {
        if (current > 0) {
            figures.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
    }

    /** The median of a figure over the measured rounds. */
    double median(String name) {
        return sorted(name)[measured / 2];
    }

    /** {@code median (min..max)} of a figure, each value printed with {@code format}. */
    String summary(String name, String format) {
        double[] v = sorted(name);
        return String.format(format + " (" + format + ".." + format + ")", v[v.length / 2], v[0], v[v.length - 1]);
    }

    /** The header line of a summary. */
    String heading() {
        return String.format("median of %d rounds after a warm-up (min..max)", measured);
    }

    private double[] sorted(String name) {
        List<Double> values = figures.get(name);
        if (values == null) {
            throw new IllegalStateException("no figure " + name + " was recorded");
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        return v;
    }

    /** CPU seconds of this whole process so far (every thread, the embedded engine's included). */
    static double processCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }

    /**
     * A thread factory for the threads a pipe runs on, which adds up their CPU time: the pipe's own
     * CPU, apart from the engine's and the rest of the process. Read it before the threads end.
     */
    static final class CountedThreads implements ThreadFactory {
        private final String prefix;
        private final List<Thread> threads = new ArrayList<>();

        CountedThreads(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public synchronized Thread newThread(Runnable r) {
            Thread t = new Thread(r, prefix + "-" + threads.size());
            t.setDaemon(true);
            threads.add(t);
            return t;
        }

        /** CPU seconds of every thread made so far that is still alive. */
        synchronized double cpuSeconds() {
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            long nanos = 0;
            for (Thread t : threads) {
                nanos += Math.max(0, mx.getThreadCpuTime(t.threadId()));
            }
            return nanos / 1e9;
        }
    }
}
