package dev.clickpipes.core.spi;

/** What a source may ask of the pipe that runs it. All calls come from the pipe's own thread. */
public interface SourceContext {

    /** The pipe's name, from which sources derive defaults such as a consumer group. */
    String pipeName();

    /**
     * Inserts the open batch now and commits it, before returning. A Kafka source calls this when
     * partitions are revoked, so their records are committed by this worker and not read twice.
     */
    void flush() throws InterruptedException;
}
