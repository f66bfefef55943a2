package dev.clickpipes.spring;

import dev.clickpipes.core.Pipe;
import dev.clickpipes.core.PipeMetrics;
import dev.clickpipes.definition.PipeDefinition;

/**
 * One pipe the starter runs: its definition, the pipe once started, its status and its last
 * error. Read from any thread.
 */
public final class RunningPipe {

    private final PipeDefinition definition;
    private volatile Pipe pipe;
    private volatile PipeStatus status = PipeStatus.CREATED;
    private volatile String lastError;

    RunningPipe(PipeDefinition definition) {
        this.definition = definition;
    }

    /** The pipe's name. */
    public String name() {
        return definition.name();
    }

    /** The definition it was built from ({@link PipeDefinition#describe()} shows it, secrets masked). */
    public PipeDefinition definition() {
        return definition;
    }

    /** The pipe, or null before the context started it. */
    public Pipe pipe() {
        return pipe;
    }

    /** Where it is. */
    public PipeStatus status() {
        return status;
    }

    /** The last failure's message (a retried insert, what stopped it), or null. */
    public String lastError() {
        return lastError;
    }

    /** Its counters; all zero before it started. */
    public PipeMetrics metrics() {
        Pipe p = pipe;
        return p == null ? new PipeMetrics(0, 0, 0, 0, 0, 0, 0, null, null, java.util.Map.of(), 0) : p.metrics();
    }

    void started(Pipe value) {
        pipe = value;
        status = PipeStatus.RUNNING;
    }

    void status(PipeStatus value) {
        status = value;
    }

    void failed(String message) {
        lastError = message;
        status = PipeStatus.FAILED;
    }

    void retrying(String message) {
        lastError = message;
        status = PipeStatus.RETRYING;
    }
}
