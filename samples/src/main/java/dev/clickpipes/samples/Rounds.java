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
 * The rounds of a benchmark, so that its figures hold still on a shared machine: warm-up rounds that
 * are not counted (JIT, page cache, the engine's first parts), then {@code measured} rounds, and for
 * every figure recorded in them the median, min and max. Sides compared in one benchmark run
 * alternately in each round and their ratio is recorded per round, so both sides of a ratio saw the
 * same load.
 *
 * <p>Warm-up goes on for at least {@link #WARM_UP_SECONDS} (and at least one round, at most
 * {@link #MAX_WARM_UPS}): a single round of a short benchmark left the JIT compiling into the first
 * two measured rounds (ObjectStoreBenchmark's Parquet pipe: compiler threads 0.28 s and 0.10 s of CPU
 * in them, against 0.05 s from the fourth on, and those rounds 40% slower).
 */
final class Rounds {

    /** Measured rounds when the command line does not say. */
    static final int DEFAULT = 5;

    /** Warm-up rounds run until they have taken this long in all. */
    static final double WARM_UP_SECONDS = 10;

    /** Warm-up rounds at most, however short. */
    static final int MAX_WARM_UPS = 5;

    /** One round of a benchmark. */
    interface Round {
        /**
         * Runs one round.
         *
         * @param round a number of its own for each round, warm-ups first, from 0 (for names that must not repeat)
         * @param label "warm-up N" or "round N", for the round's own line
         */
        void run(int round, String label) throws Exception;
    }

    private final int measured;
    private final Map<String, List<Double>> figures = new LinkedHashMap<>();
    private int warmUps;
    private double warmUpSeconds;
    private boolean warmingUp;

    Rounds(int measured) {
        if (measured < 1) {
            throw new IllegalArgumentException("--rounds must be at least 1, got " + measured);
        }
        this.measured = measured;
    }

    /** Runs the warm-up rounds and then every measured round. */
    void run(Round body) throws Exception {
        warmingUp = true;
        long start = System.nanoTime();
        do {
            warmUps++;
            body.run(warmUps - 1, "warm-up " + warmUps);
            warmUpSeconds = (System.nanoTime() - start) / 1e9;
        } while (warmUpSeconds < WARM_UP_SECONDS && warmUps < MAX_WARM_UPS);
        warmingUp = false;
        for (int i = 1; i <= measured; i++) {
            body.run(warmUps + i - 1, String.format("round %d", i));
        }
    }

    /** Records a figure of the current round; figures of the warm-up rounds are dropped. */
    void record(String name, double value) {
        if (!warmingUp) {
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
        return String.format("median of %d rounds after %d warm-up%s of %.0f s (min..max)", measured, warmUps,
                warmUps == 1 ? "" : "s", warmUpSeconds);
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
