package dev.clickpipes.clickhouse.routing;

import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.core.ErrorKind;
import dev.clickpipes.core.FieldMapping;
import dev.clickpipes.core.spi.DecodeException;
import dev.clickpipes.core.spi.Decoder;
import dev.clickpipes.core.spi.SinkException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A router's targets by route: the declared ones, and, when the router names tables by route,
 * those it adds the first time a route comes (opening the sink, which creates the table from its
 * definition when asked), up to a limit. A route whose table cannot be opened is not tried again
 * for a minute: its records go to the fallback table with the reason. Thread-safe (chunks of a
 * batch may be decoded side by side).
 */
final class Targets {

    private static final Logger LOG = LoggerFactory.getLogger(Targets.class);
    private static final long RETRY_FAILED_NANOS = 60_000_000_000L;

    /** What the router adds targets with, for routes no declared target has. */
    record Dynamic(Function<String, ClickHouseSink> sinks, Decoder decoder, FieldMapping mapping, int maxTargets) {
    }

    private final Map<String, Target> byRoute = new ConcurrentHashMap<>();
    private final List<Target> list = new CopyOnWriteArrayList<>();
    private final Dynamic dynamic;
    private final Set<String> virtualColumns;
    private final Map<String, Failure> failed = new ConcurrentHashMap<>();
    private volatile Opener opener;

    private record Failure(long nanos, String message) {
    }

    /** Opens a target added after the router's sink was opened. */
    interface Opener {
        void open(Target target) throws SinkException;
    }

    Targets(List<Target> declared, Dynamic dynamic, Set<String> virtualColumns) {
        for (Target t : declared) {
            list.add(t);
            byRoute.put(t.route, t);
        }
        this.dynamic = dynamic;
        this.virtualColumns = virtualColumns;
    }

    /** Every target so far, in the order they were declared or added; a target's index is its place here. */
    List<Target> all() {
        return list;
    }

    /** The target the router has for a route so far (declared or added), or null: adds none. */
    Target existing(String route) {
        return byRoute.get(route);
    }

    /** How routes no target has get their tables, or null when only declared targets take records. */
    Dynamic dynamic() {
        return dynamic;
    }

    /** The source's virtual columns the tables may take. */
    Set<String> virtualColumns() {
        return virtualColumns;
    }

    void openWith(Opener value) {
        opener = value;
    }

    /**
     * The target of a route, added first when the router names tables by route; null when there is none.
     *
     * @throws DecodeException NO_ROUTE when the route's table cannot be opened, or the router has as many targets as it may
     */
    Target find(String route) throws DecodeException {
        Target t = byRoute.get(route);
        return t != null || dynamic == null ? t : add(route);
    }

    private synchronized Target add(String route) throws DecodeException {
        Target t = byRoute.get(route);
        if (t != null) {
            return t;
        }
        Failure f = failed.get(route);
        if (f != null && System.nanoTime() - f.nanos < RETRY_FAILED_NANOS) {
            throw new DecodeException(ErrorKind.NO_ROUTE, f.message);
        }
        ClickHouseSink sink;
        try {
            sink = dynamic.sinks.apply(route);
        } catch (RuntimeException e) {
            throw refuse(route, "the table function refused it: " + e.getMessage());
        }
        if (sink == null) {
            return null;
        }
        if (list.size() >= dynamic.maxTargets) {
            sink.close();
            throw new DecodeException(ErrorKind.NO_ROUTE, "route `" + route + "` would be target " + (list.size() + 1)
                    + "; the router takes at most " + dynamic.maxTargets + " (Router.Builder.maxTargets)");
        }
        t = new Target(list.size(), route, sink, dynamic.decoder, dynamic.mapping, virtualColumns, true);
        try {
            opener.open(t);
        } catch (SinkException | RuntimeException e) {
            sink.close();
            throw refuse(route, "its table " + sink.table() + " cannot be opened: " + e.getMessage());
        }
        LOG.info("router: route `{}` goes to {} from now on", route, sink.table());
        list.add(t);
        byRoute.put(route, t);
        return t;
    }

    private DecodeException refuse(String route, String why) {
        String message = "route `" + route + "`: " + why;
        failed.put(route, new Failure(System.nanoTime(), message));
        LOG.warn("router: {}; its records go to the fallback table (tried again in a minute)", message);
        return new DecodeException(ErrorKind.NO_ROUTE, message);
    }
}
