package dev.clickpipes.clickhouse.routing;

import dev.clickpipes.clickhouse.ClickHouseTransport;
import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.clickhouse.sink.StandaloneErrorTable;
import dev.clickpipes.core.FieldMapping;
import dev.clickpipes.core.RowBuffer;
import dev.clickpipes.core.spi.Decoder;
import dev.clickpipes.core.spi.Sink;
import dev.clickpipes.core.spi.SourceRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One stream into many tables: each record goes to the table its route names (a JSON field, a
 * header, the topic, or a function), each table with its own schema, decoder, mapping and error
 * table. Give the pipe {@link #decoder()} and {@link #sink()}:
 *
 * <pre>{@code
 * Router router = Router.builder()
 *     .routeBy(RouteKey.field("type"))
 *     .target("order", ClickHouseSink.builder().transport(t).table("shop.orders").build(), Decoders.json())
 *     .target("refund", ClickHouseSink.builder().transport(t).table("shop.refunds").build(), Decoders.json())
 *     .fallbackErrorTable(t, "shop.unrouted")
 *     .build();
 * Pipe pipe = Pipe.builder().name("shop").source(kafka).decoder(router.decoder()).sink(router.sink()).build();
 * }</pre>
 *
 * <p>The pipe batches, retries and commits as for one table: its buffer holds one envelope row
 * ({@value #ENVELOPE_COLUMN}) per routed row, while the rows themselves are decoded into each
 * target's own columns beside it. An insert of a batch inserts every target's part, each with the
 * batch's deduplication token plus {@code "/" + table}, and returns when all are in: a position is
 * committed only when its records are in every table, and a re-sent batch is dropped by each
 * deduplicating table. A record with no target goes to the fallback error table with the reason; so
 * do the records of a target whose table and error table are both gone. With
 * {@link Builder#tablesByRoute} a route no declared target has names its own table, opened (and
 * created, when its sink has a definition) the first time it comes. One router serves one pipe.
 */
public final class Router {

    /** The pipe's one column: the route of each row. No real table has it. */
    static final String ENVELOPE_COLUMN = "_route";

    final RouteKey key;
    final Targets targets;
    final StandaloneErrorTable fallback;
    /** Closed after the targets' sinks when the router's sink closes (a transport made for the router). */
    final List<AutoCloseable> closeWithSink;
    private final RoutingDecoder decoder;
    private final RoutingSink sink;
    /** Per pipe buffer (by identity: RowBuffer keeps Object's equals), what its rows stand for. */
    private final Map<RowBuffer, RoutedRows> routed = Collections.synchronizedMap(new WeakHashMap<>());
    /** Where the error row of a record filed by the pipe goes, by position; null target means the fallback table. */
    private final Map<String, Target> errorRoutes = new ConcurrentHashMap<>();
    /** The fallback table in {@link #errorRoutes}, which takes no null. */
    private static final Target FALLBACK = new Target(-1, "", null, null, FieldMapping.byName(), Set.of(), false);

    private Router(Builder b) {
        this.key = b.key;
        List<Target> list = new ArrayList<>();
        Map<String, Integer> perTable = new java.util.HashMap<>();
        for (TargetSpec spec : b.targets.values()) {
            perTable.merge(spec.sink.table(), 1, Integer::sum);
        }
        for (TargetSpec spec : b.targets.values()) {
            list.add(new Target(list.size(), spec.route, spec.sink, spec.decoder, spec.mapping, b.virtualColumns,
                    perTable.get(spec.sink.table()) > 1));
        }
        this.targets = new Targets(list, b.dynamic, b.virtualColumns);
        this.fallback = b.fallback;
        this.closeWithSink = List.copyOf(b.closeWithSink);
        this.decoder = new RoutingDecoder(this);
        this.sink = new RoutingSink(this);
    }

    /** A builder; a route key, a target (or {@code tablesByRoute}) and the fallback error table are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The decoder to give {@code Pipe.builder().decoder(..)}. */
    public Decoder decoder() {
        return decoder;
    }

    /** The sink to give {@code Pipe.builder().sink(..)}. */
    public Sink sink() {
        return sink;
    }

    Target target(String route) throws dev.clickpipes.core.spi.DecodeException {
        return targets.find(route);
    }

    /** The route values that have a target, for messages. */
    List<String> routes() {
        return targets.all().stream().map(t -> t.route).toList();
    }

    /** Why a record with no route goes to the fallback table. */
    String noRouteMessage() {
        return "the record has no " + key + " to route it by";
    }

    /** Why a record whose route names no target goes to the fallback table. */
    String noTargetMessage(String route) {
        return "route `" + route + "` (" + key + ") names no target; the targets are " + routes();
    }

    /**
     * A preview of what this router would make of sample records, reading tables' columns but
     * inserting, creating and opening nothing: for {@code clickpipes check}.
     *
     * @param pipeName the pipe's name, as its error records would carry it
     */
    public RoutePreview preview(String pipeName) {
        return new RoutePreview(this, pipeName);
    }

    RoutedRows routed(RowBuffer envelope) {
        return routed.computeIfAbsent(envelope, b -> new RoutedRows());
    }

    /** What the buffer stands for, or null when no record was decoded into it. */
    RoutedRows existing(RowBuffer envelope) {
        return routed.get(envelope);
    }

    /** The record will be filed by the pipe: its error row goes to {@code target}'s error table (null: the fallback). */
    void errorsGoTo(SourceRecord record, Target target) {
        errorRoutes.put(String.valueOf(record.position()), target == null ? FALLBACK : target);
    }

    /** Where the error row of the record at {@code position} goes, once: null for the fallback table. */
    Target takeErrorRoute(String position) {
        Target t = errorRoutes.remove(position);
        return t == FALLBACK ? null : t;
    }

    /** Forgets error routes of records that were inserted after all (a split found them fine). */
    void forgetErrorRoutes(List<SourceRecord> records) {
        if (errorRoutes.isEmpty()) {
            return;
        }
        for (SourceRecord r : records) {
            errorRoutes.remove(String.valueOf(r.position()));
        }
    }

    private record TargetSpec(String route, ClickHouseSink sink, Decoder decoder, FieldMapping mapping) {
    }

    /** Builds a {@link Router}. */
    public static final class Builder {
        private RouteKey key;
        private final Map<String, TargetSpec> targets = new LinkedHashMap<>();
        private Set<String> virtualColumns = Set.of();
        private StandaloneErrorTable fallback;
        private Targets.Dynamic dynamic;
        private final List<AutoCloseable> closeWithSink = new ArrayList<>();

        private Builder() {
        }

        /** What names a record's target. Required. */
        public Builder routeBy(RouteKey value) {
            key = Objects.requireNonNull(value, "routeBy");
            return this;
        }

        /**
         * The source's virtual columns ({@code source.virtualColumns()}) that target tables may
         * take, as columns of those names. Default: none ({@code _raw_message} always works).
         */
        public Builder virtualColumns(Set<String> names) {
            virtualColumns = Set.copyOf(names);
            return this;
        }

        /** Records whose route is {@code route} go to {@code sink}'s table, decoded by {@code decoder}, fields by name. */
        public Builder target(String route, ClickHouseSink sink, Decoder decoder) {
            return target(route, sink, decoder, FieldMapping.byName());
        }

        /** Records whose route is {@code route} go to {@code sink}'s table, decoded by {@code decoder}, fields by {@code mapping}. */
        public Builder target(String route, ClickHouseSink sink, Decoder decoder, FieldMapping mapping) {
            Objects.requireNonNull(route, "route");
            if (targets.containsKey(route)) {
                throw new IllegalArgumentException("Router.target: route `" + route + "` has a target already ("
                        + targets.get(route).sink.table() + ")");
            }
            targets.put(route, new TargetSpec(route, Objects.requireNonNull(sink, "sink"),
                    Objects.requireNonNull(decoder, "decoder"), Objects.requireNonNull(mapping, "mapping")));
            return this;
        }

        /**
         * The error table ({@code database.table}, created when missing) of records with no target
         * (no route, or a route no target has) and of records whose target table and error table
         * are both gone. Required: a record is never dropped for want of a table.
         */
        public Builder fallbackErrorTable(ClickHouseTransport transport, String qualifiedTable) {
            int dot = qualifiedTable == null ? -1 : qualifiedTable.indexOf('.');
            if (dot <= 0) {
                throw new IllegalArgumentException("Router.fallbackErrorTable needs database.table, was " + qualifiedTable);
            }
            fallback = StandaloneErrorTable.of(transport, qualifiedTable.substring(0, dot),
                    qualifiedTable.substring(dot + 1));
            return this;
        }

        /**
         * Routes no declared target has name their tables: the first record of such a route opens
         * {@code sinks.apply(route)} (give it {@code .createTable(definition)} to create the table
         * when missing) and its records are decoded by {@code decoder}, fields by name. A function
         * answering null sends the route's records to the fallback table. At most 100 targets in
         * all; see {@link #maxTargets}. Default: only declared targets.
         */
        public Builder tablesByRoute(Function<String, ClickHouseSink> sinks, Decoder decoder) {
            return tablesByRoute(sinks, decoder, FieldMapping.byName());
        }

        /** As {@link #tablesByRoute(Function, Decoder)}, with this field mapping for every table it adds. */
        public Builder tablesByRoute(Function<String, ClickHouseSink> sinks, Decoder decoder, FieldMapping mapping) {
            dynamic = new Targets.Dynamic(Objects.requireNonNull(sinks, "sinks"), Objects.requireNonNull(decoder, "decoder"),
                    Objects.requireNonNull(mapping, "mapping"), dynamic == null ? 100 : dynamic.maxTargets());
            return this;
        }

        /**
         * How many targets, declared and added, the router takes at most (a stream whose routes
         * keep changing would otherwise create tables without end); a record of a route past it
         * goes to the fallback table. Default 100. Only with {@link #tablesByRoute}.
         */
        public Builder maxTargets(int value) {
            if (dynamic == null) {
                throw new IllegalStateException("Router.maxTargets applies to .tablesByRoute(...): call that first");
            }
            if (value < 1) {
                throw new IllegalArgumentException("Router.maxTargets must be at least 1, was " + value);
            }
            dynamic = new Targets.Dynamic(dynamic.sinks(), dynamic.decoder(), dynamic.mapping(), value);
            return this;
        }

        /**
         * Something the router's sink closes when it closes, after the targets' sinks: a transport
         * made for the router alone (the fallback table's and the targets' own), which no other code
         * holds. Default: none (a transport given to the router stays the caller's to close).
         */
        public Builder closeWithSink(AutoCloseable resource) {
            closeWithSink.add(Objects.requireNonNull(resource, "resource"));
            return this;
        }

        /** The router; fails naming the first missing setting. */
        public Router build() {
            if (key == null) {
                throw new IllegalArgumentException("Router.routeBy is not set: e.g. .routeBy(RouteKey.field(\"type\"))");
            }
            if (targets.isEmpty() && dynamic == null) {
                throw new IllegalArgumentException("Router has no target: add .target(route, sink, decoder)"
                        + " or .tablesByRoute(route -> sink, decoder)");
            }
            if (fallback == null) {
                throw new IllegalArgumentException("Router.fallbackErrorTable is not set: records with no target"
                        + " go there, e.g. .fallbackErrorTable(transport, \"analytics.unrouted\")");
            }
            return new Router(this);
        }
    }
}
