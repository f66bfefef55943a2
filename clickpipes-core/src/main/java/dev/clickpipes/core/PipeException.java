package dev.clickpipes.core;

/** A pipe that cannot go on: a fatal sink error, a source failure, retries exhausted. Nothing past the failure was committed. */
public class PipeException extends RuntimeException {

    /** Creates the exception. */
    public PipeException(String message, Throwable cause) {
        super(message, cause);
    }
}
