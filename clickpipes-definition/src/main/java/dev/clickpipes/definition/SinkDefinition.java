package dev.clickpipes.definition;

import dev.clickpipes.clickhouse.http.InsertCompression;
import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.core.spi.Sink;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/** Reads the {@code sink} section onto {@link ClickHouseSink.Builder} with an endpoint. */
final class SinkDefinition {

    private SinkDefinition() {
    }

    /**
     * The sink's builder, configured; a customizer may still change it (e.g. give a transport
     * instead of the endpoint) before {@code build()}.
     */
    static Supplier<ClickHouseSink.Builder> parse(ConfigNode n) {
        String endpoint = n.string("endpoint");
        String user = n.string("user");
        String password = n.secret("password");
        String database = n.string("database");
        String table = n.string("table");
        Boolean errorTable = n.bool("error-table");
        String errorTableName = n.string("error-table-name");
        Duration ttl = n.duration("error-table-ttl");
        Boolean discard = n.bool("discard-rejected-records");
        Map<String, String> settings = n.map("insert-settings");
        String compression = n.choice("compression");
        List<String> roles = n.list("roles");
        n.refuseUnknownKeys();
        if (Boolean.FALSE.equals(errorTable) && !Boolean.TRUE.equals(discard)) {
            throw new DefinitionException(n.pathOf("error-table"), "false leaves rejected records nowhere: add"
                    + " discard-rejected-records: true to drop them on purpose (an error handler is code)");
        }
        if (Boolean.TRUE.equals(discard) && Boolean.TRUE.equals(errorTable)) {
            throw new DefinitionException(n.pathOf("discard-rejected-records"), "turns the error table off; drop error-table: true");
        }
        return () -> {
            ClickHouseSink.Builder b = ClickHouseSink.builder().endpoint(endpoint).table(table);
            if (user != null || password != null) {
                b.credentials(user == null ? "default" : user, password == null ? "" : password);
            }
            if (database != null) {
                b.database(database);
            }
            if (errorTable != null) {
                b.errorTable(errorTable);
            }
            if (errorTableName != null) {
                b.errorTableName(errorTableName);
            }
            if (ttl != null) {
                b.errorTableTtl(ttl);
            }
            if (Boolean.TRUE.equals(discard)) {
                b.discardRejectedRecords();
            }
            if (settings != null) {
                b.insertSettings(settings);
            }
            if (compression != null) {
                b.compression(InsertCompression.valueOf(compression.toUpperCase(Locale.ROOT)));
            }
            if (roles != null) {
                b.roles(roles.toArray(String[]::new));
            }
            return b;
        };
    }

    /** Builds the sink, reporting what the builder refuses at the sink's path. */
    static Sink build(String path, ClickHouseSink.Builder builder) {
        return Parts.built(path, builder::build).get();
    }
}
