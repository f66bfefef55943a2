package dev.clickpipes.clickhouse.sink;

import dev.clickpipes.clickhouse.ClickHouseException;
import dev.clickpipes.clickhouse.ClickHouseTransport;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A real transport underneath; every statement the sink sends is kept, in order, before it runs. */
final class RecordingTransport implements ClickHouseTransport {

    /** One statement: its SQL and, for an insert, its settings (null for a query). */
    record Statement(String sql, Map<String, String> settings) {
        boolean isInsert() {
            return settings != null;
        }
    }

    private final ClickHouseTransport inner;
    final List<Statement> statements = new CopyOnWriteArrayList<>();

    RecordingTransport(ClickHouseTransport inner) {
        this.inner = inner;
    }

    @Override
    public String query(String sql) throws ClickHouseException {
        statements.add(new Statement(sql, null));
        return inner.query(sql);
    }

    @Override
    public void insert(String insertSql, Map<String, String> settings, byte[] body, int length)
            throws ClickHouseException {
        statements.add(new Statement(insertSql, Map.copyOf(settings)));
        inner.insert(insertSql, settings, body, length);
    }

    @Override
    public void abortInFlight() {
        inner.abortInFlight();
    }

    @Override
    public String describe() {
        return "recording " + inner.describe();
    }

    @Override
    public void close() {
        // the caller closes the inner transport
    }
}
