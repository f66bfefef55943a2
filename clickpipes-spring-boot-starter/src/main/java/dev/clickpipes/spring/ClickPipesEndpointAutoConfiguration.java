package dev.clickpipes.spring;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** With Actuator on the class path: the {@code clickpipes} endpoint. */
@AutoConfiguration(after = ClickPipesAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(ClickPipes.class)
public class ClickPipesEndpointAutoConfiguration {

    /** The endpoint listing the pipes with their metrics. */
    @Bean
    @ConditionalOnMissingBean
    public ClickPipesEndpoint clickPipesEndpoint(ClickPipes clickPipes) {
        return new ClickPipesEndpoint(clickPipes);
    }
}
