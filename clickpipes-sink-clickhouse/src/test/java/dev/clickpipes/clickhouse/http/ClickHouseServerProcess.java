package dev.clickpipes.clickhouse.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real ClickHouse server (Debian's {@code clickhouse-server} package, 18.16) run as a child
 * process with a configuration owned by the test: loopback only, the caller's ports, its own
 * data, tmp and log folders in a temporary folder, and two users, {@code default} without a
 * password and {@value #USER} with password {@value #PASSWORD}.
 *
 * <p>The server runs as the user running the tests (root in CI here: 18.16 accepts it); it only
 * needs to write the temporary folder. The binary is {@code /usr/sbin/clickhouse-server} unless
 * the system property {@code clickpipes.clickhouse.server} names another.
 */
public final class ClickHouseServerProcess implements AutoCloseable {

    /** The {@code {shard}} macro when a ZooKeeper is configured. */
    public static final String SHARD = "01";
    /** The {@code {replica}} macro when a ZooKeeper is configured. */
    public static final String REPLICA = "replica1";

    /** The user with a password. */
    public static final String USER = "clickpipes";
    /** {@link #USER}'s password. */
    public static final String PASSWORD = "s3cret-pass";

    private static final Logger LOG = LoggerFactory.getLogger(ClickHouseServerProcess.class);
    private static final long START_TIMEOUT_MS = 60_000;
    private static final long STOP_GRACE_MS = 10_000;

    private final int httpPort;
    private final int tcpPort;
    private final Path dir;
    private final Path binary;
    private int httpsPort = -1;
    private Path certificatePem;
    private Path privateKeyPem;
    private String zooKeeperHost;
    private int zooKeeperPort = -1;
    private Process process;
    private long lastStartMillis = -1;

    /**
     * Prepares (does not start) a server on 127.0.0.1.
     *
     * @param httpPort the HTTP port (tests use 18120–18129)
     * @param tcpPort the native protocol port (tests use 18130 and up); nothing in the tests uses
     *     it, but 18.16 always opens one and must not collide with a default 9000
     */
    public ClickHouseServerProcess(int httpPort, int tcpPort) {
        this.httpPort = httpPort;
        this.tcpPort = tcpPort;
        this.binary = findBinary();
        try {
            this.dir = Files.createTempDirectory("clickpipes-clickhouse-");
            Files.createDirectories(dir.resolve("log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Also serves HTTPS on {@code port} with this certificate (chain) and PKCS#8 private key, both
     * PEM. Call before {@link #start()}.
     */
    public ClickHouseServerProcess https(int port, Path certificatePem, Path privateKeyPem) {
        this.httpsPort = port;
        this.certificatePem = certificatePem;
        this.privateKeyPem = privateKeyPem;
        return this;
    }

    /**
     * Uses this ZooKeeper, so ReplicatedMergeTree tables work, with the macros {@code {shard}} =
     * {@value #SHARD} and {@code {replica}} = {@value #REPLICA}:
     * {@code ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/t', '{replica}') ORDER BY id}.
     * One replica only: no interserver port is opened. Call before {@link #start()}.
     */
    public ClickHouseServerProcess zooKeeper(String host, int port) {
        this.zooKeeperHost = host;
        this.zooKeeperPort = port;
        return this;
    }

    /**
     * Writes the configuration and starts the server; returns once {@code GET /ping} answers
     * {@code Ok.}.
     *
     * @throws IllegalStateException when a port is taken, or the server exits or does not answer
     *     within 60 seconds; the message ends with the tail of the server's logs
     */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("already running");
        }
        // A leftover server on the port would answer /ping and fool the wait below.
        for (int port : httpsPort > 0 ? new int[] {httpPort, tcpPort, httpsPort} : new int[] {httpPort, tcpPort}) {
            if (isListening(port)) {
                throw new IllegalStateException("port " + port + " on 127.0.0.1 is already in use");
            }
        }
        writeConfig();
        ProcessBuilder pb = new ProcessBuilder(binary.toString(),
                "--config-file=" + dir.resolve("config.xml"))
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("log/stdout.log").toFile()));
        long t0 = System.nanoTime();
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + binary + ": " + e.getMessage(), e);
        }
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("clickhouse-server exited with status "
                        + process.exitValue() + " while starting\n" + logTail(40));
            }
            if (ping()) {
                break;
            }
            if (System.currentTimeMillis() > deadline) {
                stop();
                throw new IllegalStateException("clickhouse-server did not answer /ping on port "
                        + httpPort + " within " + START_TIMEOUT_MS / 1000 + " s\n" + logTail(40));
            }
            sleep(50);
        }
        lastStartMillis = (System.nanoTime() - t0) / 1_000_000;
        LOG.info("clickhouse-server (pid {}) answers on {} after {} ms; folder {}",
                process.pid(), httpUrl(), lastStartMillis, dir);
    }

    /**
     * Stops the server: SIGTERM, then SIGKILL (to it and any child) if it has not exited after
     * 10 seconds. Keeps the data folder, so {@link #start()} again finds the same tables.
     */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        Process p = process;
        process = null;
        List<ProcessHandle> children = p.descendants().toList();
        long t0 = System.nanoTime();
        p.destroy();
        try {
            if (!p.waitFor(STOP_GRACE_MS, TimeUnit.MILLISECONDS)) {
                LOG.warn("clickhouse-server (pid {}) ignored SIGTERM for {} s; killing it", p.pid(),
                        STOP_GRACE_MS / 1000);
                children.forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(STOP_GRACE_MS, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            children.forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        // Children that outlived the parent (none expected: the server does not fork).
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        LOG.info("clickhouse-server (pid {}) stopped in {} ms", p.pid(), (System.nanoTime() - t0) / 1_000_000);
    }

    /** {@link #stop()}, then {@link #start()}. */
    public synchronized void restart() {
        stop();
        start();
    }

    /** Stops the server and deletes its folder. */
    @Override
    public synchronized void close() {
        stop();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", dir, e.toString());
        }
    }

    /** Whether the server process is running. */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** {@code http://127.0.0.1:<httpPort>}. */
    public String httpUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** {@code https://127.0.0.1:<httpsPort>}, when {@link #https} was called. */
    public String httpsUrl() {
        if (httpsPort < 0) {
            throw new IllegalStateException("HTTPS not configured");
        }
        return "https://127.0.0.1:" + httpsPort;
    }

    /** How long the last {@link #start()} took until {@code /ping} answered, in milliseconds. */
    public long lastStartMillis() {
        return lastStartMillis;
    }

    /** The server's folder (config, data, logs). */
    public Path directory() {
        return dir;
    }

    /** The last {@code lines} lines of the server's log, error log and stdout, for failure messages. */
    public String logTail(int lines) {
        StringBuilder out = new StringBuilder();
        for (String name : new String[] {"stdout.log", "server.err.log", "server.log"}) {
            Path f = dir.resolve("log").resolve(name);
            if (!Files.exists(f)) {
                continue;
            }
            try {
                List<String> all = Files.readAllLines(f, StandardCharsets.ISO_8859_1);
                out.append("--- ").append(f).append(" ---\n");
                all.subList(Math.max(0, all.size() - lines), all.size())
                        .forEach(l -> out.append(l).append('\n'));
            } catch (IOException e) {
                out.append("--- ").append(f).append(": ").append(e).append('\n');
            }
        }
        return out.toString();
    }

    private void writeConfig() {
        String d = dir.toString();
        String https = httpsPort < 0 ? "" : """
                    <https_port>%d</https_port>
                    <openSSL>
                        <server>
                            <certificateFile>%s</certificateFile>
                            <privateKeyFile>%s</privateKeyFile>
                            <verificationMode>none</verificationMode>
                            <loadDefaultCAFile>false</loadDefaultCAFile>
                            <cacheSessions>true</cacheSessions>
                            <disableProtocols>sslv2,sslv3</disableProtocols>
                            <preferServerCiphers>true</preferServerCiphers>
                        </server>
                    </openSSL>
                """.formatted(httpsPort, certificatePem, privateKeyPem);
        String zooKeeper = zooKeeperPort < 0 ? "" : """
                    <zookeeper>
                        <node><host>%s</host><port>%d</port></node>
                    </zookeeper>
                    <macros>
                        <shard>%s</shard>
                        <replica>%s</replica>
                    </macros>
                """.formatted(zooKeeperHost, zooKeeperPort, SHARD, REPLICA);
        // Only what 18.16 needs; every path inside the test's folder. No interserver_http_port:
        // without it 18.16 opens no replication port.
        String config = """
                <?xml version="1.0"?>
                <yandex>
                    <logger>
                        <level>information</level>
                        <log>%1$s/log/server.log</log>
                        <errorlog>%1$s/log/server.err.log</errorlog>
                        <size>50M</size>
                        <count>1</count>
                    </logger>
                    <listen_host>127.0.0.1</listen_host>
                    <http_port>%2$d</http_port>
                    <tcp_port>%3$d</tcp_port>
                %4$s%5$s    <path>%1$s/data/</path>
                    <tmp_path>%1$s/tmp/</tmp_path>
                    <user_files_path>%1$s/user_files/</user_files_path>
                    <format_schema_path>%1$s/format_schemas/</format_schema_path>
                    <users_config>users.xml</users_config>
                    <default_profile>default</default_profile>
                    <default_database>default</default_database>
                    <mark_cache_size>268435456</mark_cache_size>
                    <uncompressed_cache_size>268435456</uncompressed_cache_size>
                    <max_concurrent_queries>50</max_concurrent_queries>
                    <!-- On SIGTERM the server waits for idle keep-alive connections to time out
                         (10 s by default in 18.16); a short timeout keeps stop() quick. -->
                    <keep_alive_timeout>2</keep_alive_timeout>
                    <mlock_executable>false</mlock_executable>
                </yandex>
                """.formatted(d, httpPort, tcpPort, https, zooKeeper);
        String users = """
                <?xml version="1.0"?>
                <yandex>
                    <profiles>
                        <default/>
                    </profiles>
                    <users>
                        <default>
                            <password></password>
                            <networks><ip>127.0.0.1</ip></networks>
                            <profile>default</profile>
                            <quota>default</quota>
                        </default>
                        <%1$s>
                            <password>%2$s</password>
                            <networks><ip>127.0.0.1</ip></networks>
                            <profile>default</profile>
                            <quota>default</quota>
                        </%1$s>
                    </users>
                    <quotas>
                        <default/>
                    </quotas>
                </yandex>
                """.formatted(USER, PASSWORD);
        try {
            Files.writeString(dir.resolve("config.xml"), config);
            Files.writeString(dir.resolve("users.xml"), users);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean ping() {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(httpUrl() + "/ping").toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(2000);
            try (InputStream in = c.getInputStream()) {
                return c.getResponseCode() == 200
                        && new String(in.readAllBytes(), StandardCharsets.UTF_8).strip().equals("Ok.");
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean isListening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Path findBinary() {
        List<Path> candidates = new ArrayList<>();
        String configured = System.getProperty("clickpipes.clickhouse.server");
        if (configured != null && !configured.isBlank()) {
            candidates.add(Path.of(configured));
        }
        // Debian installs the server runner in /usr/sbin; other packagings use /usr/bin.
        candidates.add(Path.of("/usr/sbin/clickhouse-server"));
        candidates.add(Path.of("/usr/bin/clickhouse-server"));
        return candidates.stream().filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new IllegalStateException("no clickhouse-server binary among "
                        + candidates + "; install it with: apt-get install -y clickhouse-server"));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for clickhouse-server", e);
        }
    }
}
