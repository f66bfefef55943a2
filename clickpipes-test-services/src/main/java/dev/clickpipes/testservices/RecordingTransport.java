package dev.clickpipes.testservices;

import dev.clickpipes.clickhouse.ClickHouseException;
import dev.clickpipes.clickhouse.ClickHouseTransport;
import dev.clickpipes.clickhouse.ForwardingTransport;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real transport underneath; every statement sent through it is kept, in order, before it runs
 * (for tests of what a pipe sends: least privilege, insert settings).
 */
public final class RecordingTransport extends ForwardingTransport {

    /** One statement: its SQL and, for an insert, its settings (null for a query). */
    public record Statement(String sql, Map<String, String> settings) {
        /** Whether this statement is an insert. */
        public boolean isInsert() {
            return settings != null;
        }
    }

    private final List<Statement> statements = new CopyOnWriteArrayList<>();

    /** Records what is sent through {@code inner}, which the caller closes. */
    public RecordingTransport(ClickHouseTransport inner) {
        super(inner);
    }

    /** Every statement so far, in the order sent (a live view). */
    public List<Statement> statements() {
        return statements;
    }

    /** The SQL of every statement so far, in the order sent. */
    public List<String> sqls() {
        return statements.stream().map(Statement::sql).toList();
    }

    @Override
    public String query(String sql) throws ClickHouseException {
        statements.add(new Statement(sql, null));
        return super.query(sql);
    }

    @Override
    public void insert(String insertSql, Map<String, String> settings, byte[] body, int length)
            throws ClickHouseException {
        statements.add(new Statement(insertSql, Map.copyOf(settings)));
        super.insert(insertSql, settings, body, length);
    }

    @Override
    public String describe() {
        return "recording " + delegate().describe();
    }

    @Override
    public void close() {
        // the caller closes the inner transport
    }
}
