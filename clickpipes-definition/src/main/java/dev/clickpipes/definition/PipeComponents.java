package dev.clickpipes.definition;

import dev.clickpipes.clickhouse.routing.Router;
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
 * @param router  the router whose decoder and sink these are, for a pipe with a {@code routing}
 *                section (its {@link Router#preview} decodes sample records per table); else null
 */
public record PipeComponents(Source source, Decoder decoder, Sink sink, FieldMapping mapping, Router router)
        implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PipeComponents.class);

    /** The parts of a pipe of one table (no router). */
    public PipeComponents(Source source, Decoder decoder, Sink sink, FieldMapping mapping) {
        this(source, decoder, sink, mapping, null);
    }

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
