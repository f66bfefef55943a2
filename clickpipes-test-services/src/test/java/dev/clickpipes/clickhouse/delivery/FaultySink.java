package dev.clickpipes.clickhouse.delivery;

import dev.clickpipes.clickhouse.TableSchema;
import dev.clickpipes.core.ErrorRecord;
import dev.clickpipes.core.RowBuffer;
import dev.clickpipes.core.spi.DeliveryState;
import dev.clickpipes.core.spi.Sink;
import dev.clickpipes.core.spi.SinkException;
import java.util.List;

/**
 * A real sink with one fault in front: at insert number {@code failAt} (1-based) it stops the pipe,
 * either before the insert reaches ClickHouse or right after ClickHouse applied it (an answer
 * lost, a process that died). The same crash points as a killed process, chosen exactly.
 */
final class FaultySink implements Sink {

    enum When { BEFORE_INSERT, AFTER_INSERT }

    private final Sink real;
    private final int failAt;
    private final When when;
    private int inserts;

    FaultySink(Sink real, int failAt, When when) {
        this.real = real;
        this.failAt = failAt;
        this.when = when;
    }

    @Override
    public TableSchema open(String pipeName) throws SinkException {
        return real.open(pipeName);
    }

    @Override
    public TableSchema refreshSchema() throws SinkException {
        return real.refreshSchema();
    }

    @Override
    public void insert(RowBuffer rows, String deduplicationToken) throws SinkException {
        boolean fail = ++inserts == failAt;
        if (fail && when == When.BEFORE_INSERT) {
            throw new SinkException(SinkException.Kind.FATAL, "crash before insert " + inserts, null);
        }
        real.insert(rows, deduplicationToken);
        if (fail) {
            throw new SinkException(SinkException.Kind.FATAL, "crash after insert " + inserts, null);
        }
    }

    @Override
    public void insertErrors(List<ErrorRecord> errors, String deduplicationToken) throws SinkException {
        real.insertErrors(errors, deduplicationToken);
    }

    @Override
    public DeliveryState deliveryState() throws SinkException {
        return real.deliveryState();
    }

    @Override
    public String describe() {
        return real.describe();
    }

    @Override
    public void close() {
        real.close();
    }
}
