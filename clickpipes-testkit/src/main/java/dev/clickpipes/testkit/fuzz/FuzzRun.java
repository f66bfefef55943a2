package dev.clickpipes.testkit.fuzz;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The long fuzz run, as a program: round-robin over targets (a decoder and how to make its
 * inputs) until the time is up, printing inputs tried per target as it goes and at the end, with
 * the heap figures. A target that fails (an Error out of its decoder, a hang, a failed check) is
 * reported with the input and dropped from the run; the exit status is 1 when any failed.
 */
public final class FuzzRun {

    /** One thing to fuzz: {@code check} feeds an input and throws AssertionError when it finds a bug. */
    public record Target(String name, Function<Random, byte[]> inputs, Consumer<byte[]> check, DecoderFuzz tally) {
    }

    private FuzzRun() {
    }

    /** The run's length from {@code args[0]} in seconds, else {@code fallback}. */
    public static Duration length(String[] args, Duration fallback) {
        return args.length > 0 ? Duration.ofSeconds(Long.parseLong(args[0])) : fallback;
    }

    /** Runs the targets for {@code length}; returns the exit status (0: no bug found). */
    public static int run(Duration length, long seed, List<Target> targets) {
        Random random = new Random(seed);
        System.out.println("fuzzing " + targets.size() + " targets for " + length.toSeconds() + " s, seed " + seed
                + ", heap limit " + (Runtime.getRuntime().maxMemory() >> 20) + " MB");
        DecoderFuzz.resetPeakHeap();
        List<Target> live = new ArrayList<>(targets);
        List<String> failures = new ArrayList<>();
        long end = System.nanoTime() + length.toNanos();
        long nextReport = System.nanoTime() + 10_000_000_000L;
        while (!live.isEmpty() && System.nanoTime() < end) {
            for (int i = 0; i < live.size(); i++) {
                Target t = live.get(i);
                byte[] input = t.inputs().apply(random);
                try {
                    t.check().accept(input);
                } catch (AssertionError | RuntimeException e) {
                    failures.add(t.name() + ": " + e.getMessage());
                    System.out.println("FAILED " + t.name() + ": " + e.getMessage());
                    live.remove(i--);
                }
            }
            if (System.nanoTime() > nextReport) {
                nextReport += 10_000_000_000L;
                for (Target t : targets) {
                    System.out.println("  " + t.tally().summary());
                }
            }
        }
        System.out.println("done:");
        for (Target t : targets) {
            System.out.println("  " + t.tally().summary());
            t.tally().bugSamples.forEach(s -> System.out.println("    decoder bug: " + s));
        }
        System.out.println("  " + DecoderFuzz.heapFigures());
        failures.forEach(f -> System.out.println("  FAILED " + f));
        long bugs = targets.stream().mapToLong(t -> t.tally().bugs).sum();
        return failures.isEmpty() && bugs == 0 ? 0 : 1;
    }
}
