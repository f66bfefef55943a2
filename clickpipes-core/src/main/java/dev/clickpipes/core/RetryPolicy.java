package dev.clickpipes.core;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How a retryable insert failure (network, timeout, HTTP 5xx, TOO_MANY_PARTS) is retried:
 * exponential backoff with jitter, forever by default. A batch is never dropped: when the
 * attempts run out, the pipe stops without committing it. Immutable.
 *
 * @param initialBackoff the first wait; default 200 ms
 * @param maxBackoff     the longest wait; default 30 s
 * @param maxAttempts    attempts per insert before the pipe gives up and stops; 0 (the default) is forever
 */
public record RetryPolicy(Duration initialBackoff, Duration maxBackoff, int maxAttempts) {

    private static final RetryPolicy DEFAULTS = new RetryPolicy(Duration.ofMillis(200), Duration.ofSeconds(30), 0);

    /** Checks the settings. */
    public RetryPolicy {
        if (initialBackoff == null || initialBackoff.isNegative() || initialBackoff.isZero()) {
            throw new IllegalArgumentException("RetryPolicy.initialBackoff must be positive, was " + initialBackoff);
        }
        if (maxBackoff == null || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("RetryPolicy.maxBackoff must be at least initialBackoff, was " + maxBackoff);
        }
        if (maxAttempts < 0) {
            throw new IllegalArgumentException("RetryPolicy.maxAttempts must be 0 (forever) or more, was " + maxAttempts);
        }
    }

    /** 200 ms doubling up to 30 s, forever. */
    public static RetryPolicy defaults() {
        return DEFAULTS;
    }

    /** A policy with these settings (maxAttempts 0 = forever). */
    public static RetryPolicy of(Duration initialBackoff, Duration maxBackoff, int maxAttempts) {
        return new RetryPolicy(initialBackoff, maxBackoff, maxAttempts);
    }

    /** True when attempt number {@code attempt} (1-based) may be followed by another. */
    public boolean allowsAnotherAfter(int attempt) {
        return maxAttempts == 0 || attempt < maxAttempts;
    }

    /** The wait after failed attempt {@code attempt} (1-based): uniform in [c/2, c], c = min(max, initial * 2^(attempt-1)). */
    public Duration backoff(int attempt) {
        long ceiling = initialBackoff.toMillis() << Math.min(attempt - 1, 30);
        ceiling = Math.min(Math.max(ceiling, 1), maxBackoff.toMillis());
        // Jitter: workers that failed together do not retry together; the lower half keeps the backoff growing.
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
    }
}
