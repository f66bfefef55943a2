package dev.clickpipes.cli;

import dev.clickpipes.core.Pipe;
import dev.clickpipes.definition.PipeDefinition;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code clickpipes run pipes.yaml}: builds every pipe (one that cannot be built stops all before
 * any runs), runs each on a thread of its own, prints a progress line per pipe, and on SIGTERM or
 * Ctrl-C closes them all, each inserting and committing what it read, before the process exits.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs the pipes of a file until each finishes (a bounded source read to its end) or the process is"
                + " stopped: SIGTERM or Ctrl-C closes every pipe, which inserts and commits what it read, then exits (143"
                + " after SIGTERM, as Java does). Prints a progress line per pipe, and a summary at the end.",
                "Exit code: 0 when every pipe finished or was stopped cleanly, 1 when one failed, 2 for a wrong file."})
final class RunCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PIPES_FILE", description = "YAML with `pipes: {<name>: {source, decoder, sink, ...}}`"
            + " (docs/pipe-definition.md lists every key); `$${NAME}` takes an environment variable.")
    private Path file;

    @Option(names = "--pipe", paramLabel = "NAME", description = "Run only this pipe; repeat for several.")
    private List<String> only;

    @Option(names = "--progress", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
            description = "How often to print each pipe's progress line; 0s for none. Default: ${DEFAULT-VALUE}.")
    private Duration progress;

    private volatile boolean stopping;
    /** Pipes that finished or failed before any stop was asked. */
    private final Set<Pipe> endedOnItsOwn = ConcurrentHashMap.newKeySet();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<Pipe> pipes = build(PipesFile.read(file).only(only).definitions((name, section) -> section, System::getenv).values());
        List<CompletableFuture<?>> done = new ArrayList<>();
        out.println("starting " + pipes.size() + (pipes.size() == 1 ? " pipe: " : " pipes: ")
                + String.join(", ", pipes.stream().map(Pipe::name).toList()));
        for (Pipe pipe : pipes) {
            new Thread(() -> runQuietly(pipe), "clickpipes-" + pipe.name()).start();
            done.add(pipe.completion().handle((m, e) -> {
                if (!stopping) {
                    endedOnItsOwn.add(pipe);
                }
                return null;
            }));
        }
        out.flush();
        CountDownLatch summarized = new CountDownLatch(1);
        Thread hook = new Thread(() -> stopAll(pipes, summarized, out), "clickpipes-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        CompletableFuture<Void> all = CompletableFuture.allOf(done.toArray(CompletableFuture[]::new));
        while (!all.isDone()) {
            try {
                all.get(progress.isZero() ? Long.MAX_VALUE : progress.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                pipes.forEach(p -> out.println(ProgressLine.of(p, stateOf(p))));
                out.flush();
            }
        }
        int failed = 0;
        out.println("summary:");
        for (Pipe p : pipes) {
            failed += p.completion().isCompletedExceptionally() ? 1 : 0;
            out.println("  " + ProgressLine.of(p, stateOf(p)));
        }
        out.flush();
        summarized.countDown();
        if (!stopping) {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        return failed == 0 ? 0 : 1;
    }

    /** Builds every pipe, or none: what was built is closed when one cannot be. */
    private static List<Pipe> build(Iterable<PipeDefinition> definitions) {
        List<Pipe> pipes = new ArrayList<>();
        try {
            for (PipeDefinition d : definitions) {
                pipes.add(d.build());
            }
        } catch (RuntimeException e) {
            pipes.forEach(Pipe::close);
            throw e;
        }
        return pipes;
    }

    private static void runQuietly(Pipe pipe) {
        try {
            pipe.run();
        } catch (RuntimeException e) {
            // logged by the pipe, kept in its completion(), shown in the summary
        }
    }

    /** The shutdown hook: closes every pipe at once (each flushes and commits), then waits for the summary. */
    private void stopAll(List<Pipe> pipes, CountDownLatch summarized, PrintWriter out) {
        stopping = true;
        out.println("stopping: each pipe inserts and commits what it read");
        out.flush();
        List<Thread> closers = new ArrayList<>();
        for (Pipe p : pipes) {
            Thread t = new Thread(p::close, "clickpipes-close-" + p.name());
            t.start();
            closers.add(t);
        }
        try {
            for (Thread t : closers) {
                t.join();
            }
            summarized.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String stateOf(Pipe p) {
        CompletableFuture<?> c = p.completion();
        if (!c.isDone()) {
            return stopping ? "stopping" : "running";
        }
        if (c.isCompletedExceptionally()) {
            return "FAILED (" + p.metrics().lastError() + ")";
        }
        return endedOnItsOwn.contains(p) ? "finished" : "stopped";
    }
}
