package dev.clickpipes.definition;

import dev.clickpipes.clickhouse.ddl.TableDefinition;
import java.util.Map;

/** Reads a {@code create-table} section onto {@link TableDefinition#builder()}. */
final class TableDefinitionSection {

    private TableDefinitionSection() {
    }

    /** The definition, or null when the section is absent; a type the parser refuses fails at its column's key. */
    static TableDefinition parse(ConfigNode n) {
        if (n == null) {
            return null;
        }
        Map<String, String> columns = n.map("columns");
        String orderBy = n.string("order-by");
        String engine = n.string("engine");
        String partitionBy = n.string("partition-by");
        String ttl = n.string("ttl");
        Map<String, String> settings = n.map("settings");
        n.refuseUnknownKeys();
        TableDefinition.Builder b = TableDefinition.builder();
        for (Map.Entry<String, String> c : columns.entrySet()) {
            String column = n.pathOf("columns") + "." + c.getKey();
            Parts.built(column, () -> b.column(c.getKey(), c.getValue())).get();
        }
        b.orderBy(orderBy);
        if (engine != null) {
            b.engine(engine);
        }
        if (partitionBy != null) {
            b.partitionBy(partitionBy);
        }
        if (ttl != null) {
            b.ttl(ttl);
        }
        if (settings != null) {
            for (Map.Entry<String, String> s : settings.entrySet()) {
                // a nested section arrives flattened to `a.b`, which the name check refuses here, at its key
                String setting = n.pathOf("settings") + "." + s.getKey();
                Parts.built(setting, () -> b.setting(s.getKey(), s.getValue())).get();
            }
        }
        return Parts.built(n.path(), b::build).get();
    }
}
