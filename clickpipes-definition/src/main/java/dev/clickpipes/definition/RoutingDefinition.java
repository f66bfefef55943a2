package dev.clickpipes.definition;

import dev.clickpipes.clickhouse.ddl.TableDefinition;
import dev.clickpipes.clickhouse.http.HttpTransport;
import dev.clickpipes.clickhouse.routing.RouteKey;
import dev.clickpipes.clickhouse.routing.Router;
import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.core.FieldMapping;
import dev.clickpipes.core.spi.Decoder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The {@code routing} section, read onto {@link Router#builder()}: the route key, the tables by
 * route (a map, a template, or both), the definition of tables created when missing, the limit,
 * each target's error table and the fallback one. Every target is a {@code ClickHouseSink} of the
 * {@code sink} section, over one HTTP transport that the router's sink closes.
 */
final class RoutingDefinition {

    /** What a route may be to name a table by the template: no quoting, no dot, no surprise. */
    private static final Pattern TEMPLATE_ROUTE = Pattern.compile("[A-Za-z0-9_]{1,100}");

    private final String path;
    private final RouteKey key;
    private final Map<String, String> tables;
    private final String template;
    /** Per route of {@link #tables}: field to column, on top of the pipe's mapping. */
    private final Map<String, Map<String, String>> mappings = new LinkedHashMap<>();
    private final TableDefinition createTable;
    private final Integer maxTargets;
    private final String errorTableName;
    private final String fallback;

    private RoutingDefinition(ConfigNode n) {
        path = n.path();
        String by = n.choice("route-by");
        String name = n.string("name");
        tables = n.map("tables");
        template = n.string("table-template");
        Map<String, String> fields = n.map("mappings");
        createTable = TableDefinitionSection.parse(n.section("create-table", DefinitionSchema.CREATE_TABLE));
        maxTargets = n.integer("max-targets");
        errorTableName = n.string("error-table-name");
        fallback = n.string("fallback-error-table");
        n.refuseUnknownKeys();
        key = routeKey(n, by, name);
        if (tables == null && template == null) {
            throw new DefinitionException(n.pathOf("tables"), "is required, or table-template: which table each route goes to"
                    + " (e.g. tables: {order: orders, refund: refunds} or table-template: \"events_{route}\")");
        }
        if (fields != null) {
            readMappings(n, fields);
        }
        if (tables != null && tables.isEmpty()) {
            throw new DefinitionException(n.pathOf("tables"), "is empty: give route: table pairs");
        }
        if (template != null && !template.contains("{route}")) {
            throw new DefinitionException(n.pathOf("table-template"), "has no {route}: every route would name the same table '"
                    + template + "'; use tables: for fixed names");
        }
        if (maxTargets != null && template == null) {
            throw new DefinitionException(n.pathOf("max-targets"), "applies to table-template only (the tables map is the whole list)");
        }
        if (maxTargets != null && maxTargets < 1) {
            throw new DefinitionException(n.pathOf("max-targets"), "must be at least 1, was " + maxTargets);
        }
        if (errorTableName != null && !errorTableName.contains("{table}")) {
            throw new DefinitionException(n.pathOf("error-table-name"), "has no {table}: every target would file its errors in '"
                    + errorTableName + "'; e.g. \"{table}_errors\"");
        }
    }

    /** The section read and checked, or null when the pipe has none. */
    static RoutingDefinition parse(ConfigNode n) {
        return n == null ? null : new RoutingDefinition(n);
    }

    /** {@code refund.order: order_id} (a YAML {@code refund: {order: order_id}}, flattened) is route {@code refund}'s field {@code order}. */
    private void readMappings(ConfigNode n, Map<String, String> fields) {
        for (Map.Entry<String, String> e : fields.entrySet()) {
            int dot = e.getKey().indexOf('.');
            String route = dot > 0 ? e.getKey().substring(0, dot) : e.getKey();
            if (dot <= 0 || dot == e.getKey().length() - 1) {
                throw new DefinitionException(n.pathOf("mappings") + "." + e.getKey(), "expected route: {field: column},"
                        + " e.g. refund: {order: order_id}");
            }
            if (tables == null || !tables.containsKey(route)) {
                throw new DefinitionException(n.pathOf("mappings") + "." + route, "names no route of tables"
                        + (tables == null ? "" : " " + tables.keySet()) + "; tables by template take the pipe's mapping only");
            }
            mappings.computeIfAbsent(route, r -> new LinkedHashMap<>()).put(e.getKey().substring(dot + 1), e.getValue());
        }
    }

    private static RouteKey routeKey(ConfigNode n, String by, String name) {
        if (by.equals("topic")) {
            if (name != null) {
                throw new DefinitionException(n.pathOf("name"), "does not apply to route-by: topic (the topic is the route)");
            }
            return RouteKey.topic();
        }
        if (name == null || name.isBlank()) {
            throw new DefinitionException(n.pathOf("name"), "is required with route-by: " + by + " (the " + by.replace('-', ' ')
                    + "'s name, e.g. " + (by.equals("virtual-column") ? "_key" : "type") + ")");
        }
        return switch (by) {
            case "field" -> RouteKey.field(name);
            case "header" -> RouteKey.header(name);
            default -> RouteKey.virtualColumn(name);
        };
    }

    /** What the route is read from, for messages and {@code check}. */
    String describe() {
        return "routed by " + key + " to " + (tables == null ? "" : tables.values() + (template == null ? "" : " and "))
                + (template == null ? "" : template);
    }

    /**
     * A new router (a pipe runs once): each target's sink from {@code sink} over one transport,
     * then changed by {@code customizer}; decoders from {@code decoders}, fields by {@code mapping}.
     */
    Router newRouter(SinkDefinition sink, Supplier<Decoder> decoders, FieldMapping mapping, Set<String> virtualColumns,
                     Consumer<ClickHouseSink.Builder> customizer) {
        HttpTransport transport = sink.transport();
        try {
            Function<String, ClickHouseSink> sinkOf = table -> {
                ClickHouseSink.Builder b = sink.builderOn(transport, table, errorTableOf(table));
                if (createTable != null) {
                    b.createTable(createTable);
                }
                customizer.accept(b);
                return Parts.built(sink.path(), b::build).get();
            };
            Router.Builder b = Router.builder().routeBy(key).virtualColumns(virtualColumns).closeWithSink(transport)
                    .fallbackErrorTable(transport, fallback == null ? sink.database() + ".clickpipes_unrouted"
                            : fallback.contains(".") ? fallback : sink.database() + "." + fallback);
            if (tables != null) {
                tables.forEach((route, table) -> b.target(route, sinkOf.apply(table), decoders.get(), mappingOf(route, mapping)));
            }
            if (template != null) {
                b.tablesByRoute(route -> TEMPLATE_ROUTE.matcher(route).matches() ? sinkOf.apply(template.replace("{route}", route))
                        : refuse(route), decoders.get(), mapping);
                if (maxTargets != null) {
                    b.maxTargets(maxTargets);
                }
            }
            return Parts.built(path, b::build).get();
        } catch (RuntimeException e) {
            transport.close();
            throw e;
        }
    }

    /** The pipe's mapping, plus the route's own fields when {@code mappings} has them. */
    private FieldMapping mappingOf(String route, FieldMapping pipe) {
        Map<String, String> own = mappings.get(route);
        if (own == null) {
            return pipe;
        }
        FieldMapping.Builder b = FieldMapping.builder().caseInsensitive(pipe.caseInsensitive());
        pipe.explicit().forEach(b::map);
        own.forEach(b::map);
        return b.build();
    }

    private static ClickHouseSink refuse(String route) {
        throw new IllegalArgumentException("a route names a table by the template only when it is letters, digits and _ (up to"
                + " 100), was `" + route + "`");
    }

    /** The target's error table name by {@code error-table-name}, or null for the sink's default. */
    private String errorTableOf(String table) {
        if (errorTableName == null) {
            return null;
        }
        int dot = table.indexOf('.');
        return errorTableName.replace("{table}", dot > 0 ? table.substring(dot + 1) : table);
    }
}
