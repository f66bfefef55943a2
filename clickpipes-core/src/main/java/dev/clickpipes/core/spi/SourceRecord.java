package dev.clickpipes.core.spi;

/**
 * One message from a source: its bytes, where it came from, and the values of the source's
 * virtual columns ({@code _key}, {@code _timestamp}, ...).
 */
public interface SourceRecord {

    /** The array holding the message; bytes {@code [offset(), offset() + length())} are its body. */
    byte[] data();

    /** Where the body starts in {@link #data()}. */
    int offset();

    /** The body's length in bytes. */
    int length();

    /** Where this record sits in its source. */
    SourcePosition position();

    /**
     * {@code position().partition()}, the same string every time for a partition's records. The pipe asks for it
     * several times per record and for the position itself only at a batch's ends: a source whose records know
     * their partition overrides this, so that a position is built only when one is needed.
     */
    default String partition() {
        return position().partition();
    }

    /**
     * The value of a virtual column named in {@link Source#virtualColumns()}: a String, Long,
     * Integer, {@link java.time.Instant}, byte[], List of String, or null.
     */
    default Object virtualColumn(String name) {
        return null;
    }
}
