package dev.clickpipes.spring;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * With Actuator's health on the class path: the health component {@code clickPipes}, one child per
 * pipe ({@code /actuator/health/clickPipes/<name>}): UP while running or finished, with its status
 * and counters; UP with status RETRYING and the last error while an insert is being retried (the
 * pipe holds its batch and goes on by itself); DOWN when it failed, with the error.
 */
@AutoConfiguration(after = ClickPipesAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(ClickPipes.class)
public class ClickPipesHealthAutoConfiguration {

    /** One health indicator per pipe, under the component {@code clickPipes}. */
    @Bean
    public CompositeHealthContributor clickPipesHealthContributor(ClickPipes clickPipes) {
        Map<String, HealthContributor> byPipe = new LinkedHashMap<>();
        clickPipes.pipes().forEach((name, pipe) -> byPipe.put(name, (HealthIndicator) () -> health(pipe)));
        return CompositeHealthContributor.fromMap(byPipe);
    }

    static Health health(RunningPipe pipe) {
        Health.Builder h = pipe.status() == PipeStatus.FAILED ? Health.down() : Health.up();
        h.withDetail("status", pipe.status().name());
        if (pipe.lastError() != null && pipe.status() != PipeStatus.RUNNING) {
            h.withDetail("lastError", pipe.lastError());
        }
        h.withDetail("rowsWritten", pipe.metrics().rowsWritten()).withDetail("errorRows", pipe.metrics().errorRows());
        return h.build();
    }
}
