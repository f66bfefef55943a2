package dev.clickpipes.testkit;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.StringArray;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ChdbLibrary} through JNA, for JVMs without the FFM API (Java 17 and 21); the same calls,
 * the same signal-handler restore. {@code size_t} is passed as a Java {@code long} (64-bit Linux).
 */
final class JnaChdbLibrary extends ChdbLibrary {

    private static final Logger LOG = LoggerFactory.getLogger(JnaChdbLibrary.class);

    private final Function connect;
    private final Function closeConn;
    private final Function queryN;
    private final Function resultError;
    private final Function resultBuffer;
    private final Function resultLength;
    private final Function destroyResult;

    JnaChdbLibrary(Path path) {
        super(path, "JNA", new JnaSignalGuard());
        // Snapshot before the library can touch anything, so the JVM's handlers are what we restore.
        SignalGuard.Snapshot jvmSignals = signals().snapshot();
        NativeLibrary lib = NativeLibrary.getInstance(path.toString());
        connect = function(lib, "chdb_connect");
        closeConn = function(lib, "chdb_close_conn");
        queryN = function(lib, "chdb_query_n");
        resultError = function(lib, "chdb_result_error");
        resultBuffer = function(lib, "chdb_result_buffer");
        resultLength = function(lib, "chdb_result_length");
        destroyResult = function(lib, "chdb_destroy_query_result");
        // As in FfmChdbLibrary: disable chDB's crash handlers, then restore what the call reset.
        try {
            lib.getFunction("chdb_set_signal_handlers_enabled").invokeVoid(new Object[] {0});
        } catch (UnsatisfiedLinkError e) {
            LOG.debug("{} has no chdb_set_signal_handlers_enabled", path);
        }
        logRestored(jvmSignals.restore(), "loading " + path);
    }

    private static Function function(NativeLibrary lib, String name) {
        try {
            return lib.getFunction(name);
        } catch (UnsatisfiedLinkError e) {
            throw new IllegalStateException(
                    "symbol " + name + " not found in libchdb; expected @chdb/lib-linux-x64-gnu 26.5.x", e);
        }
    }

    @Override
    long connectNative(String[] argv) {
        return Pointer.nativeValue(connect.invokePointer(new Object[] {argv.length, new StringArray(argv)}));
    }

    @Override
    void closeNative(long connection) {
        closeConn.invokeVoid(new Object[] {new Pointer(connection)});
    }

    @Override
    long queryNative(long connection, byte[] head, byte[] body, int bodyLength, byte[] format) {
        Pointer handle = new Pointer(connection).getPointer(0); // the query functions take *conn
        long length = (long) head.length + bodyLength;
        Memory query = new Memory(Math.max(1, length));
        query.write(0, head, 0, head.length);
        query.write(head.length, body, 0, bodyLength);
        Memory fmt = new Memory(format.length + 1L);
        fmt.write(0, format, 0, format.length);
        fmt.setByte(format.length, (byte) 0);
        return Pointer.nativeValue(queryN.invokePointer(new Object[] {handle, query, length, fmt, (long) format.length}));
    }

    @Override
    String resultError(long result) {
        Pointer error = resultError.invokePointer(new Object[] {new Pointer(result)});
        return error == null ? null : error.getString(0, StandardCharsets.UTF_8.name());
    }

    @Override
    long resultLength(long result) {
        return resultLength.invokeLong(new Object[] {new Pointer(result)});
    }

    @Override
    byte[] resultBuffer(long result, int size) {
        Pointer buffer = resultBuffer.invokePointer(new Object[] {new Pointer(result)});
        return buffer == null ? null : buffer.getByteArray(0, size);
    }

    @Override
    void destroyResult(long result) {
        destroyResult.invokeVoid(new Object[] {new Pointer(result)});
    }
}
