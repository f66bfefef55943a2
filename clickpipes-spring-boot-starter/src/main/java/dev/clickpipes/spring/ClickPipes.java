package dev.clickpipes.spring;

import dev.clickpipes.core.BatchReport;
import dev.clickpipes.core.ErrorRecord;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.core.PipeListener;
import dev.clickpipes.definition.PipeDefinition;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The application's pipes: built from their definitions and started on the executor once the
 * context is refreshed, closed (open batch inserted and committed) in the shutdown phase within
 * {@code clickpipes.shutdown-timeout}. The executor is the application's {@code clickPipesExecutor}
 * bean when it has one; otherwise one the starter owns and shuts down: a virtual thread per pipe on
 * Java 21+, a platform thread per pipe on 17.
 */
public final class ClickPipes implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(ClickPipes.class);

    private final Map<String, RunningPipe> pipes;
    private final List<PipeCustomizer> customizers;
    private final List<PipeListener> listeners;
    private final Executor executor;
    private final boolean ownsExecutor;
    private final Duration shutdownTimeout;
    private volatile boolean running;
    private volatile boolean closing;

    /**
     * @param definitions     the pipes, by name
     * @param customizers     applied to every pipe's builder, in order
     * @param listeners       given every event of every pipe
     * @param executor        where the pipes run, or null for the starter's own
     * @param shutdownTimeout how long {@link #stop()} waits for all pipes
     */
    public ClickPipes(Map<String, PipeDefinition> definitions, List<PipeCustomizer> customizers, List<PipeListener> listeners,
                      Executor executor, Duration shutdownTimeout) {
        Map<String, RunningPipe> byName = new LinkedHashMap<>();
        definitions.forEach((name, d) -> byName.put(name, new RunningPipe(d)));
        this.pipes = Collections.unmodifiableMap(byName);
        this.customizers = List.copyOf(customizers);
        this.listeners = List.copyOf(listeners);
        this.ownsExecutor = executor == null;
        this.executor = executor != null ? executor : defaultExecutor();
        this.shutdownTimeout = shutdownTimeout;
    }

    /** The pipes by name. */
    public Map<String, RunningPipe> pipes() {
        return pipes;
    }

    /** Builds every pipe, then hands each to the executor; a pipe that cannot be built fails the start and none runs. */
    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        Map<RunningPipe, Pipe> built = new LinkedHashMap<>();
        try {
            for (RunningPipe state : pipes.values()) {
                built.put(state, build(state));
            }
        } catch (RuntimeException e) {
            built.values().forEach(Pipe::close); // never ran: closes their sinks' HTTP clients
            throw e;
        }
        built.forEach((state, pipe) -> {
            state.started(pipe);
            LOG.info("starting pipe {}", state.definition());
            executor.execute(() -> runLogged(pipe));
        });
        running = true;
    }

    private Pipe build(RunningPipe state) {
        String name = state.name();
        Pipe.Builder b = state.definition().newBuilder(sink -> customizers.forEach(c -> c.customizeSink(name, sink)));
        customizers.forEach(c -> c.customize(name, b));
        b.listener(new StatusListener(state));
        return b.build();
    }

    private static void runLogged(Pipe pipe) {
        try {
            pipe.run();
        } catch (RuntimeException e) {
            LOG.error("pipe {} stopped: {}", pipe.name(), e.toString()); // its health says so too
        }
    }

    /** Closes every pipe at once and waits for all of them up to the shutdown timeout. */
    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        closing = true;
        List<Thread> closers = new ArrayList<>();
        for (RunningPipe state : pipes.values()) {
            Pipe pipe = state.pipe();
            Thread t = new Thread(pipe::close, "clickpipes-close-" + state.name());
            t.start();
            closers.add(t);
        }
        long deadline = System.nanoTime() + shutdownTimeout.toNanos();
        try {
            for (Thread t : closers) {
                t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                if (t.isAlive()) {
                    LOG.warn("{} did not finish within clickpipes.shutdown-timeout {}", t.getName(), shutdownTimeout);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ownsExecutor) {
            ((ExecutorService) executor).shutdown();
        }
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** A virtual thread per pipe where the JVM has them (21+), else a platform thread per pipe; named {@code clickpipes-N}. */
    static ExecutorService defaultExecutor() {
        try {
            // Through the public Thread.Builder interface: the builder's own class is not accessible.
            Class<?> builderType = Class.forName("java.lang.Thread$Builder");
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            Method name = builderType.getMethod("name", String.class, long.class);
            builder = name.invoke(builder, "clickpipes-", 0L);
            ThreadFactory threads = (ThreadFactory) builderType.getMethod("factory").invoke(builder);
            return (ExecutorService) Executors.class.getMethod("newThreadPerTaskExecutor", ThreadFactory.class).invoke(null, threads);
        } catch (ReflectiveOperationException | RuntimeException e) {
            AtomicInteger n = new AtomicInteger();
            return Executors.newCachedThreadPool(r -> new Thread(r, "clickpipes-" + n.getAndIncrement()));
        }
    }

    /** Keeps a pipe's status and passes every event on to the application's listeners. */
    private final class StatusListener implements PipeListener {
        private final RunningPipe state;

        StatusListener(RunningPipe state) {
            this.state = state;
        }

        @Override
        public void onStarted(Pipe pipe) {
            listeners.forEach(l -> l.onStarted(pipe));
        }

        @Override
        public void onBatchCommitted(Pipe pipe, BatchReport report) {
            if (state.status() == PipeStatus.RETRYING) {
                state.status(PipeStatus.RUNNING);
            }
            listeners.forEach(l -> l.onBatchCommitted(pipe, report));
        }

        @Override
        public void onRecordRejected(Pipe pipe, ErrorRecord error) {
            listeners.forEach(l -> l.onRecordRejected(pipe, error));
        }

        @Override
        public void onRetry(Pipe pipe, int attempt, Exception failure, long backoffMillis) {
            state.retrying("attempt " + attempt + " failed: " + failure.getMessage());
            listeners.forEach(l -> l.onRetry(pipe, attempt, failure, backoffMillis));
        }

        @Override
        public void onStopped(Pipe pipe, Throwable failure) {
            if (failure != null) {
                state.failed(String.valueOf(failure.getMessage()));
            } else {
                state.status(closing ? PipeStatus.STOPPED : PipeStatus.FINISHED);
            }
            listeners.forEach(l -> l.onStopped(pipe, failure));
        }
    }
}
