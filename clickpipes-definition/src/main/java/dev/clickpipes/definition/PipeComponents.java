package dev.clickpipes.definition;

import dev.clickpipes.core.FieldMapping;
import dev.clickpipes.core.spi.Decoder;
import dev.clickpipes.core.spi.Sink;
import dev.clickpipes.core.spi.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parts a {@link PipeDefinition} builds, before a pipe takes them: what {@link PipeDefinition#newComponents}
 * returns. Whoever holds them closes them ({@link #close()}), unless a pipe was built from them.
 *
 * @param source  the source, not yet opened
 * @param decoder the decoder
 * @param sink    the sink, not yet opened
 * @param mapping the pipe's field mapping ({@link FieldMapping#byName()} when the definition has none)
 */
public record PipeComponents(Source source, Decoder decoder, Sink sink, FieldMapping mapping) implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PipeComponents.class);

    /** Closes the source and the sink; a failure to close the source is logged, and the sink is closed all the same. */
    @Override
    public void close() {
        try {
            source.close();
        } catch (Exception e) {
            LOG.warn("closing {}: {}", source.describe(), e.toString());
        } finally {
            sink.close();
        }
    }
}
