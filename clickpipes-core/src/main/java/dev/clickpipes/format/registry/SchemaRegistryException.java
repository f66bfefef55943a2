package dev.clickpipes.format.registry;

/**
 * A schema could not be had from the registry. The message names the registry (never its
 * credentials), what was asked and why it failed.
 */
public class SchemaRegistryException extends Exception {

    /** Why a lookup failed. */
    public enum Reason {
        /** The registry has no such schema id, subject or version. */
        NOT_FOUND,
        /** The registry refused the credentials (HTTP 401 or 403). */
        UNAUTHORIZED,
        /** The registry could not be reached or answered with a server error, after retries. */
        UNAVAILABLE,
        /** The registry answered with something that is not a schema of the decoder's kind (or not valid, or bad JSON). */
        INVALID
    }

    private final Reason reason;

    /** Creates the exception. */
    public SchemaRegistryException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** Why the lookup failed. */
    public Reason reason() {
        return reason;
    }
}
