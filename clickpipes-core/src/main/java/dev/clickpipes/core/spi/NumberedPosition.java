package dev.clickpipes.core.spi;

/**
 * A {@link SourcePosition} whose place in its partition is one number (a Kafka offset, a line of a
 * file): its offset text is that number, and it shows as {@code partition@offset}.
 */
public interface NumberedPosition extends SourcePosition {

    /** The record's number in its partition. */
    long offset();

    @Override
    default String offsetText() {
        return Long.toString(offset());
    }

    /**
     * What a numbered position's {@code toString()} gives, {@code topic-3@1234}: an interface cannot
     * supply {@code toString()} itself, so implementations return this.
     */
    static String text(NumberedPosition position) {
        return position.partition() + "@" + position.offset();
    }
}
