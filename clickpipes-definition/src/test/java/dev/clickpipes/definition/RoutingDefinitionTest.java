package dev.clickpipes.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clickpipes.core.Pipe;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The {@code routing} section read: each form of route key, tables by map and by template, a table
 * definition, and every wrong key failing with its full path. Nothing connects: the endpoint is a
 * closed port and no pipe runs.
 */
class RoutingDefinitionTest {

    private static final String PIPE = """
            source: {type: memory, records: ['{"type": "order", "id": 1}']}
            decoder: {type: json}
            sink: {endpoint: "http://127.0.0.1:1", database: shop}
            """;

    private static PipeDefinition parse(String routing) {
        Map<String, Object> map = new Yaml().load(PIPE + "routing:\n" + routing.indent(2));
        return PipeDefinition.parse("pipes.shop", "shop", map, name -> null);
    }

    @Test
    void everyRouteKeyAndBothWaysOfNamingTablesBuildARouter() {
        PipeDefinition byField = parse("""
                route-by: field
                name: type
                tables: {order: orders, refund: other.refunds}
                mappings: {refund: {order: order_id, customer.name: customer}}
                error-table-name: "{table}_errors"
                fallback-error-table: unrouted
                """);
        assertThat(byField.routing()).isEqualTo("routed by JSON field `type` to [orders, other.refunds]");
        assertThat(byField.toString()).isEqualTo("PipeDefinition[shop: memory -> routed by JSON field `type` to [orders, other.refunds]]");
        assertThat(byField.describe()).contains("routing:\n    route-by: field\n    name: type\n");
        try (PipeComponents parts = byField.newComponents(b -> { })) {
            assertThat(parts.sink().describe()).isEqualTo("router by JSON field `type` to [shop.orders, other.refunds]");
            assertThat(parts.decoder().name()).isEqualTo("router by JSON field `type`");
        }
        PipeDefinition byHeader = parse("""
                route-by: header
                name: event-type
                table-template: "events_{route}"
                max-targets: 5
                create-table:
                  columns: {id: UInt64, type: LowCardinality(String)}
                  order-by: id
                  partition-by: intDiv(id, 1000000)
                """);
        assertThat(byHeader.routing()).isEqualTo("routed by header `event-type` to events_{route}");
        Pipe pipe = byHeader.build(); // never run: closing it closes the router's transport
        pipe.close();
        assertThat(parse("route-by: topic\ntables: {orders: orders}").routing()).isEqualTo(
                "routed by virtual column _topic to [orders]");
        assertThat(parse("route-by: virtual-column\nname: _key\ntables: {a: t_a}\ntable-template: \"t_{route}\"").routing())
                .isEqualTo("routed by virtual column _key to [t_a] and t_{route}");
    }

    @Test
    void eachWrongKeyIsNamedByItsPath() {
        assertThatThrownBy(() -> parse("route-by: field\ntables: {a: t}")).isInstanceOf(DefinitionException.class)
                .hasMessageStartingWith("pipes.shop.routing.name: is required with route-by: field");
        assertThatThrownBy(() -> parse("route-by: topic\nname: x\ntables: {a: t}"))
                .hasMessageStartingWith("pipes.shop.routing.name: does not apply to route-by: topic");
        assertThatThrownBy(() -> parse("route-by: body\nname: x\ntables: {a: t}")).hasMessage(
                "pipes.shop.routing.route-by: expected one of [field, header, topic, virtual-column], got 'body'");
        assertThatThrownBy(() -> parse("name: type\ntables: {a: t}"))
                .hasMessageStartingWith("pipes.shop.routing.route-by: is required");
        assertThatThrownBy(() -> parse("route-by: field\nname: type"))
                .hasMessageStartingWith("pipes.shop.routing.tables: is required, or table-template");
        assertThatThrownBy(() -> parse("route-by: field\nname: type\ntable-template: events"))
                .hasMessageStartingWith("pipes.shop.routing.table-template: has no {route}");
        assertThatThrownBy(() -> parse("route-by: field\nname: type\ntables: {a: t}\nmax-targets: 3"))
                .hasMessageStartingWith("pipes.shop.routing.max-targets: applies to table-template only");
        assertThatThrownBy(() -> parse("route-by: field\nname: type\ntable-template: \"t_{route}\"\nmax-targets: 0"))
                .hasMessage("pipes.shop.routing.max-targets: must be at least 1, was 0");
        assertThatThrownBy(() -> parse("route-by: field\nname: type\ntables: {a: t}\nerror-table-name: errors"))
                .hasMessageStartingWith("pipes.shop.routing.error-table-name: has no {table}");
        assertThatThrownBy(() -> parse("route-by: field\nname: type\ntables: {a: t}\nmappings: {b: {x: y}}"))
                .hasMessage("pipes.shop.routing.mappings.b: names no route of tables [a]; tables by template take the pipe's"
                        + " mapping only");
        assertThatThrownBy(() -> parse("route-by: field\nname: type\ntables: {a: t}\nmappings: {a: x}"))
                .hasMessageStartingWith("pipes.shop.routing.mappings.a: expected route: {field: column}");
        assertThatThrownBy(() -> parse("route-by: field\nname: type\ntables: {a: t}\nmaxTargets: 3"))
                .hasMessageStartingWith("pipes.shop.routing.maxTargets: unknown key; did you mean 'max-targets'?");
        assertThatThrownBy(() -> parse("route-by: field\nname: type\ntable-template: \"t_{route}\"\ncreate-table: {columns: {id: UInt64}}"))
                .hasMessageStartingWith("pipes.shop.routing.create-table.order-by: is required");
        assertThatThrownBy(() -> parse("route-by: field\nname: type\ntable-template: \"t_{route}\"\n"
                + "create-table: {columns: {id: UInt64}, order-by: id, settings: {index-granularity: 8192}}"))
                .hasMessageStartingWith("pipes.shop.routing.create-table.settings.index-granularity:")
                .hasMessageContaining("not an identifier");
        assertThatThrownBy(() -> parse("route-by: field\nname: type\ntable-template: \"t_{route}\"\n"
                + "create-table: {columns: {id: UInt64}, order-by: id, settings: {storage: {policy: hot}}}"))
                .hasMessageStartingWith("pipes.shop.routing.create-table.settings.storage.policy:");
        assertThatThrownBy(() -> parse("route-by: field\nname: type\ntable-template: \"t_{route}\"\n"
                + "create-table: {columns: {id: UInt64}, order-by: id, settings: {storage_policy: [hot, cold]}}"))
                .hasMessage("pipes.shop.routing.create-table.settings.storage_policy: expected one value, got a list");
    }

    @Test
    void theSinkTableAndRoutingExcludeEachOther() {
        Map<String, Object> both = new Yaml().load(PIPE.replace("database: shop", "table: shop.orders")
                + "routing: {route-by: topic, tables: {a: t}}");
        assertThatThrownBy(() -> PipeDefinition.parse("pipes.shop", "shop", both, name -> null))
                .hasMessageStartingWith("pipes.shop.sink.table: the pipe's routing names the tables");
        Map<String, Object> named = new Yaml().load(PIPE.replace("database: shop", "error-table-name: errs")
                + "routing: {route-by: topic, tables: {a: t}}");
        assertThatThrownBy(() -> PipeDefinition.parse("pipes.shop", "shop", named, name -> null))
                .hasMessageStartingWith("pipes.shop.sink.error-table-name: a routed pipe has an error table per target");
        Map<String, Object> neither = new Yaml().load(PIPE);
        assertThatThrownBy(() -> PipeDefinition.parse("pipes.shop", "shop", neither, name -> null))
                .hasMessageStartingWith("pipes.shop.sink.table: is required");
    }
}
