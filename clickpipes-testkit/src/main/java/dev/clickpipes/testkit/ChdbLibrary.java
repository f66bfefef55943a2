package dev.clickpipes.testkit;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * chDB's {@code libchdb.so}, loaded once per JVM and never unloaded, bound through the FFM API on
 * Java 22+ ({@code FfmChdbLibrary}, compiled separately at release 22) and through JNA on Java 17
 * and 21 ({@link JnaChdbLibrary}). Both bind the same C API and keep the JVM's signal handlers in
 * place around every call that can replace them:
 * <pre>
 * chdb_connection *chdb_connect(int argc, char **argv);          // NULL on failure
 * void             chdb_close_conn(chdb_connection *conn);
 * chdb_result     *chdb_query_n(chdb_connection conn, const char *query, size_t query_len,
 *                                const char *format, size_t format_len);
 * const char      *chdb_result_error(chdb_result *result);       // NULL when fine
 * char            *chdb_result_buffer(chdb_result *result);
 * size_t           chdb_result_length(chdb_result *result);
 * void             chdb_destroy_query_result(chdb_result *result);
 * void             chdb_set_signal_handlers_enabled(int enabled);
 * </pre>
 * (checked against the symbols of {@code @chdb/lib-linux-x64-gnu} 26.5.3).
 */
abstract class ChdbLibrary {

    private static final Logger LOG = LoggerFactory.getLogger(ChdbLibrary.class);

    /** System property naming libchdb.so. */
    static final String PROPERTY = "clickpipes.chdb.lib";
    /** Environment variable naming libchdb.so, read when the property is not set. */
    static final String ENV = "CLICKPIPES_CHDB_LIB";
    /** System property choosing the binding: {@code ffm} or {@code jna}; default FFM where the JVM has it. */
    static final String BINDING_PROPERTY = "clickpipes.chdb.binding";

    private static ChdbLibrary instance;

    /** What one chdb_query_n call produced: the output bytes, or the engine's error text. */
    record Result(byte[] output, String error) {}

    final Path path;
    private final String bindingName;
    private final SignalGuard signals;

    ChdbLibrary(Path path, String bindingName, SignalGuard signals) {
        this.path = path;
        this.bindingName = bindingName;
        this.signals = signals;
    }

    /** Loads the library the first time; later calls return the same instance. */
    static synchronized ChdbLibrary load() {
        if (instance == null) {
            Path path = resolvePath();
            long start = System.nanoTime();
            instance = bind(path);
            LOG.debug("loaded {} through {} in {} ms", path, instance.bindingName(),
                    (System.nanoTime() - start) / 1_000_000);
        }
        return instance;
    }

    private static ChdbLibrary bind(Path path) {
        String wanted = System.getProperty(BINDING_PROPERTY, "");
        boolean ffm = Runtime.version().feature() >= 22;
        if ("jna".equalsIgnoreCase(wanted) || !ffm) {
            if ("ffm".equalsIgnoreCase(wanted)) {
                throw new IllegalStateException("-D" + BINDING_PROPERTY + "=ffm needs Java 22+, this is "
                        + Runtime.version());
            }
            return new JnaChdbLibrary(path);
        }
        try {
            // By name: the FFM classes are compiled for Java 22 and must not load on older JVMs.
            return (ChdbLibrary) Class.forName("dev.clickpipes.testkit.FfmChdbLibrary")
                    .getDeclaredConstructor(Path.class).newInstance(path);
        } catch (ReflectiveOperationException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException("cannot bind " + path + " through the FFM API", e);
        }
    }

    /**
     * The library path from the property, else the environment, else the cache, where
     * {@link ChdbInstaller} downloads the pinned package on first use. A path named explicitly
     * must exist: the testkit never downloads to a place it was not given.
     */
    static Path resolvePath() {
        String fromProperty = System.getProperty(PROPERTY);
        String fromEnv = System.getenv(ENV);
        Path path;
        String source;
        if (fromProperty != null && !fromProperty.isBlank()) {
            path = Path.of(fromProperty);
            source = "system property " + PROPERTY;
        } else if (fromEnv != null && !fromEnv.isBlank()) {
            path = Path.of(fromEnv);
            source = "environment variable " + ENV;
        } else {
            return ChdbInstaller.configured(LOG::info).install();
        }
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("chDB's libchdb.so was not found at " + path + " (" + source
                    + "). Leave -D" + PROPERTY + " and $" + ENV + " unset and the testkit downloads it into "
                    + ChdbInstaller.cacheDir() + " on first use, or point them at an existing copy.");
        }
        return path;
    }

    /** {@code FFM} or {@code JNA}. */
    final String bindingName() {
        return bindingName;
    }

    /** The binding's {@code sigaction}. */
    final SignalGuard signals() {
        return signals;
    }

    /** chdb_connect(argv.length, argv); the {@code chdb_connection *} as an address, 0 for NULL. */
    abstract long connectNative(String[] argv);

    /** chdb_close_conn(connection). */
    abstract void closeNative(long connection);

    /**
     * chdb_query_n(*connection, head + body[0, bodyLength), format) with the query and format
     * copied to native memory for the call; the {@code chdb_result *} as an address, 0 for NULL.
     */
    abstract long queryNative(long connection, byte[] head, byte[] body, int bodyLength, byte[] format);

    /** chdb_result_error(result) as text, or null when it returned NULL. */
    abstract String resultError(long result);

    /** chdb_result_length(result). */
    abstract long resultLength(long result);

    /** The first {@code size} bytes of chdb_result_buffer(result), or null when it returned NULL. */
    abstract byte[] resultBuffer(long result, int size);

    /** chdb_destroy_query_result(result). */
    abstract void destroyResult(long result);

    /** Logs what {@link SignalGuard.Snapshot#restore()} put back after {@code what}. */
    static void logRestored(List<Integer> restored, String what) {
        if (!restored.isEmpty()) {
            LOG.debug("{} reset the JVM's handlers for signals {}; restored them", what, restored);
        }
    }

    /**
     * Opens a connection with these arguments after {@code argv[0]} (such as {@code --path=DIR},
     * {@code --config-file=FILE}); returns the {@code chdb_connection *} (what chdb_close_conn
     * takes) as an address, or 0 when the engine refused, for example because another data
     * directory is open in this process. The JVM's signal handlers are restored before it returns.
     */
    final long connect(List<String> args) {
        // One connect at a time: chDB boots the engine on the first, and our signal snapshot must
        // not interleave with another one.
        synchronized (ChdbLibrary.class) {
            SignalGuard.Snapshot jvmSignals = signals().snapshot();
            List<String> argv = new ArrayList<>();
            argv.add("clickhouse");
            argv.addAll(args);
            try {
                return connectNative(argv.toArray(new String[0]));
            } catch (RuntimeException e) {
                throw new IllegalStateException("chdb_connect failed for " + args, e);
            } finally {
                // With chDB's handlers disabled, 26.5.3 still resets SIGILL, SIGBUS, SIGFPE and SIGSEGV
                // to SIG_DFL just before chdb_connect returns (measured): put the JVM's back at once.
                logRestored(jvmSignals.restore(), "chdb_connect");
            }
        }
    }

    /** chdb_close_conn on what {@link #connect} returned. */
    final void close(long connection) {
        synchronized (ChdbLibrary.class) {
            closeNative(connection);
        }
    }

    /**
     * Runs {@code head + body[0, bodyLength)} on the connection with output {@code format}, and
     * frees the chDB result before returning.
     */
    final Result query(long connection, byte[] head, byte[] body, int bodyLength, String format) {
        long result = queryNative(connection, head, body, bodyLength, format.getBytes(StandardCharsets.UTF_8));
        if (result == 0) {
            return new Result(null, "chdb_query_n returned no result");
        }
        try {
            String error = resultError(result);
            if (error != null) {
                return new Result(null, error);
            }
            long size = resultLength(result);
            if (size > Integer.MAX_VALUE - 16) {
                return new Result(null, "result of " + size + " bytes does not fit a Java array");
            }
            byte[] output = size == 0 ? null : resultBuffer(result, (int) size);
            return new Result(output == null ? new byte[0] : output, null);
        } finally {
            try {
                destroyResult(result);
            } catch (RuntimeException e) {
                LOG.warn("chdb_destroy_query_result failed", e);
            }
        }
    }

    /** The sa_handler of each signal 1..64 (index = signal), -1 where unknown, 0 for SIG_DFL; for tests. */
    final long[] signalHandlers() {
        return signals().handlers();
    }
}
