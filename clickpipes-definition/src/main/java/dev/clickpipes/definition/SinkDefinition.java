package dev.clickpipes.definition;

import dev.clickpipes.clickhouse.ClickHouseTransport;
import dev.clickpipes.clickhouse.http.HttpTransport;
import dev.clickpipes.clickhouse.http.InsertCompression;
import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.core.spi.Sink;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code sink} section, read: onto {@link ClickHouseSink.Builder} with an endpoint (one table),
 * or, for a routed pipe, onto one builder per target over a transport the targets share.
 */
final class SinkDefinition {

    private final String path;
    private final String endpoint;
    private final String user;
    private final String password;
    private final String database;
    private final String table;
    private final Boolean errorTable;
    private final String errorTableName;
    private final Duration ttl;
    private final Boolean discard;
    private final Map<String, String> settings;
    private final String compression;
    private final Boolean sortByTableKey;
    private final List<String> roles;

    private SinkDefinition(ConfigNode n, boolean routed) {
        path = n.path();
        endpoint = n.string("endpoint");
        user = n.string("user");
        password = n.secret("password");
        database = n.string("database");
        table = n.string("table");
        errorTable = n.bool("error-table");
        errorTableName = n.string("error-table-name");
        ttl = n.duration("error-table-ttl");
        discard = n.bool("discard-rejected-records");
        settings = n.map("insert-settings");
        compression = n.choice("compression");
        sortByTableKey = n.bool("sort-by-table-key");
        roles = n.list("roles");
        n.refuseUnknownKeys();
        if (Boolean.FALSE.equals(errorTable) && !Boolean.TRUE.equals(discard)) {
            throw new DefinitionException(n.pathOf("error-table"), "false leaves rejected records nowhere: add"
                    + " discard-rejected-records: true to drop them on purpose (an error handler is code)");
        }
        if (Boolean.TRUE.equals(discard) && Boolean.TRUE.equals(errorTable)) {
            throw new DefinitionException(n.pathOf("discard-rejected-records"), "turns the error table off; drop error-table: true");
        }
        if (!routed && table == null) {
            throw new DefinitionException(n.pathOf("table"), "is required: The target table, `db.table` or `table`"
                    + " (or give the pipe a routing section, which names the tables)");
        }
        if (routed && table != null) {
            throw new DefinitionException(n.pathOf("table"), "the pipe's routing names the tables: drop sink.table"
                    + " (or the routing section)");
        }
        if (routed && errorTableName != null) {
            throw new DefinitionException(n.pathOf("error-table-name"), "a routed pipe has an error table per target:"
                    + " name them with routing.error-table-name (e.g. \"{table}_errors\")");
        }
    }

    /** Reads the section; {@code routed} when the pipe has a {@code routing} section (then there is no {@code table}). */
    static SinkDefinition parse(ConfigNode n, boolean routed) {
        return new SinkDefinition(n, routed);
    }

    /** The section's path, for messages. */
    String path() {
        return path;
    }

    /** The database of a table named without one. */
    String database() {
        return database == null ? "default" : database;
    }

    /** The one table's builder over an endpoint the sink owns; a customizer may still change it before {@code build()}. */
    ClickHouseSink.Builder builder() {
        ClickHouseSink.Builder b = ClickHouseSink.builder().endpoint(endpoint).table(table);
        if (user != null || password != null) {
            b.credentials(user == null ? "default" : user, password == null ? "" : password);
        }
        if (compression != null) {
            b.compression(InsertCompression.valueOf(compression.toUpperCase(Locale.ROOT)));
        }
        if (roles != null) {
            b.roles(roles.toArray(String[]::new));
        }
        return common(b);
    }

    /** A target's builder over a shared transport ({@link #transport()}), the table and error table given. */
    ClickHouseSink.Builder builderOn(ClickHouseTransport transport, String targetTable, String targetErrorTable) {
        ClickHouseSink.Builder b = common(ClickHouseSink.builder().transport(transport).table(targetTable));
        if (targetErrorTable != null) {
            b.errorTableName(targetErrorTable);
        }
        return b;
    }

    /** The HTTP transport of the section's endpoint, user, roles and compression; whoever asks closes it. */
    HttpTransport transport() {
        return Parts.built(path, () -> {
            HttpTransport.Builder b = HttpTransport.builder().endpoint(endpoint)
                    .credentials(user == null ? "default" : user, password == null ? "" : password).database(database());
            if (roles != null) {
                b.roles(roles.toArray(String[]::new));
            }
            if (compression != null) {
                b.compression(InsertCompression.valueOf(compression.toUpperCase(Locale.ROOT)));
            }
            return b.build();
        }).get();
    }

    /** What every builder of this section gets, however it reaches the server. */
    private ClickHouseSink.Builder common(ClickHouseSink.Builder b) {
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
        if (sortByTableKey != null) {
            b.sortByTableKey(sortByTableKey);
        }
        return b;
    }

    /** Builds the sink, reporting what the builder refuses at the sink's path. */
    static Sink build(String path, ClickHouseSink.Builder builder) {
        return Parts.built(path, builder::build).get();
    }
}
