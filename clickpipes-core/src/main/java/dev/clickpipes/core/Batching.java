package dev.clickpipes.core;

import java.time.Duration;

/**
 * When a batch closes and goes to ClickHouse: at the first of a row count, a byte size (of the
 * encoded columns) and an age. Fewer, larger inserts are cheaper for ClickHouse (fewer parts to
 * merge); a smaller age lowers latency. Immutable.
 *
 * @param maxRows  rows per batch; default 100 000
 * @param maxBytes bytes per batch; default 20 MB (20 000 000)
 * @param maxAge   time from a batch's first record to its insert; default 5 s
 */
public record Batching(int maxRows, long maxBytes, Duration maxAge) {

    private static final Batching DEFAULTS = new Batching(100_000, 20_000_000L, Duration.ofSeconds(5));

    /** Checks the limits. */
    public Batching {
        if (maxRows < 1) {
            throw new IllegalArgumentException("Batching.maxRows must be at least 1, was " + maxRows);
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("Batching.maxBytes must be at least 1, was " + maxBytes);
        }
        if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("Batching.maxAge must be positive, was " + maxAge);
        }
    }

    /** 100 000 rows, 20 MB or 5 s. */
    public static Batching defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder(DEFAULTS);
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Builds a {@link Batching}. */
    public static final class Builder {
        private int maxRows;
        private long maxBytes;
        private Duration maxAge;

        private Builder(Batching from) {
            maxRows = from.maxRows;
            maxBytes = from.maxBytes;
            maxAge = from.maxAge;
        }

        /** Rows per batch; default 100 000. */
        public Builder maxRows(int value) {
            maxRows = value;
            return this;
        }

        /** Bytes of encoded columns per batch; default 20 MB. */
        public Builder maxBytes(long value) {
            maxBytes = value;
            return this;
        }

        /** Age of a batch, from its first record; default 5 s. */
        public Builder maxAge(Duration value) {
            maxAge = value;
            return this;
        }

        /** The immutable settings; fails naming a bad value. */
        public Batching build() {
            return new Batching(maxRows, maxBytes, maxAge);
        }
    }
}
