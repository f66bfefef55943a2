package dev.clickpipes.spring;

import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.core.Pipe;

/**
 * Changes a declared pipe in code before it is built: a bean of this type is called for every pipe
 * in {@code clickpipes.pipes}, in bean order. The builder holds what the definition set; a customizer
 * may set anything else ({@code insertExecutor}, another source) or change the sink's builder first
 * ({@link #customizeSink}: an error handler, or {@code .endpoint(null).transport(t)}).
 *
 * <p>Listeners: declare {@link dev.clickpipes.core.PipeListener} beans; the starter sets the
 * pipe's listener itself (to track its health) and passes every event to them, so a listener set
 * here with {@code Pipe.Builder.listener} would be replaced.
 */
@FunctionalInterface
public interface PipeCustomizer {

    /** Customizes the builder of the pipe {@code name}. */
    void customize(String name, Pipe.Builder builder);

    /** Customizes the sink's builder of the pipe {@code name}, before the sink is built; default none. */
    default void customizeSink(String name, ClickHouseSink.Builder sink) {
    }
}
