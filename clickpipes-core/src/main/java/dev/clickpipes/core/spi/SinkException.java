package dev.clickpipes.core.spi;

/**
 * A failed write to a sink, classified so the pipe knows what to do next.
 */
public class SinkException extends Exception {

    /** What the pipe does about a failure. */
    public enum Kind {
        /** Transient (network, timeout, overload, TOO_MANY_PARTS): retried with backoff, forever or up to the configured limit. */
        RETRYABLE,
        /** Something in the rows was refused: the batch is split to find the bad rows, which go to the error table. */
        DATA,
        /** The table's columns changed under the pipe: the schema is read again and the batch re-encoded. */
        SCHEMA,
        /** Retrying cannot help (wrong password, no such table, access denied): the pipe stops, committing nothing further. */
        FATAL,
        /**
         * The batch as a whole is too much for one insert (too many partitions for one block,
         * memory): it is split in halves, each inserted on its own; no row is filed for it. A
         * single record that still fails this way is retried like {@link #RETRYABLE}.
         */
        TOO_BIG,
        /**
         * A failure the sink cannot classify (an error code it does not know): retried a few
         * times with backoff, then taken as {@link #DATA}, so a transient failure does not file
         * good records and a bad record does not block the pipe.
         */
        UNKNOWN
    }

    private final Kind kind;

    /** Creates an exception of the given kind. */
    public SinkException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    /** What the pipe does about this failure. */
    public Kind kind() {
        return kind;
    }
}
