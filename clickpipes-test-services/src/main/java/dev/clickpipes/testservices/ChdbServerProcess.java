package dev.clickpipes.testservices;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A ClickHouse server that outlives the process under test: {@link ChdbHttpServer} (the ClickHouse
 * 26.5 engine behind a minimal HTTP front) in a child JVM, so a pipe in this JVM, or in another
 * child that a crash test SIGKILLs, talks to it over HTTP like to any server.
 *
 * <pre>{@code
 * try (ChdbServerProcess ch = ChdbServerProcess.builder().port(20020).start()) {
 *     HttpTransport t = HttpTransport.builder().endpoint(ch.endpoint())
 *             .credentials(ch.user(), ch.password()).build();
 * }
 * }</pre>
 *
 * <p>The child runs the same {@code java} binary with this JVM's class path (which must hold this
 * module, the testkit and an SLF4J binding, as a test class path does), {@code
 * --enable-native-access=ALL-UNNAMED} and the {@code clickpipes.chdb.lib} system property passed
 * through. Its output goes to {@code server.log} in a folder of its own ({@link #logTail(int)}).
 */
public final class ChdbServerProcess implements AutoCloseable {

    /** The default user. */
    public static final String DEFAULT_USER = "clickpipes";
    /** The default password of {@link #DEFAULT_USER}. */
    public static final String DEFAULT_PASSWORD = "chdb-pass";

    private static final Logger LOG = LoggerFactory.getLogger(ChdbServerProcess.class);
    private static final long START_TIMEOUT_MS = 120_000;
    private static final long STOP_GRACE_MS = 10_000;
    private static final String CHDB_LIB_PROPERTY = "clickpipes.chdb.lib";

    private final int port;
    private final String user;
    private final String password;
    private final String zooKeeper;
    private final boolean refuseCompressedBodies;
    private final Path dataDir;
    private final boolean deleteDataDir;
    private final Path logDir;
    private Process process;

    private ChdbServerProcess(Builder b) {
        this.port = b.port;
        this.user = b.user;
        this.password = b.password;
        this.zooKeeper = b.zooKeeper;
        this.refuseCompressedBodies = b.refuseCompressedBodies;
        try {
            this.logDir = Files.createTempDirectory("clickpipes-chdb-server-");
            this.dataDir = b.dataDir != null ? b.dataDir.toAbsolutePath() : logDir.resolve("data");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.deleteDataDir = b.dataDir == null ? !b.keepDataDir : false;
    }

    /** A new builder; {@link Builder#port(int)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    private synchronized void launch() {
        if (ZooKeeperService.isListening(port)) {
            throw new IllegalStateException("port " + port + " on 127.0.0.1 is already in use");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Xmx512m");
        String lib = System.getProperty(CHDB_LIB_PROPERTY);
        if (lib != null && !lib.isBlank()) {
            cmd.add("-D" + CHDB_LIB_PROPERTY + "=" + lib);
        }
        // The child logs like this JVM (slf4j-simple levels).
        System.getProperties().stringPropertyNames().stream().filter(n -> n.startsWith("org.slf4j.simpleLogger."))
                .sorted().forEach(n -> cmd.add("-D" + n + "=" + System.getProperty(n)));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ChdbHttpServer.class.getName());
        cmd.add("--data-dir=" + dataDir);
        cmd.add("--port=" + port);
        cmd.add("--user=" + user);
        if (zooKeeper != null) {
            cmd.add("--zookeeper=" + zooKeeper);
        }
        if (refuseCompressedBodies) {
            cmd.add("--refuse-compressed-bodies=true");
        }
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logDir.resolve("server.log").toFile()));
        pb.environment().put(ChdbHttpServer.PASSWORD_ENV, password);
        long t0 = System.nanoTime();
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + cmd.get(0) + ": " + e.getMessage(), e);
        }
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (!selectOne()) {
            if (!process.isAlive()) {
                int status = process.exitValue();
                process = null;
                throw new IllegalStateException("the chDB server JVM exited with status " + status
                        + " while starting\n" + logTail(40));
            }
            if (System.currentTimeMillis() > deadline) {
                stop();
                throw new IllegalStateException("the chDB server did not answer SELECT 1 on port " + port
                        + " within " + START_TIMEOUT_MS / 1000 + " s\n" + logTail(40));
            }
            sleep(50);
        }
        LOG.info("chDB server (pid {}) answers on {} after {} ms; data in {}", process.pid(), endpoint(),
                (System.nanoTime() - t0) / 1_000_000, dataDir);
    }

    /** Starts the server again after {@link #stop()} or {@link #kill()}, on the same data directory. */
    public synchronized void restart() {
        stop();
        launch();
    }

    /**
     * Stops the server: SIGTERM (the engine closes cleanly), then SIGKILL if it has not exited after
     * 10 seconds. Keeps the data directory.
     */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        Process p = process;
        process = null;
        p.destroy();
        try {
            if (!p.waitFor(STOP_GRACE_MS, TimeUnit.MILLISECONDS)) {
                LOG.warn("chDB server (pid {}) ignored SIGTERM for {} s; killing it", p.pid(), STOP_GRACE_MS / 1000);
                p.destroyForcibly().waitFor(STOP_GRACE_MS, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
        LOG.info("chDB server (pid {}) stopped", p.pid());
    }

    /** SIGKILLs the server at once (a crash); the data directory stays. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        Process p = process;
        process = null;
        p.destroyForcibly();
        try {
            p.waitFor(STOP_GRACE_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@link #stop()}, then deletes the data directory unless it was given or kept, and the log folder. */
    @Override
    public synchronized void close() {
        stop();
        if (dataDir.startsWith(logDir) && !deleteDataDir) {
            ZooKeeperService.deleteRecursively(logDir.resolve("server.log"));
        } else {
            ZooKeeperService.deleteRecursively(logDir); // holds the data only when it is not kept
        }
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** The one user the server accepts. */
    public String user() {
        return user;
    }

    /** {@link #user()}'s password. */
    public String password() {
        return password;
    }

    /** The engine's data directory. */
    public Path dataDir() {
        return dataDir;
    }

    /** The child's process id, or -1 when it is not running. */
    public synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    /** Whether the child runs. */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The last {@code lines} lines of the child's output, for failure messages. */
    public String logTail(int lines) {
        Path f = logDir.resolve("server.log");
        try {
            List<String> all = Files.readAllLines(f, StandardCharsets.ISO_8859_1);
            return "--- " + f + " ---\n" + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "--- " + f + ": " + e;
        }
    }

    private boolean selectOne() {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(endpoint() + "/").toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(10_000);
            c.setDoOutput(true);
            c.setRequestMethod("POST");
            c.setRequestProperty("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
            try (OutputStream out = c.getOutputStream()) {
                out.write("SELECT 1".getBytes(StandardCharsets.UTF_8));
            }
            try (InputStream in = c.getInputStream()) {
                return c.getResponseCode() == 200
                        && new String(in.readAllBytes(), StandardCharsets.UTF_8).strip().equals("1");
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            return false;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the chDB server", e);
        }
    }

    /** Configures a {@link ChdbServerProcess}; {@link #start()} launches it. */
    public static final class Builder {

        private int port = -1;
        private String user = DEFAULT_USER;
        private String password = DEFAULT_PASSWORD;
        private String zooKeeper;
        private Path dataDir;
        private boolean keepDataDir;
        private boolean refuseCompressedBodies;

        private Builder() {}

        /**
         * Whether requests with {@code decompress=1} (ClickHouse-compressed bodies) are refused
         * with {@code Code: 48 NOT_IMPLEMENTED}, as by a front that does not read that framing.
         * Default false: they are read as ClickHouse reads them.
         */
        public Builder refuseCompressedBodies(boolean refuse) {
            this.refuseCompressedBodies = refuse;
            return this;
        }

        /** The HTTP port on 127.0.0.1. Required. */
        public Builder port(int port) {
            if (port <= 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 1-65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /** The one user and its password. Default {@value #DEFAULT_USER} / {@value #DEFAULT_PASSWORD}. */
        public Builder credentials(String user, String password) {
            this.user = Objects.requireNonNull(user, "user");
            this.password = password == null ? "" : password;
            return this;
        }

        /** A ZooKeeper for the engine ({@code host:port}), for KeeperMap tables. Default none. */
        public Builder zooKeeper(String connectString) {
            this.zooKeeper = Objects.requireNonNull(connectString, "connectString");
            return this;
        }

        /** The engine's data directory, never deleted by {@link #close()}. Default: a temporary one. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
            return this;
        }

        /** Whether {@link #close()} keeps the default temporary data directory. Default false. */
        public Builder keepDataDir(boolean keep) {
            this.keepDataDir = keep;
            return this;
        }

        /**
         * Launches the child JVM and waits (up to 2 minutes) until it answers {@code SELECT 1}.
         *
         * @throws IllegalStateException when the port is taken, or the child exits or does not
         *     answer in time; the message ends with the child's output
         */
        public ChdbServerProcess start() {
            if (port < 0) {
                throw new IllegalArgumentException("port is required: .port(20020)");
            }
            ChdbServerProcess p = new ChdbServerProcess(this);
            p.launch();
            return p;
        }
    }
}
