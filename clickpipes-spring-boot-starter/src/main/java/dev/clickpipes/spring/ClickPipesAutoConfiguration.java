package dev.clickpipes.spring;

import dev.clickpipes.core.PipeListener;
import dev.clickpipes.definition.PipeDefinition;
import java.util.Map;
import java.util.concurrent.Executor;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Creates {@link ClickPipes} from {@code clickpipes.pipes.*}: each pipe's map is read by
 * {@link PipeDefinition} when the bean is created (a wrong key fails the application's start,
 * naming it), {@code ${NAME}} in values resolved from the application's environment.
 */
@AutoConfiguration
@EnableConfigurationProperties(ClickPipesProperties.class)
@ConditionalOnProperty(prefix = "clickpipes", name = "enabled", matchIfMissing = true)
public class ClickPipesAutoConfiguration {

    /** The name of the application's {@link Executor} bean the pipes run on, when it has one. */
    public static final String EXECUTOR_BEAN = "clickPipesExecutor";

    /** The name of the {@link ClickPipes} bean. */
    public static final String PIPES_BEAN = "clickPipes";

    /** The pipes, started after the context is refreshed and closed in its shutdown phase. */
    @Bean(PIPES_BEAN)
    @ConditionalOnMissingBean
    public ClickPipes clickPipes(ClickPipesProperties properties, Environment environment, BeanFactory beans,
                                 ObjectProvider<PipeCustomizer> customizers, ObjectProvider<PipeListener> listeners) {
        @SuppressWarnings({"unchecked", "rawtypes"})
        Map<String, ?> pipes = (Map) properties.getPipes();
        Map<String, PipeDefinition> definitions = PipeDefinition.parseAll("clickpipes.pipes", pipes, environment::getProperty);
        Executor executor = null;
        if (beans.containsBean(EXECUTOR_BEAN)) {
            executor = beans.getBean(EXECUTOR_BEAN, Executor.class);
            if (beans instanceof ConfigurableBeanFactory configurable) {
                // so the pipes are stopped before the executor they run on (a ThreadPoolTaskExecutor is a lifecycle too)
                configurable.registerDependentBean(EXECUTOR_BEAN, PIPES_BEAN);
            }
        }
        return new ClickPipes(definitions, customizers.orderedStream().toList(), listeners.orderedStream().toList(),
                executor, properties.getShutdownTimeout());
    }
}
