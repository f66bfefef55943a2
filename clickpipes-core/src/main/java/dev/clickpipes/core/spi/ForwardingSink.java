package dev.clickpipes.core.spi;

import dev.clickpipes.clickhouse.TableSchema;
import dev.clickpipes.core.ErrorRecord;
import dev.clickpipes.core.RowBuffer;
import java.util.List;

/**
 * A {@link Sink} that passes every call to another one: extend it and override what a decorator
 * changes (count inserts, drop them in a benchmark, inject a fault in a test).
 */
public abstract class ForwardingSink implements Sink {

    private final Sink delegate;

    /** Forwards to {@code delegate}. */
    protected ForwardingSink(Sink delegate) {
        this.delegate = delegate;
    }

    /** The sink calls go to. */
    protected final Sink delegate() {
        return delegate;
    }

    @Override
    public TableSchema open(String pipeName) throws SinkException {
        return delegate.open(pipeName);
    }

    /** Forwards the context too, so that the records the delegate files itself are counted. */
    @Override
    public TableSchema open(SinkContext context) throws SinkException {
        return delegate.open(context);
    }

    @Override
    public TableSchema refreshSchema() throws SinkException {
        return delegate.refreshSchema();
    }

    @Override
    public void insert(RowBuffer rows, String deduplicationToken) throws SinkException {
        delegate.insert(rows, deduplicationToken);
    }

    @Override
    public void insertErrors(List<ErrorRecord> errors, String deduplicationToken) throws SinkException {
        delegate.insertErrors(errors, deduplicationToken);
    }

    @Override
    public DeliveryState deliveryState() throws SinkException {
        return delegate.deliveryState();
    }

    @Override
    public void abortInFlight() {
        delegate.abortInFlight();
    }

    @Override
    public String table() {
        return delegate.table();
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
