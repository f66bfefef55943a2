package dev.clickpipes.clickhouse.sink;

import dev.clickpipes.clickhouse.ClickHouseException;
import dev.clickpipes.clickhouse.ClickHouseTransport;
import dev.clickpipes.clickhouse.SqlNames;
import dev.clickpipes.clickhouse.types.Column;
import dev.clickpipes.clickhouse.types.Columns;
import dev.clickpipes.clickhouse.types.DataType;
import dev.clickpipes.clickhouse.types.NativeBuffer;
import dev.clickpipes.clickhouse.types.ValueConversionException;
import dev.clickpipes.core.ErrorRecord;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * The error table next to the target: one row per rejected record, with the record's raw bytes,
 * so nothing is lost and everything can be replayed. Created when missing; kept for a TTL.
 *
 * <pre>
 * event_time DateTime, pipe String, source String, position String,
 * error_kind String, message String, raw String
 * ENGINE = MergeTree ORDER BY (pipe, event_time) TTL event_time + INTERVAL 7 DAY
 * </pre>
 */
final class ErrorTable {

    private static final String[][] COLUMNS = {
        {"event_time", "DateTime"}, {"pipe", "String"}, {"source", "String"}, {"position", "String"},
        {"error_kind", "String"}, {"message", "String"}, {"raw", "String"},
    };

    private final ClickHouseTransport transport;
    private final String qualifiedName;
    private final Column[] columns = new Column[COLUMNS.length];
    private final NativeBuffer block = new NativeBuffer();

    ErrorTable(ClickHouseTransport transport, String database, String table) {
        this.transport = transport;
        this.qualifiedName = SqlNames.quote(database) + "." + SqlNames.quote(table);
        for (int i = 0; i < COLUMNS.length; i++) {
            columns[i] = Columns.create(COLUMNS[i][0], DataType.parse(COLUMNS[i][1]), ZoneOffset.UTC);
        }
    }

    /** Creates the table if it does not exist; TTL only where the server has it (19.6 and later). */
    void create(Duration ttl, int serverVersion) throws ClickHouseException {
        StringBuilder ddl = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(qualifiedName).append(" (");
        for (int i = 0; i < COLUMNS.length; i++) {
            ddl.append(i == 0 ? "" : ", ").append(COLUMNS[i][0]).append(' ').append(COLUMNS[i][1]);
        }
        ddl.append(") ENGINE = MergeTree ORDER BY (pipe, event_time)");
        if (serverVersion >= 19006) {
            ddl.append(" TTL event_time + INTERVAL ").append(Math.max(1, ttl.toSeconds())).append(" SECOND");
        }
        if (serverVersion >= 22002) {
            // Error rows carry deduplication tokens too: a batch re-sent after a crash files its
            // rejected records once (exactly-once needs it; ClickHouse Cloud's tables do it anyway).
            ddl.append(" SETTINGS non_replicated_deduplication_window = 1000");
        }
        transport.query(ddl.toString());
    }

    /** Inserts the records in one Native block. */
    synchronized void insert(List<ErrorRecord> errors, Map<String, String> settings) throws ClickHouseException {
        for (Column c : columns) {
            c.clear();
        }
        try {
            for (ErrorRecord e : errors) {
                columns[0].appendLong(e.time().getEpochSecond());
                columns[1].appendString(e.pipe());
                columns[2].appendString(e.source());
                columns[3].appendString(e.position());
                columns[4].appendString(e.kind().name());
                columns[5].appendString(e.message());
                columns[6].appendBytes(e.raw(), 0, e.raw().length);
            }
        } catch (ValueConversionException e) {
            throw new IllegalStateException("error table row cannot be encoded", e); // String and DateTime take these
        }
        List<Column> cols = List.of(columns);
        NativeBlock.encode(cols, errors.size(), block);
        transport.insert(NativeBlock.insertSql(qualifiedName, cols), settings, block.array(), block.size());
    }

    String name() {
        return qualifiedName;
    }
}
