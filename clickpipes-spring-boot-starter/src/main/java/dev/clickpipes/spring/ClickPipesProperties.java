package dev.clickpipes.spring;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code clickpipes.*}: the pipes ({@code clickpipes.pipes.<name>.*}, each read by
 * {@link dev.clickpipes.definition.PipeDefinition}; every key is in docs/pipe-definition.md) and how
 * the application runs them.
 */
@ConfigurationProperties(prefix = "clickpipes")
public class ClickPipesProperties {

    /** Whether the starter creates and runs the pipes; default true. */
    private boolean enabled = true;

    /** How long the application's shutdown waits for all pipes to close (flush, commit); default 30 s. */
    private Duration shutdownTimeout = Duration.ofSeconds(30);

    /** The pipes by name, each a nested map of source, decoder, sink, mapping, batching, retry, delivery. */
    private Map<String, Map<String, Object>> pipes = new LinkedHashMap<>();

    /** Whether the starter creates and runs the pipes. */
    public boolean isEnabled() {
        return enabled;
    }

    /** Turns the starter on or off. */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** How long shutdown waits for the pipes. */
    public Duration getShutdownTimeout() {
        return shutdownTimeout;
    }

    /** Sets how long shutdown waits for the pipes. */
    public void setShutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    /** The pipes' definitions as bound. */
    public Map<String, Map<String, Object>> getPipes() {
        return pipes;
    }

    /** Sets the pipes' definitions. */
    public void setPipes(Map<String, Map<String, Object>> pipes) {
        this.pipes = pipes;
    }
}
