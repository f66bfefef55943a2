package dev.clickpipes.clickhouse.routing;

import dev.clickpipes.clickhouse.TableSchema;
import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.core.FieldMapping;
import dev.clickpipes.core.RowBuffer;
import dev.clickpipes.core.spi.Decoder;
import java.util.Set;

/**
 * One table a router writes: the route value that names it, its sink (its own table and error
 * table), the decoder and mapping of its records, and its schema as last read.
 */
final class Target {

    final int index;
    final String route;
    final ClickHouseSink sink;
    final Decoder decoder;
    final FieldMapping mapping;
    private final Set<String> virtualColumns;
    /**
     * What the batch's deduplication token gets for this target's inserts: {@code /database.table},
     * plus {@code /route} when another target writes the same table (else the second part would be
     * dropped as a repeat of the first).
     */
    final String tokenSuffix;
    /** Replaced after the table changed under the router; buffers of an older schema are decoded again. */
    volatile TableSchema schema;

    Target(int index, String route, ClickHouseSink sink, Decoder decoder, FieldMapping mapping,
           Set<String> virtualColumns, boolean sharesTable) {
        this.index = index;
        this.route = route;
        this.sink = sink;
        this.decoder = decoder;
        this.mapping = mapping;
        this.virtualColumns = virtualColumns;
        this.tokenSuffix = sink == null ? "" : "/" + sink.table() + (sharesTable ? "/" + route : "");
    }

    /** An empty buffer of the table's current schema. */
    RowBuffer newRows() {
        return new RowBuffer(schema, mapping, virtualColumns);
    }

    /** {@code database.table}, as tokens and messages name it. */
    String table() {
        return sink.table();
    }

    @Override
    public String toString() {
        return "route `" + route + "` -> " + table();
    }
}
