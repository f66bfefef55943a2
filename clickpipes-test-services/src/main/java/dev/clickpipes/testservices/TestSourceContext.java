package dev.clickpipes.testservices;

import dev.clickpipes.core.spi.SourceContext;

/**
 * What a pipe named {@code pipeName} gives its source, for a test that opens and polls a source
 * itself: no pipe runs, so there is no open batch and {@link #flush()} does nothing.
 */
public record TestSourceContext(String pipeName) implements SourceContext {

    @Override
    public void flush() {
        // no pipe, no batch to insert
    }
}
