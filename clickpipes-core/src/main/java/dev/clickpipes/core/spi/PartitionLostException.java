package dev.clickpipes.core.spi;

/**
 * Exactly-once: the delivery state shows another worker of the pipe moved this partition on (this
 * one stalled past its lease, and the other took the partition over). Nothing more of it may be
 * inserted or committed by this worker; the pipe drops what it holds of it and asks the source to
 * let it go ({@link Source#partitionLost}).
 */
public class PartitionLostException extends SinkException {

    private static final long serialVersionUID = 1L;

    private final String partition;

    /** The partition another worker now owns, and what the state showed. */
    public PartitionLostException(String partition, String message) {
        super(Kind.FATAL, message, null);
        this.partition = partition;
    }

    /** The partition lost. */
    public String partition() {
        return partition;
    }
}
