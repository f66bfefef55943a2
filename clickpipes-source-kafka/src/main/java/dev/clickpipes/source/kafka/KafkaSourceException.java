package dev.clickpipes.source.kafka;

/**
 * The Kafka source cannot go on: authentication or authorization failed, or the broker refused the
 * configuration. The message names the broker, the identity (never a secret) and the fix.
 */
public class KafkaSourceException extends Exception {

    /** Creates the exception with its cause. */
    public KafkaSourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
