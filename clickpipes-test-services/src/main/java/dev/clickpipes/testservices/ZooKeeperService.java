package dev.clickpipes.testservices;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.zookeeper.server.embedded.ExitHandler;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache ZooKeeper 3.9 server (standalone) inside this JVM, listening on 127.0.0.1 only,
 * with its data in a temporary directory that {@link #close()} deletes.
 *
 * <pre>{@code
 * ZooKeeperService zk = ZooKeeperService.shared();           // 127.0.0.1:20010 by default, one per JVM
 * EmbeddedClickHouse.builder().zooKeeper(zk.connectString()).start();
 *
 * try (ZooKeeperService own = ZooKeeperService.start(20011)) { ... }  // stopped at the end
 * }</pre>
 *
 * <p>The admin HTTP server (port 8080 by default) is off; four-letter-word commands are limited to
 * {@code ruok} and {@code srvr}. Thread-safe.
 */
public final class ZooKeeperService implements AutoCloseable {

    /** The system property that moves {@link #shared()} to another port. */
    public static final String PORT_PROPERTY = "clickpipes.zookeeper.port";

    /** The port of {@link #shared()}: the system property {@value #PORT_PROPERTY}, default 20010. */
    public static final int SHARED_PORT = Integer.getInteger(PORT_PROPERTY, 20010);

    private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperService.class);
    private static final long START_TIMEOUT_MS = 30_000;
    private static ZooKeeperService shared;

    private final int port;
    private final Path dir;
    private final ZooKeeperServerEmbedded server;
    private final boolean isShared;
    private boolean closed;

    private ZooKeeperService(int port, boolean isShared) {
        this.port = port;
        this.isShared = isShared;
        if (isListening(port)) {
            throw new IllegalStateException("port " + port + " on 127.0.0.1 is already in use; cannot start"
                    + " ZooKeeper there");
        }
        try {
            this.dir = Files.createTempDirectory("clickpipes-zookeeper-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a data directory for ZooKeeper", e);
        }
        Properties config = new Properties();
        config.setProperty("tickTime", "500");
        config.setProperty("initLimit", "10");
        config.setProperty("syncLimit", "5");
        config.setProperty("dataDir", dir.resolve("data").toString());
        config.setProperty("clientPort", Integer.toString(port));
        config.setProperty("clientPortAddress", "127.0.0.1");
        config.setProperty("admin.enableServer", "false");
        config.setProperty("4lw.commands.whitelist", "ruok,srvr");
        // ClickHouse asks for sessions of up to 30 s; tickTime 500 would cap them at 10 s.
        config.setProperty("maxSessionTimeout", "60000");
        long t0 = System.nanoTime();
        try {
            server = ZooKeeperServerEmbedded.builder()
                    .baseDir(dir)
                    .configuration(config)
                    .exitHandler(ExitHandler.LOG_ONLY)
                    .build();
            server.start(START_TIMEOUT_MS);
        } catch (Exception e) {
            deleteRecursively(dir);
            throw new IllegalStateException("ZooKeeper did not start on 127.0.0.1:" + port + ": " + e, e);
        }
        LOG.info("ZooKeeper serves 127.0.0.1:{} after {} ms; data in {}", port,
                (System.nanoTime() - t0) / 1_000_000, dir);
    }

    /**
     * The ZooKeeper shared by everything in this JVM, on 127.0.0.1:{@link #SHARED_PORT}, started on
     * first use and stopped by a shutdown hook. {@link #close()} on it does nothing.
     *
     * @throws IllegalStateException when the port is taken (by another JVM's shared ZooKeeper, say)
     */
    public static synchronized ZooKeeperService shared() {
        if (shared == null) {
            ZooKeeperService zk = new ZooKeeperService(SHARED_PORT, true);
            Runtime.getRuntime().addShutdownHook(new Thread(zk::stop, "clickpipes-zookeeper-shutdown"));
            shared = zk;
        }
        return shared;
    }

    /**
     * Starts a ZooKeeper of its own on 127.0.0.1:{@code port}; returns once it accepts clients.
     * Close it when done.
     *
     * @throws IllegalStateException when the port is taken or the server does not start in 30 s
     */
    public static ZooKeeperService start(int port) {
        return new ZooKeeperService(port, false);
    }

    /** {@code 127.0.0.1:<port>}, what ZooKeeper clients and {@code EmbeddedClickHouse.Builder.zooKeeper} take. */
    public String connectString() {
        return "127.0.0.1:" + port;
    }

    /** Always {@code 127.0.0.1}. */
    public String host() {
        return "127.0.0.1";
    }

    /** The client port. */
    public int port() {
        return port;
    }

    /** Stops the server and deletes its data; does nothing on {@link #shared()}. Idempotent. */
    @Override
    public void close() {
        if (isShared) {
            LOG.debug("close() on the shared ZooKeeper ignored; it stops when the JVM exits");
            return;
        }
        stop();
    }

    private synchronized void stop() {
        if (closed) {
            return;
        }
        closed = true;
        server.close();
        deleteRecursively(dir);
        LOG.info("ZooKeeper on 127.0.0.1:{} stopped", port);
    }

    @Override
    public String toString() {
        return "ZooKeeperService[" + connectString() + (isShared ? ", shared" : "") + "]";
    }

    static boolean isListening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("could not delete {}: {}", dir, e.toString());
        }
    }
}
