package dev.clickpipes.testkit;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the JVM's signal handlers in place around calls into chDB.
 *
 * <p>ClickHouse installs its own crash handlers on SIGSEGV, SIGBUS, SIGILL and SIGFPE; the JVM
 * needs its handlers there (implicit null checks and safepoint polls fault on purpose), so a
 * replaced handler crashes the JVM at the next NPE or GC. A snapshot taken with {@code
 * sigaction(2)} before the call is put back after it, for every signal the JVM had a handler for.
 * Signals that had the default disposition are left to chDB (it uses a couple of real-time ones).
 * Subclasses call {@code sigaction} through FFM or JNA; the bookkeeping is here.
 */
abstract class SignalGuard {

    /** Signals 1..64 on Linux; 32 and 33 belong to glibc and sigaction refuses them. */
    static final int MAX_SIGNAL = 64;
    /** sizeof(struct sigaction) is 152 on x86-64 glibc; room to spare for other layouts. */
    static final int SIGACTION_SIZE = 256;

    /**
     * {@code sigaction(sig, NULL, buf)} into a fresh zeroed buffer of {@link #SIGACTION_SIZE}
     * bytes (so bytes the kernel leaves alone compare equal); null when refused or unavailable.
     */
    abstract byte[] current(int sig);

    /** {@code sigaction(sig, action, NULL)}; whether it succeeded. */
    abstract boolean install(int sig, byte[] action);

    /** The current disposition of every signal. */
    final Snapshot snapshot() {
        byte[][] actions = new byte[MAX_SIGNAL + 1][];
        for (int sig = 1; sig <= MAX_SIGNAL; sig++) {
            actions[sig] = current(sig);
        }
        return new Snapshot(actions);
    }

    /** The sa_handler of each signal, for tests; 0 is SIG_DFL, -1 unknown. */
    final long[] handlers() {
        byte[][] actions = snapshot().actions;
        long[] handlers = new long[MAX_SIGNAL + 1];
        for (int sig = 1; sig <= MAX_SIGNAL; sig++) {
            handlers[sig] = actions[sig] == null ? -1 : handlerOf(actions[sig]);
        }
        return handlers;
    }

    /** sa_handler / sa_sigaction, the first member on every Linux ABI (little-endian x86-64 here). */
    private static long handlerOf(byte[] action) {
        return ByteBuffer.wrap(action).order(ByteOrder.nativeOrder()).getLong(0);
    }

    /** Signal dispositions at one moment. */
    final class Snapshot {
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
            Snapshot now = snapshot();
            for (int sig = 1; sig <= MAX_SIGNAL; sig++) {
                byte[] before = actions[sig];
                byte[] after = now.actions[sig];
                if (before == null || after == null || handlerOf(before) == 0
                        || handlerOf(before) == handlerOf(after)) {
                    continue;
                }
                if (install(sig, before)) {
                    restored.add(sig);
                }
            }
            return restored;
        }
    }
}
