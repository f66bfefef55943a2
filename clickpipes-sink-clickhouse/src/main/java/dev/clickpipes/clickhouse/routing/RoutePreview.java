package dev.clickpipes.clickhouse.routing;

import dev.clickpipes.clickhouse.TableSchema;
import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.core.DecodePreview;
import dev.clickpipes.core.FieldMapping;
import dev.clickpipes.core.spi.Decoder;
import dev.clickpipes.core.spi.SinkException;
import dev.clickpipes.core.spi.SourceRecord;
import java.util.HashMap;
import java.util.Map;

/**
 * What a router would make of sample records, without inserting, creating or committing anything:
 * for each record the table its route names and what it decodes to there ({@link DecodePreview}),
 * or why it would go to the fallback error table. The preview step of {@code clickpipes check} for a
 * routed pipe. A table's columns are read once, the first time a route names it; no target is
 * added to the router and no error table is created. Get one from {@link Router#preview}; close it
 * to release the sinks it made for routes a {@code tablesByRoute} function names. Not thread-safe.
 */
public final class RoutePreview implements AutoCloseable {

    /**
     * What the router would make of one record.
     *
     * @param route   the record's route, or null when it has none
     * @param table   the table the route names ({@code database.table}), or null when it names none
     * @param decoded what the record decodes to in that table (its rows, or why its target's error
     *                table would take it), or null when there is no table or its columns could not be read
     * @param problem why the record was not decoded (no target: it goes to the fallback error table
     *                with this reason; or the table's columns could not be read), or null when it was
     */
    public record Outcome(String route, String table, DecodePreview.Outcome decoded, String problem) {
    }

    /** A route's table and the preview of its records, or why there is none. */
    private record Table(String name, DecodePreview preview, String problem) {
    }

    private final Router router;
    private final String pipeName;
    private final Map<String, Table> byRoute = new HashMap<>();
    /** Sinks this preview made for routes of a {@code tablesByRoute} function; closed with it. */
    private final Map<String, ClickHouseSink> made = new HashMap<>();

    RoutePreview(Router router, String pipeName) {
        this.router = router;
        this.pipeName = pipeName;
    }

    /** The error table of records with no target, {@code database.table}. */
    public String fallbackTable() {
        return router.fallback.qualifiedName();
    }

    /**
     * Routes one record and decodes it into its table's columns as the pipe would.
     *
     * @throws dev.clickpipes.core.PipeException when the decoder cannot decode it yet (a schema registry outage)
     */
    public Outcome decode(SourceRecord record) throws InterruptedException {
        String route = router.key.routeOf(record);
        if (route == null) {
            return new Outcome(null, null, null, router.noRouteMessage());
        }
        Table t = byRoute.get(route);
        if (t == null) {
            t = table(route);
            byRoute.put(route, t);
        }
        if (t.preview == null) {
            return new Outcome(route, t.name, null, t.problem);
        }
        return new Outcome(route, t.name, t.preview.decode(record), null);
    }

    private Table table(String route) {
        Target declared = router.targets.existing(route);
        Targets.Dynamic dynamic = router.targets.dynamic();
        ClickHouseSink sink;
        Decoder decoder;
        FieldMapping mapping;
        if (declared != null) {
            sink = declared.sink;
            decoder = declared.decoder;
            mapping = declared.mapping;
        } else if (dynamic != null) {
            try {
                sink = dynamic.sinks().apply(route);
            } catch (RuntimeException e) {
                return new Table(null, null, "route `" + route + "`: the table function refused it: " + e.getMessage());
            }
            if (sink == null) {
                return new Table(null, null, router.noTargetMessage(route));
            }
            made.put(route, sink);
            decoder = dynamic.decoder();
            mapping = dynamic.mapping();
        } else {
            return new Table(null, null, router.noTargetMessage(route));
        }
        TableSchema schema;
        try {
            schema = sink.refreshSchema(); // reads the columns only; opening would create a missing error table
        } catch (SinkException | RuntimeException e) {
            String problem = "its columns cannot be read (" + e.getMessage() + ")";
            if (declared == null) {
                problem += "; the pipe creates the table when the router has a table definition, else files these"
                        + " records in the fallback error table";
            }
            return new Table(sink.table(), null, problem);
        }
        DecodePreview preview = new DecodePreview(pipeName, schema, mapping, router.targets.virtualColumns(), decoder);
        return new Table(sink.table(), preview, null);
    }

    /** Closes the sinks made for routes of a {@code tablesByRoute} function (not the router's own). */
    @Override
    public void close() {
        made.values().forEach(ClickHouseSink::close);
        made.clear();
    }
}
