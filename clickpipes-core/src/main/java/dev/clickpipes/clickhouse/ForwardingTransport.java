package dev.clickpipes.clickhouse;

import java.util.Map;

/**
 * A {@link ClickHouseTransport} that passes every call to another one: extend it and override what
 * a decorator changes (record statements, drop inserts in a benchmark, inject a fault in a test).
 *
 * <p>The three-argument {@code insert} is left to the interface's default, so it reaches the
 * four-argument one a decorator overrides. {@link #close()} closes the delegate; a decorator over
 * a transport it does not own overrides it to do nothing.
 */
public abstract class ForwardingTransport implements ClickHouseTransport {

    private final ClickHouseTransport delegate;

    /** Forwards to {@code delegate}. */
    protected ForwardingTransport(ClickHouseTransport delegate) {
        this.delegate = delegate;
    }

    /** The transport calls go to. */
    protected final ClickHouseTransport delegate() {
        return delegate;
    }

    @Override
    public String query(String sql) throws ClickHouseException {
        return delegate.query(sql);
    }

    @Override
    public void insert(String insertSql, Map<String, String> settings, byte[] body, int length)
            throws ClickHouseException {
        delegate.insert(insertSql, settings, body, length);
    }

    @Override
    public void abortInFlight() {
        delegate.abortInFlight();
    }

    @Override
    public String describe() {
        return delegate.describe();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
