package dev.clickpipes.format.registry;

import dev.clickpipes.core.ErrorKind;
import dev.clickpipes.core.spi.DecodeException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Schema ids whose lookup failed a moment ago, for a decoder: their records fail at once with the
 * same message instead of asking the registry again, for {@value #HOLD_SECONDS} s, so a stream of
 * records with a bad id cannot flood the registry. A registry that was unreachable is not
 * remembered: its records wait and are decoded again. Thread-safe.
 */
public final class FailedLookups {

    static final int HOLD_SECONDS = 5;

    private final Map<Integer, Failure> failures = new ConcurrentHashMap<>();

    private record Failure(String message, long untilNanos) {
    }

    /** Creates an empty memory. */
    public FailedLookups() {
    }

    /**
     * Throws the failure of this id's lookup when it failed within the last few seconds.
     *
     * @throws DecodeException {@code SOURCE_SCHEMA_ERROR} with the lookup's message
     */
    public void check(int id) throws DecodeException {
        Failure failed = failures.get(id);
        if (failed != null) {
            if (System.nanoTime() - failed.untilNanos < 0) {
                throw new DecodeException(ErrorKind.SOURCE_SCHEMA_ERROR, failed.message);
            }
            failures.remove(id, failed);
        }
    }

    /**
     * Remembers a failed lookup of this id (unless the registry was only unreachable) and gives the
     * record's error: {@code SOURCE_SCHEMA_ERROR}, to decode again later when the registry was unreachable.
     */
    public DecodeException failed(int id, SchemaRegistryException e) {
        if (e.reason() != SchemaRegistryException.Reason.UNAVAILABLE) {
            failures.put(id, new Failure(e.getMessage(), System.nanoTime() + HOLD_SECONDS * 1_000_000_000L));
        }
        return decodeError(e);
    }

    /** A lookup's failure as a record's error; an unreachable registry's to decode again later (the pipe pauses). */
    public static DecodeException decodeError(SchemaRegistryException e) {
        if (e.reason() == SchemaRegistryException.Reason.UNAVAILABLE) {
            return DecodeException.retryLater(ErrorKind.SOURCE_SCHEMA_ERROR, e.getMessage(), e);
        }
        return new DecodeException(ErrorKind.SOURCE_SCHEMA_ERROR, e.getMessage());
    }
}
