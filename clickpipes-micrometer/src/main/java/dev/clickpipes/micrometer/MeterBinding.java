package dev.clickpipes.micrometer;

import dev.clickpipes.core.BatchReport;
import dev.clickpipes.core.ErrorKind;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.core.PipeListener;
import dev.clickpipes.core.PipeMetrics;
import dev.clickpipes.core.spi.SourceLag;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * The meters of one pipe in one registry, made by {@link ClickPipesMetrics#bind}. {@link #close()}
 * removes them from the registry and stops listening to the pipe; the pipe itself runs on.
 */
public final class MeterBinding implements AutoCloseable {

    /** Tag keys the binding sets itself. */
    static final Set<String> RESERVED_TAGS = Set.of("pipe", "table", "kind", "partition");

    private final Pipe pipe;
    private final MeterRegistry registry;
    private final Tags tags;
    private final List<Meter> meters = new ArrayList<>();
    private final Timer insertTimer;
    private final SourceLagMeters lag;
    private final PipeListener listener;
    private boolean closed; // guarded by this

    private MeterBinding(ClickPipesMetrics settings, Pipe pipe, MeterRegistry registry) {
        this.pipe = pipe;
        this.registry = registry;
        String table = pipe.table();
        this.tags = settings.tags.and("pipe", pipe.name(), "table", table.isEmpty() ? "none" : table);
        counter("clickpipes.records.read", "Records taken from the source", null, PipeMetrics::recordsRead);
        counter("clickpipes.data.read", "Bytes of the records taken from the source", BaseUnits.BYTES,
                PipeMetrics::bytesRead);
        counter("clickpipes.rows.written", "Rows acknowledged by ClickHouse", null, PipeMetrics::rowsWritten);
        counter("clickpipes.rows.committed", "Rows whose source positions are committed", null,
                PipeMetrics::committedRows);
        for (ErrorKind kind : ErrorKind.values()) {
            meters.add(FunctionCounter.builder("clickpipes.rows.rejected", pipe, p -> p.metrics().errorRows(kind))
                    .description("Records filed as errors (error table or callback), by why")
                    .tags(tags).tag("kind", kind.name())
                    .register(registry));
        }
        counter("clickpipes.batches", "Batches inserted and committed", null, PipeMetrics::batches);
        counter("clickpipes.insert.retries", "Insert attempts that failed and were retried", null,
                PipeMetrics::insertRetries);
        meters.add(Gauge.builder("clickpipes.inserts.active", pipe, p -> p.metrics().insertsInFlight())
                .description("Inserts in flight (at most one per pipe)")
                .tags(tags)
                .register(registry));
        insertTimer = timer(settings);
        meters.add(insertTimer);
        lag = new SourceLagMeters(pipe, registry, tags);
        listener = new PipeListener() {
            @Override
            public void onBatchCommitted(Pipe p, BatchReport report) {
                insertTimer.record(report.insertTime());
            }

            @Override
            public void onLag(Pipe p, SourceLag value) {
                lag.update(value);
            }
        };
        pipe.addListener(listener);
        lag.update(pipe.sourceLag()); // a pipe bound while it runs shows its lag at once
    }

    static MeterBinding register(ClickPipesMetrics settings, Pipe pipe, MeterRegistry registry) {
        return new MeterBinding(settings, pipe, registry);
    }

    private void counter(String name, String description, String baseUnit, ToDoubleFunction<PipeMetrics> value) {
        meters.add(FunctionCounter.builder(name, pipe, p -> value.applyAsDouble(p.metrics()))
                .description(description)
                .baseUnit(baseUnit)
                .tags(tags)
                .register(registry));
    }

    private Timer timer(ClickPipesMetrics settings) {
        Timer.Builder b = Timer.builder("clickpipes.batch.insert")
                .description("Time to insert a batch into ClickHouse, retries and its error rows included")
                .tags(tags);
        if (settings.percentiles.length > 0) {
            b.publishPercentiles(settings.percentiles);
        }
        if (settings.histogram) {
            b.publishPercentileHistogram(true); // else the registry's default (a MeterFilter may turn it on)
        }
        if (settings.serviceLevelObjectives.length > 0) {
            b.serviceLevelObjectives(settings.serviceLevelObjectives);
        }
        if (settings.minimumExpected != null) {
            b.minimumExpectedValue(settings.minimumExpected).maximumExpectedValue(settings.maximumExpected);
        }
        return b.register(registry);
    }

    /** The tags every meter of this binding has: {@code pipe}, {@code table} and the configured ones. */
    public Tags tags() {
        return tags;
    }

    /** The pipe these meters report on. */
    public Pipe pipe() {
        return pipe;
    }

    /** Removes the meters from the registry and the listener from the pipe; safe to call more than once. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        pipe.removeListener(listener);
        lag.close();
        for (Meter m : meters) {
            registry.remove(m);
        }
    }

    @Override
    public String toString() {
        return "MeterBinding[" + tags + "]";
    }
}
