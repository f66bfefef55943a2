package dev.clickpipes.testkit;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * chDB's {@code libchdb.so} bound through the FFM API: loaded once per JVM, never unloaded.
 *
 * <p>The C API used (chDB's {@code chdb.h}; checked against the symbols of
 * {@code @chdb/lib-linux-x64-gnu} 26.5.3):
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
 */
final class ChdbLibrary {

    private static final Logger LOG = LoggerFactory.getLogger(ChdbLibrary.class);

    /** System property naming libchdb.so. */
    static final String PROPERTY = "clickpipes.chdb.lib";
    /** Environment variable naming libchdb.so, read when the property is not set. */
    static final String ENV = "CLICKPIPES_CHDB_LIB";
    private static ChdbLibrary instance;

    final Path path;
    private final MethodHandle connect;
    private final MethodHandle closeConn;
    private final MethodHandle queryN;
    private final MethodHandle resultError;
    private final MethodHandle resultBuffer;
    private final MethodHandle resultLength;
    private final MethodHandle destroyResult;

    private ChdbLibrary(Path path) {
        this.path = path;
        // Snapshot before the library can touch anything, so the JVM's handlers are what we restore.
        SignalGuard.Snapshot jvmSignals = SignalGuard.snapshot();
        Linker linker = Linker.nativeLinker();
        SymbolLookup lib = SymbolLookup.libraryLookup(path, Arena.global());
        connect = handle(linker, lib, "chdb_connect", FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS));
        closeConn = handle(linker, lib, "chdb_close_conn", FunctionDescriptor.ofVoid(ADDRESS));
        queryN = handle(linker, lib, "chdb_query_n",
                FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG));
        resultError = handle(linker, lib, "chdb_result_error", FunctionDescriptor.of(ADDRESS, ADDRESS));
        resultBuffer = handle(linker, lib, "chdb_result_buffer", FunctionDescriptor.of(ADDRESS, ADDRESS));
        resultLength = handle(linker, lib, "chdb_result_length", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        destroyResult = handle(linker, lib, "chdb_destroy_query_result", FunctionDescriptor.ofVoid(ADDRESS));

        // By default chdb_connect installs ClickHouse's crash handlers on SIGSEGV, SIGBUS, SIGILL and
        // SIGFPE, which the JVM uses for null checks and safepoints: the first NPE or GC after that
        // kills the process (measured). Disabling them first means connect leaves those signals
        // alone; but in 26.5.3 the disable call itself resets them to SIG_DFL, so restore at once.
        Optional<MemorySegment> disable = lib.find("chdb_set_signal_handlers_enabled");
        if (disable.isPresent()) {
            MethodHandle setEnabled = linker.downcallHandle(disable.get(), FunctionDescriptor.ofVoid(JAVA_INT));
            try {
                setEnabled.invokeExact(0);
            } catch (Throwable t) {
                throw new IllegalStateException("chdb_set_signal_handlers_enabled failed", t);
            }
        }
        List<Integer> restored = jvmSignals.restore();
        if (!restored.isEmpty()) {
            LOG.debug("restored the JVM's handlers for signals {} after loading {}", restored, path);
        }
    }

    private static MethodHandle handle(Linker linker, SymbolLookup lib, String name, FunctionDescriptor fd) {
        MemorySegment symbol = lib.find(name).orElseThrow(() -> new IllegalStateException(
                "symbol " + name + " not found in libchdb; expected @chdb/lib-linux-x64-gnu 26.5.x"));
        return linker.downcallHandle(symbol, fd);
    }

    /** Loads the library the first time; later calls return the same instance. */
    static synchronized ChdbLibrary load() {
        if (instance == null) {
            Path path = resolvePath();
            long start = System.nanoTime();
            instance = new ChdbLibrary(path);
            LOG.debug("loaded {} in {} ms", path, (System.nanoTime() - start) / 1_000_000);
        }
        return instance;
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

    /**
     * Opens a connection with these arguments after {@code argv[0]} (such as {@code --path=DIR},
     * {@code --config-file=FILE}); returns the {@code chdb_connection *} (what chdb_close_conn
     * takes) or NULL when the engine refused, for example because another data directory is open
     * in this process.
     */
    MemorySegment connect(List<String> args) {
        // One connect at a time: chDB boots the engine on the first, and our signal snapshot must
        // not interleave with another one.
        synchronized (ChdbLibrary.class) {
            SignalGuard.Snapshot jvmSignals = SignalGuard.snapshot();
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment argv = arena.allocate(ADDRESS, args.size() + 1);
                argv.setAtIndex(ADDRESS, 0, arena.allocateFrom("clickhouse"));
                for (int i = 0; i < args.size(); i++) {
                    argv.setAtIndex(ADDRESS, i + 1, arena.allocateFrom(args.get(i)));
                }
                return (MemorySegment) connect.invokeExact(args.size() + 1, argv);
            } catch (Throwable t) {
                throw new IllegalStateException("chdb_connect failed for " + args, t);
            } finally {
                // With chDB's handlers disabled, 26.5.3 still resets SIGILL, SIGBUS, SIGFPE and SIGSEGV
                // to SIG_DFL just before chdb_connect returns (measured): put the JVM's back at once.
                List<Integer> restored = jvmSignals.restore();
                if (!restored.isEmpty()) {
                    LOG.debug("chdb_connect reset the JVM's handlers for signals {}; restored them", restored);
                }
            }
        }
    }

    /** The handle the query functions take: {@code *conn}. */
    static MemorySegment handleOf(MemorySegment connPtr) {
        return connPtr.reinterpret(ADDRESS.byteSize()).get(ADDRESS, 0);
    }

    void close(MemorySegment connPtr) {
        synchronized (ChdbLibrary.class) {
            try {
                closeConn.invokeExact(connPtr);
            } catch (Throwable t) {
                throw new IllegalStateException("chdb_close_conn failed", t);
            }
        }
    }

    /** What one chdb_query_n call produced: the output bytes, or the engine's error text. */
    record Result(byte[] output, String error) {}

    /**
     * Runs {@code query[0, length)} on the connection {@code handle} with output {@code format},
     * and frees the chDB result before returning.
     */
    Result query(MemorySegment handle, MemorySegment query, long length, MemorySegment format, long formatLength) {
        MemorySegment result;
        try {
            result = (MemorySegment) queryN.invokeExact(handle, query, length, format, formatLength);
        } catch (Throwable t) {
            throw new IllegalStateException("chdb_query_n failed", t);
        }
        if (result.equals(MemorySegment.NULL)) {
            return new Result(null, "chdb_query_n returned no result");
        }
        try {
            MemorySegment error = (MemorySegment) resultError.invokeExact(result);
            if (!error.equals(MemorySegment.NULL)) {
                return new Result(null, error.reinterpret(Long.MAX_VALUE).getString(0, StandardCharsets.UTF_8));
            }
            long size = (long) resultLength.invokeExact(result);
            MemorySegment buffer = (MemorySegment) resultBuffer.invokeExact(result);
            if (size == 0 || buffer.equals(MemorySegment.NULL)) {
                return new Result(new byte[0], null);
            }
            if (size > Integer.MAX_VALUE - 16) {
                return new Result(null, "result of " + size + " bytes does not fit a Java array");
            }
            return new Result(buffer.reinterpret(size).toArray(JAVA_BYTE), null);
        } catch (Throwable t) {
            throw new IllegalStateException("reading a chdb result failed", t);
        } finally {
            try {
                destroyResult.invokeExact(result);
            } catch (Throwable t) {
                LOG.warn("chdb_destroy_query_result failed", t);
            }
        }
    }
}
