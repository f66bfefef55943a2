package dev.clickpipes.micrometer;

import dev.clickpipes.core.Pipe;
import dev.clickpipes.core.spi.SourceLag;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One gauge per partition the pipe's source reports lag for, in the meter its unit names. The
 * set of partitions follows the source (a Kafka rebalance moves them); each gauge reads the
 * pipe's latest {@link Pipe#sourceLag()} when the registry asks, so values are never older than
 * the pipe's last question to its source.
 */
final class SourceLagMeters {

    private final Pipe pipe;
    private final MeterRegistry registry;
    private final Tags tags;
    private SourceLag.Unit unit; // of the gauge below, once there is one
    private MultiGauge gauge;
    private Set<String> partitions = Set.of();
    private boolean closed;

    SourceLagMeters(Pipe pipe, MeterRegistry registry, Tags tags) {
        this.pipe = pipe;
        this.registry = registry;
        this.tags = tags;
    }

    /** Called with each lag the pipe learns; re-registers the gauges only when the partitions changed. */
    synchronized void update(SourceLag lag) {
        if (closed || lag.partitions().isEmpty() && gauge == null) {
            return;
        }
        if (gauge != null && unit != lag.unit()) {
            gauge.register(List.of(), true); // the source now counts otherwise: drop the old meter's rows
            gauge = null;
        }
        if (gauge == null) {
            unit = lag.unit();
            gauge = builder(unit).tags(tags).register(registry);
            partitions = Set.of();
        }
        if (partitions.equals(lag.partitions().keySet())) {
            return;
        }
        partitions = Set.copyOf(lag.partitions().keySet());
        SourceLag.Unit u = unit;
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (String partition : partitions) {
            rows.add(MultiGauge.Row.of(Tags.of("partition", partition), pipe, p -> value(p, partition, u)));
        }
        gauge.register(rows, true);
    }

    /** The partition's current lag in the meter's base unit; NaN once the source no longer reports it. */
    private static double value(Pipe pipe, String partition, SourceLag.Unit unit) {
        SourceLag now = pipe.sourceLag();
        Long v = now.unit() == unit ? now.partitions().get(partition) : null;
        if (v == null) {
            return Double.NaN;
        }
        return unit == SourceLag.Unit.MILLISECONDS ? v / 1000.0 : v;
    }

    private static MultiGauge.Builder builder(SourceLag.Unit unit) {
        return switch (unit) {
            case RECORDS -> MultiGauge.builder("clickpipes.source.lag").baseUnit("records")
                    .description("Records of the partition not read yet");
            case MILLISECONDS -> MultiGauge.builder("clickpipes.source.lag.time").baseUnit("seconds")
                    .description("How far the last record read is behind the partition's newest");
            case OBJECTS -> MultiGauge.builder("clickpipes.source.objects.pending").baseUnit("objects")
                    .description("Objects listed and not read yet");
        };
    }

    synchronized void close() {
        closed = true;
        if (gauge != null) {
            gauge.register(List.of(), true); // removes every row's gauge from the registry
            gauge = null;
        }
    }
}
