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
import java.nio.file.Path;
import java.util.Optional;

/** {@link ChdbLibrary} through the FFM API (Java 22+): the binding used wherever the JVM has it. */
final class FfmChdbLibrary extends ChdbLibrary {

    private final MethodHandle connect;
    private final MethodHandle closeConn;
    private final MethodHandle queryN;
    private final MethodHandle resultError;
    private final MethodHandle resultBuffer;
    private final MethodHandle resultLength;
    private final MethodHandle destroyResult;

    FfmChdbLibrary(Path path) {
        super(path, "FFM", new FfmSignalGuard());
        // Snapshot before the library can touch anything, so the JVM's handlers are what we restore.
        SignalGuard.Snapshot jvmSignals = signals().snapshot();
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
        logRestored(jvmSignals.restore(), "loading " + path);
    }

    private static MethodHandle handle(Linker linker, SymbolLookup lib, String name, FunctionDescriptor fd) {
        MemorySegment symbol = lib.find(name).orElseThrow(() -> new IllegalStateException(
                "symbol " + name + " not found in libchdb; expected @chdb/lib-linux-x64-gnu 26.5.x"));
        return linker.downcallHandle(symbol, fd);
    }

    @Override
    long connectNative(String[] args) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment argv = arena.allocate(ADDRESS, args.length);
            for (int i = 0; i < args.length; i++) {
                argv.setAtIndex(ADDRESS, i, arena.allocateFrom(args[i]));
            }
            return ((MemorySegment) connect.invokeExact(args.length, argv)).address();
        } catch (Throwable t) {
            throw new IllegalStateException("chdb_connect failed", t);
        }
    }

    @Override
    void closeNative(long connection) {
        callVoid(closeConn, connection, "chdb_close_conn");
    }

    @Override
    long queryNative(long connection, byte[] head, byte[] body, int bodyLength, byte[] format) {
        // The handle the query functions take: *conn.
        MemorySegment handle = MemorySegment.ofAddress(connection).reinterpret(ADDRESS.byteSize()).get(ADDRESS, 0);
        try (Arena arena = Arena.ofConfined()) {
            long length = (long) head.length + bodyLength;
            MemorySegment query = arena.allocate(Math.max(1, length));
            MemorySegment.copy(head, 0, query, JAVA_BYTE, 0, head.length);
            MemorySegment.copy(body, 0, query, JAVA_BYTE, head.length, bodyLength);
            MemorySegment fmt = arena.allocate(format.length + 1L); // zeroed, so NUL-terminated
            MemorySegment.copy(format, 0, fmt, JAVA_BYTE, 0, format.length);
            return ((MemorySegment) queryN.invokeExact(handle, query, length, fmt, (long) format.length)).address();
        } catch (Throwable t) {
            throw new IllegalStateException("chdb_query_n failed", t);
        }
    }

    @Override
    String resultError(long result) {
        try {
            MemorySegment error = (MemorySegment) resultError.invokeExact(MemorySegment.ofAddress(result));
            return error.equals(MemorySegment.NULL) ? null
                    : error.reinterpret(Long.MAX_VALUE).getString(0, StandardCharsets.UTF_8);
        } catch (Throwable t) {
            throw new IllegalStateException("chdb_result_error failed", t);
        }
    }

    @Override
    long resultLength(long result) {
        try {
            return (long) resultLength.invokeExact(MemorySegment.ofAddress(result));
        } catch (Throwable t) {
            throw new IllegalStateException("chdb_result_length failed", t);
        }
    }

    @Override
    byte[] resultBuffer(long result, int size) {
        try {
            MemorySegment buffer = (MemorySegment) resultBuffer.invokeExact(MemorySegment.ofAddress(result));
            return buffer.equals(MemorySegment.NULL) ? null : buffer.reinterpret(size).toArray(JAVA_BYTE);
        } catch (Throwable t) {
            throw new IllegalStateException("chdb_result_buffer failed", t);
        }
    }

    @Override
    void destroyResult(long result) {
        callVoid(destroyResult, result, "chdb_destroy_query_result");
    }

    /** A {@code void f(void *)} call. */
    private static void callVoid(MethodHandle function, long address, String name) {
        try {
            function.invokeExact(MemorySegment.ofAddress(address));
        } catch (Throwable t) {
            throw new IllegalStateException(name + " failed", t);
        }
    }
}
