package dev.clickpipes.testservices.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A main class running in a child JVM, for tests that kill real processes: the same {@code java}
 * binary as this JVM, this JVM's class path (a test class path, so test classes can be the main
 * class), {@code --enable-native-access=ALL-UNNAMED}, and this JVM's {@code clickpipes.*} and
 * {@code org.slf4j.*} system properties passed through (plus any given). Its standard output and
 * error go, appended, to one log file, for failure messages ({@link #logTail(int)}).
 *
 * <pre>{@code
 * ChildJvm child = ChildJvm.builder(MyPipeMain.class).arg("--table=db.t").log(dir.resolve("pipe-1.log")).start();
 * Thread.sleep(1500);
 * child.kill();              // SIGKILL: no shutdown hook, no finally block runs
 * }</pre>
 *
 * <p>Signals: {@link #kill()} is {@link Process#destroyForcibly()}, which on Linux and macOS
 * sends SIGKILL (the JDK's {@code ProcessImpl.destroy(true)}; the exit status is then 137 = 128 +
 * 9, checked by this module's tests); {@link #terminate(Duration)} sends SIGTERM first; {@link
 * #pause()} and {@link #resume()} send SIGSTOP and SIGCONT with the system's {@code kill}
 * command (the JDK has no API for them). Thread-safe.
 */
public final class ChildJvm implements AutoCloseable {

    private static final List<String> PASSED_PREFIXES = List.of("clickpipes.", "org.slf4j.");

    private final String name;
    private final Process process;
    private final Path log;

    private ChildJvm(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** A builder for a child running {@code mainClass}'s {@code main}. */
    public static Builder builder(Class<?> mainClass) {
        return new Builder(mainClass.getName());
    }

    /** A builder for a child running the named class's {@code main}. */
    public static Builder builder(String mainClass) {
        return new Builder(mainClass);
    }

    /** The child's process id. */
    public long pid() {
        return process.pid();
    }

    /** Whether the child runs (a stopped child counts as running). */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit status, or -1 while it runs; 137 after {@link #kill()}. */
    public int exitValue() {
        return process.isAlive() ? -1 : process.exitValue();
    }

    /** SIGKILLs the child and waits (up to 30 s) until it is gone. Does nothing when it has exited. */
    public void kill() {
        if (!process.isAlive()) {
            return;
        }
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(30));
    }

    /**
     * SIGTERMs the child (its shutdown hooks run) and waits up to {@code grace}; SIGKILLs it if it is
     * still there. Returns whether it ended by itself within the grace.
     */
    public boolean terminate(Duration grace) {
        if (!process.isAlive()) {
            return true;
        }
        process.destroy();
        if (awaitExit(grace)) {
            return true;
        }
        kill();
        return false;
    }

    /** SIGSTOPs the child: every thread freezes, sockets stay open, nothing is sent (no heartbeats). */
    public void pause() {
        signal("STOP");
    }

    /** SIGCONTs a child stopped by {@link #pause()}: it goes on where it was, unaware of the time that passed. */
    public void resume() {
        signal("CONT");
    }

    private void signal(String signal) {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " (pid " + pid() + ") has exited; cannot send SIG" + signal);
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid()))
                    .redirectErrorStream(true).start();
            String out = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid() + " failed: " + out.strip());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run kill -" + signal + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending SIG" + signal, e);
        }
    }

    /** Waits until the child exits, up to {@code timeout}; returns whether it did. */
    public boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /** The file the child's output goes to. */
    public Path log() {
        return log;
    }

    /** The last {@code lines} lines of the child's output, headed by its name, pid and state. */
    public String logTail(int lines) {
        String state = process.isAlive() ? "running" : "exit status " + process.exitValue();
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
            return "--- " + name + " (pid " + pid() + ", " + state + "), " + log + " ---\n"
                    + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "--- " + name + " (pid " + pid() + ", " + state + "): cannot read " + log + ": " + e;
        }
    }

    /** {@link #kill()}. */
    @Override
    public void close() {
        kill();
    }

    @Override
    public String toString() {
        return name + "[pid " + pid() + (process.isAlive() ? "" : ", exited " + process.exitValue()) + "]";
    }

    /** Configures a {@link ChildJvm}; {@link #start()} launches it. */
    public static final class Builder {
        private final String mainClass;
        private final List<String> args = new ArrayList<>();
        private final List<String> jvmOptions = new ArrayList<>();
        private final Map<String, String> properties = new LinkedHashMap<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private String name;
        private String maxHeap = "256m";
        private Path log;

        private Builder(String mainClass) {
            this.mainClass = Objects.requireNonNull(mainClass, "mainClass");
            for (String key : System.getProperties().stringPropertyNames()) {
                if (PASSED_PREFIXES.stream().anyMatch(key::startsWith)) {
                    properties.put(key, System.getProperty(key));
                }
            }
        }

        /** An argument to {@code main}. */
        public Builder arg(String value) {
            args.add(Objects.requireNonNull(value, "value"));
            return this;
        }

        /** A system property for the child ({@code -Dkey=value}); overrides a passed-through one. */
        public Builder systemProperty(String key, String value) {
            properties.put(key, value);
            return this;
        }

        /** One more JVM option, such as {@code -XX:+UseSerialGC}. */
        public Builder jvmOption(String option) {
            jvmOptions.add(option);
            return this;
        }

        /** An environment variable for the child (kept out of its command line). */
        public Builder env(String key, String value) {
            env.put(key, value);
            return this;
        }

        /** {@code -Xmx}; default {@code 256m}. */
        public Builder maxHeap(String value) {
            maxHeap = value;
            return this;
        }

        /** A name for messages; default the main class's simple name. */
        public Builder name(String value) {
            name = value;
            return this;
        }

        /** Where the child's output is appended. Default: a new temporary file. */
        public Builder log(Path file) {
            log = file;
            return this;
        }

        /** Launches the child and returns at once (it has not necessarily reached {@code main} yet). */
        public ChildJvm start() {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.add("--enable-native-access=ALL-UNNAMED");
            cmd.add("-Xmx" + maxHeap);
            cmd.addAll(jvmOptions);
            properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(mainClass);
            cmd.addAll(args);
            String label = name != null ? name : mainClass.substring(mainClass.lastIndexOf('.') + 1);
            try {
                Path out = log != null ? log : Files.createTempFile("clickpipes-child-", ".log");
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()));
                pb.environment().putAll(env);
                return new ChildJvm(label, pb.start(), out);
            } catch (IOException e) {
                throw new IllegalStateException("cannot start " + label + " (" + cmd.get(0) + "): " + e.getMessage(), e);
            }
        }
    }
}
