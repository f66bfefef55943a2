package dev.clickpipes.testkit;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/** {@link SignalGuard} calling libc's {@code sigaction} through the FFM API. */
final class FfmSignalGuard extends SignalGuard {

    private static final MethodHandle SIGACTION = lookupSigaction();

    private static MethodHandle lookupSigaction() {
        Linker linker = Linker.nativeLinker();
        Optional<MemorySegment> symbol = linker.defaultLookup().find("sigaction");
        return symbol.map(s -> linker.downcallHandle(s,
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS))).orElse(null);
    }

    @Override
    byte[] current(int sig) {
        if (SIGACTION == null) {
            return null;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(SIGACTION_SIZE);
            return (int) SIGACTION.invokeExact(sig, MemorySegment.NULL, buf) == 0 ? buf.toArray(JAVA_BYTE) : null;
        } catch (Throwable t) {
            throw new IllegalStateException("sigaction failed", t);
        }
    }

    @Override
    boolean install(int sig, byte[] action) {
        if (SIGACTION == null) {
            return false;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(SIGACTION_SIZE);
            MemorySegment.copy(action, 0, buf, JAVA_BYTE, 0, action.length);
            return (int) SIGACTION.invokeExact(sig, buf, MemorySegment.NULL) == 0;
        } catch (Throwable t) {
            throw new IllegalStateException("sigaction failed", t);
        }
    }
}
