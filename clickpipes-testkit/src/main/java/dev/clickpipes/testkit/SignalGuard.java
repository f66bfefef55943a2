package dev.clickpipes.testkit;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Keeps the JVM's signal handlers in place around calls into chDB.
 *
 * <p>ClickHouse installs its own crash handlers on SIGSEGV, SIGBUS, SIGILL and SIGFPE; the JVM
 * needs its handlers there (implicit null checks and safepoint polls fault on purpose), so a
 * replaced handler crashes the JVM at the next NPE or GC. A snapshot taken with {@code
 * sigaction(2)} before the call is put back after it, for every signal the JVM had a handler for.
 * Signals that had the default disposition are left to chDB (it uses a couple of real-time ones).
 */
final class SignalGuard {

    /** Signals 1..64 on Linux; 32 and 33 belong to glibc and sigaction refuses them. */
    private static final int MAX_SIGNAL = 64;
    /** sizeof(struct sigaction) is 152 on x86-64 glibc; room to spare for other layouts. */
    private static final long SIGACTION_SIZE = 256;
    /** Offset of sa_handler / sa_sigaction, the first member on every Linux ABI. */
    private static final long HANDLER_OFFSET = 0;

    private static final MethodHandle SIGACTION = lookupSigaction();

    private SignalGuard() {}

    private static MethodHandle lookupSigaction() {
        Linker linker = Linker.nativeLinker();
        Optional<MemorySegment> symbol = linker.defaultLookup().find("sigaction");
        return symbol.map(s -> linker.downcallHandle(s,
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS))).orElse(null);
    }

    /** The current disposition of every signal. */
    static Snapshot snapshot() {
        byte[][] actions = new byte[MAX_SIGNAL + 1][];
        if (SIGACTION == null) {
            return new Snapshot(actions);
        }
        try (Arena arena = Arena.ofConfined()) {
            for (int sig = 1; sig <= MAX_SIGNAL; sig++) {
                // A fresh zeroed buffer each time, so bytes the kernel leaves alone compare equal.
                MemorySegment buf = arena.allocate(SIGACTION_SIZE);
                if ((int) SIGACTION.invokeExact(sig, MemorySegment.NULL, buf) == 0) {
                    actions[sig] = buf.toArray(JAVA_BYTE);
                }
            }
        } catch (Throwable t) {
            throw new IllegalStateException("sigaction failed", t);
        }
        return new Snapshot(actions);
    }

    /** The sa_handler of each signal, for tests; 0 is SIG_DFL. */
    static long[] handlers() {
        byte[][] actions = snapshot().actions;
        long[] handlers = new long[MAX_SIGNAL + 1];
        for (int sig = 1; sig <= MAX_SIGNAL; sig++) {
            handlers[sig] = actions[sig] == null ? -1 : handlerOf(actions[sig]);
        }
        return handlers;
    }

    private static long handlerOf(byte[] action) {
        return MemorySegment.ofArray(action).get(JAVA_LONG.withByteAlignment(1), HANDLER_OFFSET);
    }

    /** Signal dispositions at one moment. */
    static final class Snapshot {
        private final byte[][] actions;

        private Snapshot(byte[][] actions) {
            this.actions = actions;
        }

        /**
         * Puts back every handler that was not SIG_DFL in this snapshot and has changed since.
         *
         * @return the signals restored
         */
        List<Integer> restore() {
            List<Integer> restored = new ArrayList<>();
            if (SIGACTION == null) {
                return restored;
            }
            Snapshot now = snapshot();
            try (Arena arena = Arena.ofConfined()) {
                for (int sig = 1; sig <= MAX_SIGNAL; sig++) {
                    byte[] before = actions[sig];
                    byte[] after = now.actions[sig];
                    if (before == null || after == null || handlerOf(before) == 0
                            || handlerOf(before) == handlerOf(after)) {
                        continue;
                    }
                    MemorySegment buf = arena.allocate(SIGACTION_SIZE);
                    MemorySegment.copy(before, 0, buf, JAVA_BYTE, 0, before.length);
                    if ((int) SIGACTION.invokeExact(sig, buf, MemorySegment.NULL) == 0) {
                        restored.add(sig);
                    }
                }
            } catch (Throwable t) {
                throw new IllegalStateException("sigaction failed", t);
            }
            return restored;
        }
    }
}
