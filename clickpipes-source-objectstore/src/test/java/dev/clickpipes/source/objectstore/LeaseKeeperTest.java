package dev.clickpipes.source.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LeaseKeeperTest {

    /**
     * An Error out of one background renewal must not end the schedule: a scheduled task that
     * throws is never run again, and this worker's leases would then end while it works.
     */
    @Test
    void backgroundRenewalsGoOnAfterAnError() throws Exception {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        RenewalsFailingOnce states = new RenewalsFailingOnce();
        try (LeaseKeeper keeper = new LeaseKeeper(states, Duration.ofMillis(30), scheduler, Duration.ofMinutes(1),
                "lease-keeper-test")) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (states.renewals.get() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(states.renewals.get()).as("renewals after the first, which threw an Error").isGreaterThanOrEqualTo(3);
        } finally {
            scheduler.shutdownNow();
        }
    }

    /** Shared states whose first renewal throws an AssertionError; every later one counts and loses nothing. */
    private static final class RenewalsFailingOnce implements ObjectStates {
        final AtomicInteger renewals = new AtomicInteger();
        private final AtomicInteger calls = new AtomicInteger();

        @Override
        public Set<String> renewAll() {
            if (calls.incrementAndGet() == 1) {
                throw new AssertionError("injected failure of the first renewal");
            }
            renewals.incrementAndGet();
            return Set.of();
        }

        @Override
        public boolean shared() {
            return true;
        }

        @Override
        public String describe() {
            return "renewals failing once";
        }

        @Override
        public void close() {
        }

        @Override
        public void open() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<String, Progress> read(List<String> keys) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Progress take(ObjectInfo object, boolean fresh) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean skipLate(ObjectInfo object) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Set<String> save(Collection<ObjectPosition> positions) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void release(String key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String watermark() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void advanceWatermark(String from, String to, List<String> passed) {
            throw new UnsupportedOperationException();
        }
    }
}
