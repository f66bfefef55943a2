package dev.clickpipes.testkit;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.NativeLibrary;

/** {@link SignalGuard} calling libc's {@code sigaction} through JNA, for Java 17 and 21. */
final class JnaSignalGuard extends SignalGuard {

    private final Function sigaction = NativeLibrary.getInstance("c").getFunction("sigaction");

    @Override
    byte[] current(int sig) {
        Memory buf = new Memory(SIGACTION_SIZE);
        buf.clear();
        return sigaction.invokeInt(new Object[] {sig, null, buf}) == 0 ? buf.getByteArray(0, SIGACTION_SIZE) : null;
    }

    @Override
    boolean install(int sig, byte[] action) {
        Memory buf = new Memory(SIGACTION_SIZE);
        buf.clear();
        buf.write(0, action, 0, action.length);
        return sigaction.invokeInt(new Object[] {sig, buf, null}) == 0;
    }
}
