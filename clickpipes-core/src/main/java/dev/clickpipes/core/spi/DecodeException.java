package dev.clickpipes.core.spi;

import dev.clickpipes.core.ErrorKind;

/**
 * A record that cannot become a row: it goes to the error table with this message; the batch goes on.
 */
public class DecodeException extends Exception {

    private final ErrorKind kind;

    /** Creates an exception of the given kind; the message names what was wrong and where. */
    public DecodeException(ErrorKind kind, String message) {
        this(kind, message, null);
    }

    /** Creates an exception of the given kind with its cause. */
    public DecodeException(ErrorKind kind, String message, Throwable cause) {
        super(message, cause, false, false); // no stack trace: bad records can be frequent
        this.kind = kind;
    }

    /** The {@code error_kind} this record is filed under. */
    public ErrorKind kind() {
        return kind;
    }
}
