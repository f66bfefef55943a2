package dev.clickpipes.testservices.faults;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * Kills workers at random moments: one or more child JVMs ({@link ChildJvm}) run the process under
 * test; every round waits a random delay, SIGKILLs one worker chosen at random and starts it again
 * at once. After the rounds, {@link #finish} lets the workers run until the test's condition holds
 * (all records arrived), then stops them.
 *
 * <p>Replayable: every delay and every choice comes from one {@link Random} seeded with {@link
 * Builder#seed}, printed when the loop starts ({@code -Dclickpipes.faults.seed=S} replays it; the
 * timing of the processes themselves still varies). Bounded: {@link Builder#rounds} rounds of at
 * most {@link Builder#delay}'s maximum each, and a timeout on {@link #finish}.
 *
 * <pre>{@code
 * KillLoop loop = KillLoop.builder().label("file EXACTLY_ONCE")
 *         .launcher((worker, generation) -> ChildJvm.builder(PipeMain.class).arg(...).start()).build();
 * int kills = loop.run();
 * loop.finish(Duration.ofSeconds(60), () -> rowsInClickHouse() >= produced);
 * }</pre>
 */
public final class KillLoop {

    /** The system property naming the number of rounds; default {@value #DEFAULT_ROUNDS}. */
    public static final String ROUNDS_PROPERTY = "clickpipes.faults.rounds";
    /** The system property naming the seed; default a new one each run. */
    public static final String SEED_PROPERTY = "clickpipes.faults.seed";
    /** Rounds when {@value #ROUNDS_PROPERTY} is not set. */
    public static final int DEFAULT_ROUNDS = 20;

    /** Starts a worker: {@code worker} is its slot (0-based), {@code generation} how many times that slot was started before. */
    @FunctionalInterface
    public interface Launcher {
        ChildJvm start(int worker, int generation);
    }

    private final String label;
    private final long seed;
    private final int rounds;
    private final long minDelayMs;
    private final long maxDelayMs;
    private final Launcher launcher;
    private final PrintStream out;
    private final Random random;
    private final ChildJvm[] workers;
    private final int[] generations;
    private final List<ChildJvm> killed = new ArrayList<>();
    private final boolean restartExited;
    private int exits;

    private KillLoop(Builder b) {
        this.label = b.label;
        this.seed = b.seed;
        this.rounds = b.rounds;
        this.minDelayMs = b.minDelay.toMillis();
        this.maxDelayMs = b.maxDelay.toMillis();
        this.launcher = Objects.requireNonNull(b.launcher, "KillLoop.launcher is not set");
        this.out = b.out;
        this.random = new Random(seed);
        this.workers = new ChildJvm[b.workers];
        this.generations = new int[b.workers];
        this.restartExited = b.restartExited;
    }

    /** A builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The seed of this loop's random delays and choices. */
    public long seed() {
        return seed;
    }

    /** The rounds this loop runs. */
    public int rounds() {
        return rounds;
    }

    /** How many times a worker exited by itself and was started again (see {@link Builder#restartWorkersThatExit}). */
    public int exits() {
        return exits;
    }

    /** The workers now (the latest generation of each slot). */
    public List<ChildJvm> workers() {
        return List.of(workers);
    }

    /**
     * Starts the workers and runs the rounds; returns the number of kills (the rounds). A worker
     * that exits by itself (it failed) ends the loop with an {@link AssertionError} holding its
     * log, unless {@link Builder#restartWorkersThatExit} is on.
     */
    public int run() throws InterruptedException {
        out.printf("%s: kill loop seed %d (replay: -D%s=%d), %d rounds, delays %d-%d ms, %d worker(s)%n",
                label, seed, SEED_PROPERTY, seed, rounds, minDelayMs, maxDelayMs, workers.length);
        for (int w = 0; w < workers.length; w++) {
            launch(w);
        }
        for (int round = 1; round <= rounds; round++) {
            long delay = minDelayMs + (long) (random.nextDouble() * (maxDelayMs - minDelayMs));
            int victim = random.nextInt(workers.length);
            sleepChecking(delay);
            ChildJvm child = workers[victim];
            child.kill();
            killed.add(child);
            out.printf("%s: kill %d/%d: worker %d (pid %d) after %d ms%n", label, round, rounds, victim,
                    child.pid(), delay);
            launch(victim);
        }
        return rounds;
    }

    /** Writes records (to a topic, a stream, a bucket) on a thread of its own until {@code stopped} says so. */
    @FunctionalInterface
    public interface Writer {
        /** Writes until {@code stopped.getAsBoolean()}; an exception ends the writing and fails the test. */
        void writeUntil(BooleanSupplier stopped) throws Exception;
    }

    /** What a test does to the workers while a {@link Writer} runs, such as {@code loop::run}; returns the kills. */
    @FunctionalInterface
    public interface Faults {
        /** Does the faults; returns the number of kills. */
        int run() throws Exception;
    }

    /**
     * Does {@code faults} while {@code writer} writes on a thread named {@code writing}, then stops
     * the writer and waits for it; returns the kills. When the faults throw, or the writer failed
     * (an {@link AssertionError} naming {@code writing}, caused by the writer's exception), every
     * worker is stopped first.
     */
    public int whileWriting(String writing, Writer writer, Faults faults) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Exception> failure = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                writer.writeUntil(stop::get);
            } catch (Exception e) {
                failure.set(e);
            }
        }, writing);
        thread.start();
        int kills;
        try {
            kills = faults.run();
        } catch (Throwable t) {
            stopAll();
            throw t;
        } finally {
            stop.set(true);
            thread.join();
        }
        if (failure.get() != null) {
            stopAll();
            throw new AssertionError(writing + " failed", failure.get());
        }
        return kills;
    }

    /**
     * Zombie rounds, after {@link #run()}: each waits a random delay, SIGSTOPs a random worker for a
     * random time in {@code [minPause, maxPause)} (longer than a session timeout makes its group
     * give its work away), then SIGCONTs it: it goes on as a zombie that still believes it owns
     * that work. Returns the number of pauses.
     */
    public int pauseRounds(int rounds, Duration minPause, Duration maxPause) throws InterruptedException {
        out.printf("%s: %d SIGSTOP rounds of %d-%d ms (seed %d)%n", label, rounds, minPause.toMillis(),
                maxPause.toMillis(), seed);
        for (int round = 1; round <= rounds; round++) {
            long delay = minDelayMs + (long) (random.nextDouble() * (maxDelayMs - minDelayMs));
            int victim = random.nextInt(workers.length);
            long pause = minPause.toMillis() + (long) (random.nextDouble() * (maxPause.toMillis() - minPause.toMillis()));
            sleepChecking(delay);
            ChildJvm child = workers[victim];
            child.pause();
            out.printf("%s: SIGSTOP %d/%d: worker %d (pid %d) after %d ms, for %d ms%n", label, round, rounds, victim,
                    child.pid(), delay, pause);
            Thread.sleep(pause); // not sleepChecking: the stopped worker is alive, the others are checked below
            if (child.isAlive()) {
                child.resume();
                out.printf("%s: SIGCONT %d/%d: worker %d (pid %d) goes on as a zombie%n", label, round, rounds, victim,
                        child.pid());
            }
            checkAlive();
        }
        return rounds;
    }

    /**
     * Lets the workers run until {@code reached} holds (checked every 200 ms) or {@code timeout}
     * passes, then SIGTERMs them (SIGKILL after 10 s). Throws an {@link AssertionError} with the
     * workers' logs when the condition was not reached or a worker exited by itself.
     */
    public void finish(Duration timeout, BooleanSupplier reached) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!reached.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(label + ": the final run did not get there in " + timeout.toSeconds()
                            + " s (seed " + seed + ")\n" + logs());
                }
                checkAlive();
                Thread.sleep(200);
            }
        } finally {
            stopAll();
        }
    }

    /** Stops every worker still running: SIGTERM, SIGKILL after 10 s (also for a test's cleanup; idempotent). */
    public void stopAll() {
        for (ChildJvm w : workers) {
            if (w != null) {
                w.terminate(Duration.ofSeconds(10));
            }
        }
    }

    /** The tail of every current worker's log and of the last killed one. */
    public String logs() {
        StringBuilder s = new StringBuilder();
        for (ChildJvm w : workers) {
            if (w != null) {
                s.append(w.logTail(60)).append('\n');
            }
        }
        if (!killed.isEmpty()) {
            s.append("last killed: ").append(killed.get(killed.size() - 1).logTail(30)).append('\n');
        }
        return s.toString();
    }

    private void launch(int worker) {
        workers[worker] = launcher.start(worker, generations[worker]++);
    }

    private void sleepChecking(long ms) throws InterruptedException {
        long end = System.nanoTime() + ms * 1_000_000;
        for (long left = ms; left > 0; left = (end - System.nanoTime()) / 1_000_000) {
            Thread.sleep(Math.min(left, 100));
            checkAlive();
        }
    }

    private void checkAlive() {
        for (int i = 0; i < workers.length; i++) {
            ChildJvm w = workers[i];
            if (w != null && !w.isAlive() && restartExited) {
                exits++;
                String tail = w.logTail(200);
                String cause = tail.lines().filter(l -> l.contains("PipeException") || l.contains("another worker"))
                        .reduce((a, b) -> b).orElse(tail.substring(tail.lastIndexOf('\n') + 1));
                out.printf("%s: worker %d (pid %d) exited by itself with status %d; starting it again. %s%n", label,
                        i, w.pid(), w.exitValue(), cause.strip());
                launch(i);
            } else if (w != null && !w.isAlive()) {
                String logs = logs();
                stopAll();
                throw new AssertionError(label + ": " + w + " exited by itself (seed " + seed + ")\n" + logs);
            }
        }
    }

    /** Configures a {@link KillLoop}. */
    public static final class Builder {
        private String label = "kill loop";
        private long seed = Long.getLong(SEED_PROPERTY, new Random().nextLong());
        private int rounds = Integer.getInteger(ROUNDS_PROPERTY, DEFAULT_ROUNDS);
        private Duration minDelay = Duration.ofMillis(500);
        private Duration maxDelay = Duration.ofMillis(3000);
        private int workers = 1;
        private Launcher launcher;
        private PrintStream out = System.out;
        private boolean restartExited;

        private Builder() {}

        /**
         * Whether a worker that exits by itself is started again (and the reason printed) instead
         * of failing the loop: for workers that may stop on purpose, such as one that finds itself
         * fenced by another. Default false.
         */
        public Builder restartWorkersThatExit(boolean value) {
            restartExited = value;
            return this;
        }

        /** Names the loop in its output, such as {@code file EXACTLY_ONCE}. */
        public Builder label(String value) {
            label = Objects.requireNonNull(value, "label");
            return this;
        }

        /** The seed; default the {@value #SEED_PROPERTY} system property, else a new random one. */
        public Builder seed(long value) {
            seed = value;
            return this;
        }

        /** Kills; default the {@value #ROUNDS_PROPERTY} system property, else {@value #DEFAULT_ROUNDS}. */
        public Builder rounds(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("rounds must be >= 0, got " + value);
            }
            rounds = value;
            return this;
        }

        /** A round waits a uniformly random time in {@code [min, max)} before its kill; default 0.5-3 s. */
        public Builder delay(Duration min, Duration max) {
            if (min.isNegative() || max.compareTo(min) < 0) {
                throw new IllegalArgumentException("delay needs 0 <= min <= max, got " + min + ", " + max);
            }
            minDelay = min;
            maxDelay = max;
            return this;
        }

        /** How many workers run at once; each round kills one of them. Default 1. */
        public Builder workers(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("workers must be >= 1, got " + value);
            }
            workers = value;
            return this;
        }

        /** Starts a worker. Required. */
        public Builder launcher(Launcher value) {
            launcher = value;
            return this;
        }

        /** Where the seed and the kills are printed; default {@code System.out}. */
        public Builder out(PrintStream value) {
            out = Objects.requireNonNull(value, "out");
            return this;
        }

        /** The loop. */
        public KillLoop build() {
            return new KillLoop(this);
        }
    }
}
