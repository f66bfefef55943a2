package dev.clickpipes.core.spi;

import dev.clickpipes.core.ErrorKind;

/**
 * A record that cannot become a row: it goes to the error table with this message; the batch goes on.
 */
public class DecodeException extends Exception {

    private final ErrorKind kind;
    private final boolean retryable;

    /** Creates an exception of the given kind; the message names what was wrong and where. */
    public DecodeException(ErrorKind kind, String message) {
        this(kind, message, null);
    }

    /** Creates an exception of the given kind with its cause. */
    public DecodeException(ErrorKind kind, String message, Throwable cause) {
        this(kind, message, cause, false);
    }

    private DecodeException(ErrorKind kind, String message, Throwable cause, boolean retryable) {
        super(message, cause, false, false); // no stack trace: bad records can be frequent
        this.kind = kind;
        this.retryable = retryable;
    }

    /**
     * The record is fine but cannot be decoded right now (its schema registry is unreachable):
     * the pipe waits and decodes it again, with the pipe's retry policy, instead of filing it.
     */
    public static DecodeException retryLater(ErrorKind kind, String message, Throwable cause) {
        return new DecodeException(kind, message, cause, true);
    }

    /** True when decoding the same record again later may succeed (see {@link #retryLater}). */
    public boolean retryable() {
        return retryable;
    }

    /** The {@code error_kind} this record is filed under. */
    public ErrorKind kind() {
        return kind;
    }
}
