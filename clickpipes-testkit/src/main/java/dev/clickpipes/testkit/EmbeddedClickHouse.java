package dev.clickpipes.testkit;

import dev.clickpipes.clickhouse.ClickHouseException;
import dev.clickpipes.clickhouse.ClickHouseTransport;
import dev.clickpipes.core.spi.SinkException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real ClickHouse engine (chDB's {@code libchdb.so}, ClickHouse 26.5) running inside this JVM,
 * called through the FFM API on Java 22+ and through JNA on Java 17 and 21; a {@link ClickHouseTransport}, so the sink's code runs against it
 * unchanged.
 *
 * <pre>{@code
 * EmbeddedClickHouse ch = EmbeddedClickHouse.shared();
 * try (TestDatabase db = ch.newDatabase()) {
 *     ch.query("CREATE TABLE " + db.table("t") + " (x UInt64) ENGINE = MergeTree ORDER BY x");
 *     ch.insert("INSERT INTO " + db.table("t") + " FORMAT Native", block, block.length);
 *     long rows = ch.queryLong("SELECT count() FROM " + db.table("t"));
 * }
 * }</pre>
 *
 * <h2>Setup</h2>
 * The library comes from npm ({@code @chdb/lib-linux-x64-gnu} 26.5.3, Linux x86-64 only). Its
 * location is read from the system property {@code clickpipes.chdb.lib}, else the environment
 * variable {@code CLICKPIPES_CHDB_LIB}; with neither set, {@link ChdbInstaller} downloads the pinned
 * package into {@code ~/.cache/clickpipes/chdb} on first use (about 166 MB, once per machine; the
 * hash is checked) and later runs find it there. Run the JVM with {@code
 * --enable-native-access=ALL-UNNAMED} on Java 22+ to avoid the restricted-method warning; set
 * {@code -Dclickpipes.chdb.binding=jna} to use JNA there too.
 *
 * <h2>One engine per JVM</h2>
 * chDB hosts one engine per process: connecting to a second data directory while one is open
 * fails. Tests therefore share one engine, {@link #shared()}, and isolate themselves with a
 * {@link TestDatabase} each. {@link #start(Path)} opens a dedicated engine on a directory of
 * your choice when no other engine is open.
 *
 * <h2>Threads</h2>
 * All methods are thread-safe. One chDB connection runs one statement at a time, so the engine
 * keeps a small pool of connections to the same data directory (up to {@link #MAX_CONNECTIONS})
 * and statements from different threads run in parallel. As over HTTP, there is no session: each
 * call may run on a different connection, so a {@code SET} or {@code USE} does not reliably carry
 * over to the next call. Qualify table names with their database and pass settings in the
 * statement's {@code SETTINGS} clause.
 *
 * <h2>ZooKeeper</h2>
 * An engine started with {@link Builder#zooKeeper(String)} (or the shared one, when the system
 * property {@value #ZOOKEEPER_PROPERTY} is set) reads a configuration file naming that ZooKeeper,
 * so {@code KeeperMap} tables work and several processes can share state through them:
 *
 * <pre>{@code
 * try (EmbeddedClickHouse ch = EmbeddedClickHouse.builder()
 *         .dataDir(dir).zooKeeper("127.0.0.1:20010").start()) {
 *     ch.query("CREATE TABLE db.state (key String, v UInt64) ENGINE = KeeperMap('/state') PRIMARY KEY key");
 * }
 * }</pre>
 *
 * ReplicatedMergeTree does not work on the embedded engine even with a ZooKeeper (its tables stay
 * read-only: there is no interserver port), and {@code system.zookeeper} does not exist there.
 *
 * <h2>Known differences from a server</h2>
 * {@code DROP TABLE|DATABASE ... SYNC} hangs forever in chDB 26.5.3, so {@link #query(String)} runs
 * such a statement without its {@code SYNC}: the table leaves the catalog at once (its name can be
 * reused), its files go later. The engine serves no HTTP and has no users or passwords.
 *
 * <h2>Signals</h2>
 * ClickHouse installs crash handlers on SIGSEGV, SIGBUS, SIGILL and SIGFPE, which the JVM itself
 * relies on; left in place they crash the JVM at the next NullPointerException or GC. The engine
 * is loaded with chDB's signal handlers disabled, and since chDB 26.5.3 still resets those four
 * signals to their default at the end of each {@code chdb_connect}, the JVM's handlers are
 * restored right after every connect (a window of microseconds, at engine start and when the
 * pool grows). A host that wants no window at all can launch the JVM with {@code
 * LD_PRELOAD=$JAVA_HOME/lib/libjsig.so}, the JVM's own signal chaining.
 */
public final class EmbeddedClickHouse implements ClickHouseTransport {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedClickHouse.class);

    /**
     * The most chDB connections one engine opens, and so the most statements it runs at once:
     * the number of processors, at least 2 and at most 8. Connections open on demand (about
     * 0.3 ms each once the engine runs).
     */
    public static final int MAX_CONNECTIONS =
            Math.max(2, Math.min(8, Runtime.getRuntime().availableProcessors()));

    /**
     * The system property that gives the {@link #shared()} engine a ZooKeeper: a connect string
     * {@code host:port[,host:port...]}, read once, when {@code shared()} first starts the engine.
     * Unset by default (no ZooKeeper). The ZooKeeper must be running by then.
     */
    public static final String ZOOKEEPER_PROPERTY = "clickpipes.chdb.zookeeper";

    /** The default {@link Builder#keeperMapPathPrefix(String)}. */
    public static final String DEFAULT_KEEPER_MAP_PREFIX = "/keeper_map";

    private static final String WHERE = "embedded ClickHouse";
    private static final String OUTPUT_FORMAT = "TabSeparated";
    private static final byte[] NO_BODY = new byte[0];
    /** How long the shutdown hook waits for running statements before leaving the engine open. */
    private static final long SHUTDOWN_WAIT_SECONDS = 10;

    private static final Pattern DROP_SYNC = Pattern.compile(
            "(?is)(\\s*DROP\\s+(?:TEMPORARY\\s+)?(?:TABLE|DATABASE|VIEW|DICTIONARY)\\s+\\S.*?)\\s+SYNC\\s*;?\\s*");

    private static final Object LOCK = new Object();
    /** The engine open in this JVM, shared or dedicated; guarded by LOCK. */
    private static EmbeddedClickHouse open;
    /** The shared engine once started; guarded by LOCK. */
    private static EmbeddedClickHouse shared;

    private final ChdbLibrary library;
    private final Path dataDir;
    private final boolean isShared;
    private final boolean deleteDataDir;
    private final String zooKeeper;
    private final List<String> connectArgs;
    private final Path spoolDir;
    private final Semaphore permits = new Semaphore(MAX_CONNECTIONS, true);
    /** Idle connections ({@code chdb_connection *}); most recently used first. */
    private final ConcurrentLinkedDeque<Long> idle = new ConcurrentLinkedDeque<>();
    private final List<Long> connections = new ArrayList<>();
    private final AtomicLong databaseCounter = new AtomicLong();
    private final String version;
    private volatile boolean closed;

    private EmbeddedClickHouse(Builder b, Path dataDir, boolean isShared, boolean deleteDataDir) {
        this.library = ChdbLibrary.load();
        this.dataDir = dataDir.toAbsolutePath();
        this.isShared = isShared;
        this.deleteDataDir = deleteDataDir;
        this.zooKeeper = b.zooKeeper;
        try {
            Files.createDirectories(this.dataDir);
            this.spoolDir = createSpoolDir();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the directories for an embedded ClickHouse", e);
        }
        List<String> args = new ArrayList<>();
        args.add("--path=" + this.dataDir);
        if (zooKeeper != null) {
            // Read at the first connect; later connects to the same engine pass the same argv.
            Path config = spoolDir.resolve("config.xml");
            try {
                Files.writeString(config, ZooKeeperConfig.xml(zooKeeper, b.keeperMapPathPrefix));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + config, e);
            }
            args.add("--config-file=" + config);
        }
        this.connectArgs = List.copyOf(args);
        long start = System.nanoTime();
        idle.push(openConnection());
        long connected = System.nanoTime();
        try {
            this.version = query("SELECT version()").strip();
        } catch (ClickHouseException e) {
            closeConnections();
            throw new IllegalStateException("the embedded ClickHouse started but cannot run a query", e);
        }
        LOG.info("embedded ClickHouse {} started on {}{} (through {}, connect {} ms)", version, this.dataDir,
                zooKeeper == null ? "" : " with ZooKeeper " + zooKeeper, library.bindingName(),
                (connected - start) / 1_000_000);
    }

    /**
     * A builder for a dedicated engine: {@code builder().dataDir(dir).zooKeeper("127.0.0.1:2181").start()}.
     * Like {@link #start(Path)}, at most one engine may be open in a JVM.
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The engine shared by everything in this JVM, started on first use on a fresh temporary data
     * directory, and closed (and its directory deleted) by a JVM shutdown hook. When the system
     * property {@value #ZOOKEEPER_PROPERTY} is set at that moment, the engine uses that ZooKeeper.
     *
     * <p>{@link #close()} on the shared engine does nothing, so any test may use it in a
     * try-with-resources block without stopping it for the others.
     *
     * @throws IllegalStateException when libchdb.so is missing, or a dedicated engine from
     *     {@link #start(Path)} is open
     */
    public static EmbeddedClickHouse shared() {
        synchronized (LOCK) {
            if (shared != null) {
                return shared;
            }
            if (open != null) {
                throw new IllegalStateException("a dedicated embedded ClickHouse is open in this JVM on "
                        + open.dataDir + "; chDB runs one engine per process, so the shared one cannot"
                        + " start. Close the dedicated engine first, or use only the shared one.");
            }
            Path dir;
            try {
                dir = Files.createTempDirectory("clickpipes-chdb-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a data directory for the shared ClickHouse", e);
            }
            Builder config = new Builder();
            String zk = System.getProperty(ZOOKEEPER_PROPERTY);
            if (zk != null && !zk.isBlank()) {
                config.zooKeeper(zk);
            }
            EmbeddedClickHouse engine = new EmbeddedClickHouse(config, dir, true, true);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                if (engine.shutdown(SHUTDOWN_WAIT_SECONDS)) {
                    deleteRecursively(dir);
                }
            }, "clickpipes-chdb-shutdown"));
            shared = engine;
            open = engine;
            return engine;
        }
    }

    /**
     * Starts a dedicated engine on {@code dataDir} (created if missing; tables already there are
     * attached). Close it when done; its directory is left in place.
     *
     * @throws IllegalStateException when another engine (the shared one or a dedicated one) is
     *     open in this JVM, or libchdb.so is missing
     */
    public static EmbeddedClickHouse start(Path dataDir) {
        Objects.requireNonNull(dataDir, "dataDir");
        return builder().dataDir(dataDir).start();
    }

    private static EmbeddedClickHouse startDedicated(Builder b) {
        synchronized (LOCK) {
            if (open != null) {
                throw new IllegalStateException("an embedded ClickHouse is already open in this JVM on "
                        + open.dataDir + (open.isShared ? " (the shared engine)" : "")
                        + "; chDB runs one engine per process, so none can start"
                        + (b.dataDir == null ? "" : " on " + b.dataDir)
                        + ". Use EmbeddedClickHouse.shared() with a TestDatabase per test,"
                        + " or close the other engine first.");
            }
            Path dir = b.dataDir;
            if (dir == null) {
                try {
                    dir = Files.createTempDirectory("clickpipes-chdb-");
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot create a data directory for an embedded ClickHouse", e);
                }
            }
            EmbeddedClickHouse engine = new EmbeddedClickHouse(b, dir, false, b.dataDir == null);
            open = engine;
            return engine;
        }
    }

    /**
     * Whether libchdb.so is where {@link #shared()} would look for it, downloading it first when
     * none is configured and the cache has none; tests can skip on false.
     */
    public static boolean isAvailable() {
        try {
            ChdbLibrary.resolvePath();
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /**
     * Runs one statement and returns its output as TabSeparated text (empty for DDL and inserts).
     * Several statements separated by {@code ;} run in order and their outputs are concatenated.
     * A {@code DROP ... SYNC} runs without {@code SYNC}, which hangs in chDB 26.5.3.
     *
     * @throws ClickHouseException with the engine's error code and message when it fails
     * @throws IllegalStateException when this engine is closed
     */
    @Override
    public String query(String sql) throws ClickHouseException {
        return new String(queryOutput(sql, OUTPUT_FORMAT), StandardCharsets.UTF_8);
    }

    /**
     * Runs one statement like {@link #query(String)} and returns its output bytes in {@code
     * outputFormat} (any ClickHouse output format, such as {@code JSONEachRow} or {@code
     * RowBinaryWithNamesAndTypes}), unless the statement has its own {@code FORMAT} clause.
     *
     * @throws ClickHouseException with the engine's error code and message when it fails
     * @throws IllegalStateException when this engine is closed
     */
    public byte[] queryOutput(String sql, String outputFormat) throws ClickHouseException {
        Objects.requireNonNull(outputFormat, "outputFormat");
        ChdbLibrary.Result result = execute(withoutDropSync(sql).getBytes(StandardCharsets.UTF_8), NO_BODY, 0,
                outputFormat);
        if (result.error() != null) {
            throw ClickHouseException.fromServerMessage(WHERE, result.error());
        }
        return result.output();
    }

    /**
     * Runs {@code insertSql} ({@code INSERT INTO t [(c1, ...)] [SETTINGS ...] FORMAT f}) with
     * {@code body[0, length)} as its data, in one chdb_query_n call.
     *
     * <p>A small body goes inline after the statement and a newline. chDB ends inline insert data
     * at the first empty line, so a body holding two consecutive {@code '\n'} bytes (common in
     * binary Native blocks) is written to a temporary file and read with {@code FROM INFILE}
     * instead, and so is a body over 256 KiB, which is faster that way (8 MB: 19 ms instead of 75).
     * Either way the insert means the same.
     *
     * @throws ClickHouseException with the engine's error code and message when it fails
     * @throws IllegalArgumentException when the body needs the file path and the statement has no
     *     {@code FORMAT} clause
     * @throws IllegalStateException when this engine is closed
     */
    @Override
    public void insert(String insertSql, byte[] body, int length) throws ClickHouseException {
        insert(insertSql, Map.of(), body, length);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The settings go into the statement's {@code SETTINGS} clause, before {@code FORMAT}.
     */
    @Override
    public void insert(String insertSql, Map<String, String> settings, byte[] body, int length)
            throws ClickHouseException {
        Objects.checkFromIndexSize(0, length, body.length);
        // A trailing ';' would end the statement before the data.
        String statement = InsertStatements.withSettings(stripTrailingSemicolons(insertSql), settings);
        ChdbLibrary.Result result;
        if (InsertStatements.sendInline(body, length)) {
            byte[] head = (statement + "\n").getBytes(StandardCharsets.UTF_8);
            result = execute(head, body, length, OUTPUT_FORMAT);
        } else {
            result = insertThroughFile(statement, body, length);
        }
        if (result.error() != null) {
            throw ClickHouseException.fromServerMessage(WHERE, result.error());
        }
    }

    /** Spool directories are named for their process, so that a later one can tell a dead process's apart. */
    private static final String SPOOL_PREFIX = "clickpipes-chdb-spool-";

    /** Linux's in-memory file system, where insert bodies are spooled when it is there. */
    private static final Path SHARED_MEMORY = Path.of("/dev/shm");

    /**
     * The directory for insert bodies on their way to the engine: in memory ({@code /dev/shm}) where the machine has
     * one, since each file lives for one insert and writing and deleting megabytes on a disk cost the inserting thread
     * more than the engine's read of them; else the JVM's temporary directory. A process killed in the middle of an
     * insert leaves its file behind, so the spool directories of processes no longer alive are deleted first. When a
     * body does not fit there (a container's {@code /dev/shm} is often 64 MB), it goes to the temporary directory.
     */
    private static Path createSpoolDir() throws IOException {
        String name = SPOOL_PREFIX + ProcessHandle.current().pid() + "-";
        if (Files.isDirectory(SHARED_MEMORY) && Files.isWritable(SHARED_MEMORY)) {
            deleteSpoolsOfDeadProcesses(SHARED_MEMORY);
            try {
                return Files.createTempDirectory(SHARED_MEMORY, name);
            } catch (IOException notThere) {
                // fall through to the temporary directory
            }
        }
        return Files.createTempDirectory(name);
    }

    static void deleteSpoolsOfDeadProcesses(Path dir) {
        try (var spools = Files.newDirectoryStream(dir, SPOOL_PREFIX + "*")) {
            for (Path spool : spools) {
                String[] parts = spool.getFileName().toString().substring(SPOOL_PREFIX.length()).split("-", 2);
                if (parts.length == 2 && parts[0].chars().allMatch(Character::isDigit) && !parts[0].isEmpty()
                        && ProcessHandle.of(Long.parseLong(parts[0])).isEmpty()) {
                    deleteRecursively(spool);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("cannot sweep old spool directories in {}", dir, e);
        }
    }

    private ChdbLibrary.Result insertThroughFile(String statement, byte[] body, int length)
            throws ClickHouseException {
        try {
            return insertThroughFile(statement, body, length, spoolDir);
        } catch (IOException inSpool) {
            if (!spoolDir.startsWith(SHARED_MEMORY)) {
                throw cannotSpool(spoolDir, inSpool);
            }
            // /dev/shm may fill up while the engine runs: the JVM's temporary directory is the fallback
            LOG.debug("cannot spool an insert body in {}, using the temporary directory", spoolDir, inSpool);
            Path temporary = Path.of(System.getProperty("java.io.tmpdir"));
            try {
                return insertThroughFile(statement, body, length, temporary);
            } catch (IOException e) {
                throw cannotSpool(temporary, e);
            }
        }
    }

    private ChdbLibrary.Result insertThroughFile(String statement, byte[] body, int length, Path dir)
            throws IOException {
        Path file = Files.createTempFile(dir, "insert-", ".bin");
        try {
            try (OutputStream out = Files.newOutputStream(file)) {
                out.write(body, 0, length);
            }
            String sql = InsertStatements.withInfile(statement, file);
            return execute(sql.getBytes(StandardCharsets.UTF_8), NO_BODY, 0, OUTPUT_FORMAT);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warn("cannot delete {}", file, e);
            }
        }
    }

    private static ClickHouseException cannotSpool(Path dir, IOException e) {
        return new ClickHouseException(SinkException.Kind.RETRYABLE, 0,
                WHERE + ": cannot write the insert body to " + dir + ": " + e, e);
    }

    /** For example {@code "embedded ClickHouse 26.5.1.1 (chDB, data in /tmp/clickpipes-chdb-123)"}. */
    @Override
    public String describe() {
        return WHERE + " " + version + " (chDB, data in " + dataDir + ")";
    }

    /**
     * Closes a dedicated engine: waits for running statements, then closes every connection, which
     * shuts the engine down; another engine may start afterwards. Does nothing on the
     * {@link #shared()} engine, which a shutdown hook closes when the JVM exits.
     */
    @Override
    public void close() {
        if (isShared) {
            LOG.debug("close() on the shared embedded ClickHouse ignored; it closes when the JVM exits");
            return;
        }
        shutdown(Long.MAX_VALUE);
    }

    /**
     * Creates a database with a new unique name; closing the returned handle drops it.
     *
     * @throws ClickHouseException when the engine refuses the CREATE DATABASE
     */
    public TestDatabase newDatabase() throws ClickHouseException {
        String name = "test_" + databaseCounter.incrementAndGet() + "_"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0x1000000));
        query("CREATE DATABASE `" + name + "`");
        return new TestDatabase(this, name);
    }

    /**
     * Runs a query that returns one number, such as {@code SELECT count() FROM t}.
     *
     * @throws ClickHouseException when the query fails
     * @throws IllegalStateException when the result is not exactly one integer value
     */
    public long queryLong(String sql) throws ClickHouseException {
        String text = query(sql);
        String value = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("expected one integer from " + InsertStatements.abbreviate(sql)
                    + ", got: " + InsertStatements.abbreviate(text), e);
        }
    }

    /**
     * Runs a query and returns its rows, each a list of its fields as text, with TabSeparated
     * escapes undone and NULL as {@code null}.
     *
     * @throws ClickHouseException when the query fails
     */
    public List<List<String>> queryRows(String sql) throws ClickHouseException {
        List<List<String>> rows = new ArrayList<>();
        for (List<String> row : dev.clickpipes.clickhouse.TabSeparated.rows(query(sql))) {
            rows.add(row.stream().map(v -> "\\N".equals(v) ? null : v).collect(java.util.stream.Collectors.toList()));
        }
        return rows;
    }

    /** The engine's ClickHouse version, such as {@code 26.5.1.1}. */
    public String version() {
        return version;
    }

    /** The engine's data directory (its {@code --path}). */
    public Path dataDir() {
        return dataDir;
    }

    /** The ZooKeeper connect string this engine was started with, if any. */
    public Optional<String> zooKeeper() {
        return Optional.ofNullable(zooKeeper);
    }

    /** Runs {@code head + body[0, bodyLength)} as one chdb_query_n call on a pooled connection. */
    private ChdbLibrary.Result execute(byte[] head, byte[] body, int bodyLength, String outputFormat) {
        ensureOpen();
        permits.acquireUninterruptibly();
        try {
            ensureOpen(); // close() may have started while this call waited
            Long conn = idle.pollFirst();
            if (conn == null) {
                conn = openConnection();
            }
            try {
                ChdbLibrary.Result result = library.query(conn, head, body, bodyLength, outputFormat);
                if (isPoisoned(result)) {
                    // Seen in chDB 26.5.3, now and then after a mix of inline and INFILE inserts: the
                    // connection takes every later inline insert for one with external data. Set it
                    // aside (left open: closing the last connection would stop the engine) and run
                    // the statement once more on a fresh connection.
                    LOG.warn("{}: a connection refused an inline insert as async with external data; replacing it", describe());
                    conn = openConnection();
                    result = library.query(conn, head, body, bodyLength, outputFormat);
                }
                return result;
            } finally {
                idle.addFirst(conn);
            }
        } finally {
            permits.release();
        }
    }

    private static boolean isPoisoned(ChdbLibrary.Result result) {
        return result.error() != null && result.error().contains("async inserts with both inlined and external data");
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(describe() + " is closed");
        }
    }

    private long openConnection() {
        long conn = library.connect(connectArgs);
        if (conn == 0) {
            throw new IllegalStateException("chdb_connect returned NULL for --path=" + dataDir
                    + ": chDB refused to start an engine there (is another engine open in this process"
                    + " on another directory, or is the directory unusable?)");
        }
        synchronized (connections) {
            connections.add(conn);
        }
        return conn;
    }

    /** Closes the engine once no statement runs; false when statements still ran after the wait. */
    private boolean shutdown(long waitSeconds) {
        synchronized (LOCK) {
            if (closed) {
                return true;
            }
            closed = true;
        }
        boolean idleNow;
        try {
            idleNow = permits.tryAcquire(MAX_CONNECTIONS, waitSeconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            idleNow = false;
        }
        if (!idleNow) {
            // Closing under a running statement would free memory it still uses.
            LOG.warn("{}: statements still running after {} s; leaving the engine open", describe(), waitSeconds);
            return false;
        }
        closeConnections();
        deleteRecursively(spoolDir);
        if (deleteDataDir && !isShared) {
            deleteRecursively(dataDir);
        }
        synchronized (LOCK) {
            if (open == this) {
                open = null;
            }
        }
        LOG.info("{} closed", describe());
        return true;
    }

    private void closeConnections() {
        synchronized (connections) {
            for (long conn : connections) {
                library.close(conn);
            }
            connections.clear();
            idle.clear();
        }
    }

    /**
     * {@code DROP ... SYNC} without its {@code SYNC}: in chDB 26.5.3 a synchronous drop of a table in
     * an Atomic database waits forever (and {@code DROP DATABASE ... SYNC} over a Memory table
     * crashed the process), while the plain drop removes the table from the catalog at once and
     * its files later.
     */
    static String withoutDropSync(String sql) {
        Matcher m = DROP_SYNC.matcher(sql);
        if (!m.matches()) {
            return sql;
        }
        LOG.debug("running {} without SYNC, which hangs in chDB", InsertStatements.abbreviate(sql));
        return m.group(1);
    }

    private static String stripTrailingSemicolons(String sql) {
        String s = sql.strip();
        while (s.endsWith(";")) {
            s = s.substring(0, s.length() - 1).strip();
        }
        return s;
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // Best effort: a leftover temp file is not worth failing a shutdown for.
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.debug("cannot delete {}", dir, e);
        }
    }

    /**
     * Configures a dedicated engine; {@link #start()} opens it. Not thread-safe; one builder per
     * start.
     */
    public static final class Builder {

        private Path dataDir;
        private String zooKeeper;
        private String keeperMapPathPrefix = DEFAULT_KEEPER_MAP_PREFIX;

        private Builder() {}

        /**
         * The data directory (created if missing; tables already there are attached), left in place
         * on {@link EmbeddedClickHouse#close()}. Default: a new temporary directory, deleted on close.
         */
        public Builder dataDir(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
            return this;
        }

        /**
         * A ZooKeeper for {@code KeeperMap} tables, as a connect string {@code host:port[,host:port...]}
         * (for example {@code 127.0.0.1:20010}). Default: none.
         */
        public Builder zooKeeper(String connectString) {
            ZooKeeperConfig.parse(connectString); // fail here, naming the value
            this.zooKeeper = connectString.strip();
            return this;
        }

        /**
         * The ZooKeeper path under which {@code KeeperMap('/p')} tables keep their data (ClickHouse's
         * {@code keeper_map_path_prefix}). Default {@value EmbeddedClickHouse#DEFAULT_KEEPER_MAP_PREFIX}.
         */
        public Builder keeperMapPathPrefix(String prefix) {
            if (prefix == null || !prefix.startsWith("/")) {
                throw new IllegalArgumentException("keeperMapPathPrefix must be an absolute ZooKeeper path such as"
                        + " /keeper_map, got " + prefix);
            }
            this.keeperMapPathPrefix = prefix;
            return this;
        }

        /**
         * Starts the engine.
         *
         * @throws IllegalStateException when another engine is open in this JVM, or libchdb.so is missing
         */
        public EmbeddedClickHouse start() {
            return startDedicated(this);
        }
    }
}
