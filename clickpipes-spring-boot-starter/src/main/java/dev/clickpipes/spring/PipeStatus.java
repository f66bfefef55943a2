package dev.clickpipes.spring;

/** Where a pipe run by the starter is. */
public enum PipeStatus {
    /** Defined; not started yet (before the context is refreshed). */
    CREATED,
    /** Running, its last insert acknowledged (or none tried yet). */
    RUNNING,
    /** Its last insert failed with a retryable error and is being retried. */
    RETRYING,
    /** Its source was read through and everything is committed (a bounded source). */
    FINISHED,
    /** Stopped by a failure (see the last error). */
    FAILED,
    /** Closed with the application. */
    STOPPED
}
