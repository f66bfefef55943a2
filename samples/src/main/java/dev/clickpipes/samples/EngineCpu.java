package dev.clickpipes.samples;

import dev.clickpipes.clickhouse.ClickHouseException;
import dev.clickpipes.testkit.EmbeddedClickHouse;

/**
 * The embedded engine's own CPU so far, from its ProfileEvents counters in {@code system.events}
 * (summed over the process: chDB has no {@code system.query_log}, see {@link ServerCostBenchmark}).
 * The difference of two readings is the CPU of what the engine ran in between, plus about a
 * millisecond for the readings themselves.
 */
record EngineCpu(double userAndSystem, double osVirtual) {

    private static final String COUNTERS = "SELECT sumIf(value, event = 'UserTimeMicroseconds')"
            + " + sumIf(value, event = 'SystemTimeMicroseconds'), sumIf(value, event = 'OSCPUVirtualTimeMicroseconds')"
            + " FROM system.events";

    /** Reads the counters now: {@code UserTimeMicroseconds + SystemTimeMicroseconds} and {@code OSCPUVirtualTimeMicroseconds}, in seconds. */
    static EngineCpu read(EmbeddedClickHouse ch) throws ClickHouseException {
        String[] v = ch.query(COUNTERS).strip().split("\t");
        return new EngineCpu(Long.parseLong(v[0]) / 1e6, Long.parseLong(v[1]) / 1e6);
    }

    /** CPU seconds (user + system) from {@code earlier} to this reading. */
    double since(EngineCpu earlier) {
        return userAndSystem - earlier.userAndSystem;
    }

    /** OSCPUVirtualTime seconds from {@code earlier} to this reading. */
    double osVirtualSince(EngineCpu earlier) {
        return osVirtual - earlier.osVirtual;
    }
}
