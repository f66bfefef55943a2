package dev.clickpipes.micrometer;

import dev.clickpipes.core.Pipe;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * Micrometer meters for a {@link Pipe}, bound with one call:
 *
 * <pre>{@code
 * MeterBinding metrics = ClickPipesMetrics.bind(pipe, registry);
 * ...
 * metrics.close(); // removes the pipe's meters from the registry
 * }</pre>
 *
 * <p>Every meter is tagged {@code pipe} (the pipe's name) and {@code table} (the target,
 * {@code database.table}), plus the tags given to {@link Builder#tags}. Names follow Micrometer's
 * conventions (dot-separated, lower case, base units: seconds, bytes); each registry renders them
 * its own way ({@code clickpipes.records.read} is {@code clickpipes_records_read_total} in
 * Prometheus). The meters:
 *
 * <table>
 * <caption>Meters of one pipe</caption>
 * <tr><th>name</th><th>type</th><th>extra tags</th><th>what</th></tr>
 * <tr><td>{@code clickpipes.records.read}</td><td>counter</td><td></td><td>records taken from the source</td></tr>
 * <tr><td>{@code clickpipes.data.read}</td><td>counter, bytes</td><td></td><td>bytes of those records</td></tr>
 * <tr><td>{@code clickpipes.rows.written}</td><td>counter</td><td></td><td>rows acknowledged by ClickHouse</td></tr>
 * <tr><td>{@code clickpipes.rows.committed}</td><td>counter</td><td></td><td>rows whose source positions are committed</td></tr>
 * <tr><td>{@code clickpipes.rows.rejected}</td><td>counter</td><td>{@code kind}</td><td>records filed as errors, by {@code ErrorKind}</td></tr>
 * <tr><td>{@code clickpipes.batches}</td><td>counter</td><td></td><td>batches inserted and committed</td></tr>
 * <tr><td>{@code clickpipes.insert.retries}</td><td>counter</td><td></td><td>insert attempts that failed and were retried</td></tr>
 * <tr><td>{@code clickpipes.inserts.active}</td><td>gauge</td><td></td><td>inserts in flight (0 or 1)</td></tr>
 * <tr><td>{@code clickpipes.batch.insert}</td><td>timer</td><td></td><td>time to insert a batch, retries included</td></tr>
 * <tr><td>{@code clickpipes.source.lag}</td><td>gauge, records</td><td>{@code partition}</td><td>records not read yet (Kafka)</td></tr>
 * <tr><td>{@code clickpipes.source.lag.time}</td><td>gauge, seconds</td><td>{@code partition}</td><td>how far behind the newest record (Kinesis)</td></tr>
 * <tr><td>{@code clickpipes.source.objects.pending}</td><td>gauge, objects</td><td>{@code partition}</td><td>objects listed, not read yet</td></tr>
 * </table>
 *
 * <p>The counters report the pipe's totals since it started, whenever it was bound; the timer
 * records the batches committed after binding. A source-lag gauge appears once the source has told
 * its lag (the pipe asks it about once a second) and follows the partitions the worker holds.
 * Instances are immutable and may bind any number of pipes.
 */
public final class ClickPipesMetrics {

    private static final ClickPipesMetrics DEFAULTS = builder().build();

    final Tags tags;
    final double[] percentiles;
    final boolean histogram;
    final Duration[] serviceLevelObjectives;
    final Duration minimumExpected;
    final Duration maximumExpected;

    private ClickPipesMetrics(Builder b) {
        this.tags = b.tags;
        this.percentiles = b.percentiles.clone();
        this.histogram = b.histogram;
        this.serviceLevelObjectives = b.serviceLevelObjectives.clone();
        this.minimumExpected = b.minimumExpected;
        this.maximumExpected = b.maximumExpected;
    }

    /** Binds the pipe's meters to the registry with the defaults (no percentiles, no histogram). */
    public static MeterBinding bind(Pipe pipe, MeterRegistry registry) {
        return DEFAULTS.bindTo(pipe, registry);
    }

    /** A builder for bindings with more tags, or a timer that publishes percentiles or a histogram. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Registers the pipe's meters in the registry and listens to the pipe for the timer and the
     * source lag; the returned binding's {@code close()} removes both. Binding the same pipe twice
     * in one registry shares the counters (Micrometer keeps one meter per name and tags).
     */
    public MeterBinding bindTo(Pipe pipe, MeterRegistry registry) {
        Objects.requireNonNull(pipe, "pipe");
        Objects.requireNonNull(registry, "registry");
        return MeterBinding.register(this, pipe, registry);
    }

    /** Builds a {@link ClickPipesMetrics}; every setting is optional. */
    public static final class Builder {
        private Tags tags = Tags.empty();
        private double[] percentiles = {};
        private boolean histogram;
        private Duration[] serviceLevelObjectives = {};
        private Duration minimumExpected;
        private Duration maximumExpected;

        private Builder() {
        }

        /** More tags on every meter (an application, a region); must not be {@code pipe}, {@code table}, {@code kind} or {@code partition}. Default none. */
        public Builder tags(Iterable<Tag> value) {
            Tags t = Tags.of(Objects.requireNonNull(value, "tags"));
            for (Tag tag : t) {
                if (MeterBinding.RESERVED_TAGS.contains(tag.getKey())) {
                    throw new IllegalArgumentException("ClickPipesMetrics.tags: '" + tag.getKey()
                            + "' is set by the binding itself; name the tag differently");
                }
            }
            tags = t;
            return this;
        }

        /** More tags on every meter, as key, value pairs; see {@link #tags(Iterable)}. */
        public Builder tags(String... keyValues) {
            return tags(Tags.of(keyValues));
        }

        /**
         * Percentiles the insert timer computes in the client, e.g. {@code 0.5, 0.95, 0.99}
         * (each in [0, 1]). Default none. They cannot be aggregated across pipes: prefer
         * {@link #histogram} where the backend computes percentiles (Prometheus).
         */
        public Builder percentiles(double... value) {
            for (double p : value) {
                if (!(p >= 0 && p <= 1)) {
                    throw new IllegalArgumentException("ClickPipesMetrics.percentiles: each must be in [0, 1], was " + p);
                }
            }
            percentiles = value.clone();
            return this;
        }

        /** Whether the insert timer publishes histogram buckets (Prometheus' {@code histogram_quantile}); default false. */
        public Builder histogram(boolean value) {
            histogram = value;
            return this;
        }

        /** Insert-time buckets to publish (service-level objectives, e.g. 100 ms, 1 s); default none. */
        public Builder serviceLevelObjectives(Duration... value) {
            for (Duration d : value) {
                if (d == null || d.isNegative() || d.isZero()) {
                    throw new IllegalArgumentException("ClickPipesMetrics.serviceLevelObjectives: each must be positive, was " + d);
                }
            }
            serviceLevelObjectives = value.clone();
            return this;
        }

        /**
         * The range of insert times the histogram covers; default Micrometer's (1 ms to 30 s).
         * Only with {@link #histogram}.
         */
        public Builder expectedInsertTime(Duration minimum, Duration maximum) {
            if (minimum == null || maximum == null || minimum.isNegative() || minimum.isZero()
                    || maximum.compareTo(minimum) < 0) {
                throw new IllegalArgumentException("ClickPipesMetrics.expectedInsertTime: needs 0 < minimum <= maximum, was "
                        + minimum + ", " + maximum);
            }
            minimumExpected = minimum;
            maximumExpected = maximum;
            return this;
        }

        /** The settings, to bind pipes with. */
        public ClickPipesMetrics build() {
            return new ClickPipesMetrics(this);
        }
    }

    @Override
    public String toString() {
        return "ClickPipesMetrics[tags=" + tags + ", percentiles=" + Arrays.toString(percentiles) + ", histogram="
                + histogram + "]";
    }
}
