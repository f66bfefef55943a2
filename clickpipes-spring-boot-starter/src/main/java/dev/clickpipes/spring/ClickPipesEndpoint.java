package dev.clickpipes.spring;

import dev.clickpipes.core.PipeMetrics;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The Actuator endpoint {@code clickpipes} ({@code /actuator/clickpipes} once exposed with
 * {@code management.endpoints.web.exposure.include}): every pipe with its status, last error and
 * {@link PipeMetrics}; {@code /actuator/clickpipes/<name>} one of them.
 */
@Endpoint(id = "clickpipes")
public class ClickPipesEndpoint {

    private final ClickPipes clickPipes;

    /** An endpoint over these pipes. */
    public ClickPipesEndpoint(ClickPipes clickPipes) {
        this.clickPipes = clickPipes;
    }

    /** Every pipe by name. */
    @ReadOperation
    public Map<String, Map<String, Object>> pipes() {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        clickPipes.pipes().forEach((name, pipe) -> out.put(name, describe(pipe)));
        return out;
    }

    /** One pipe, or null (404) when there is none of that name. */
    @ReadOperation
    public Map<String, Object> pipe(@Selector String name) {
        RunningPipe pipe = clickPipes.pipes().get(name);
        return pipe == null ? null : describe(pipe);
    }

    private static Map<String, Object> describe(RunningPipe pipe) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", pipe.status().name());
        out.put("lastError", pipe.lastError());
        out.put("metrics", pipe.metrics());
        out.put("definition", pipe.definition().describe()); // secrets masked
        return out;
    }
}
