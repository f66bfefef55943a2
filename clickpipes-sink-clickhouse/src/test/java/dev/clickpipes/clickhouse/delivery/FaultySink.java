package dev.clickpipes.clickhouse.delivery;

import dev.clickpipes.core.RowBuffer;
import dev.clickpipes.core.spi.ForwardingSink;
import dev.clickpipes.core.spi.Sink;
import dev.clickpipes.core.spi.SinkException;

/**
 * A real sink with one fault in front: at insert number {@code failAt} (1-based) it stops the pipe,
 * either before the insert reaches ClickHouse or right after ClickHouse applied it (an answer
 * lost, a process that died). The same crash points as a killed process, chosen exactly.
 */
final class FaultySink extends ForwardingSink {

    /** Where the fault strikes. */
    enum When { BEFORE_INSERT, AFTER_INSERT }

    private final int failAt;
    private final When when;
    private int inserts;

    FaultySink(Sink real, int failAt, When when) {
        super(real);
        this.failAt = failAt;
        this.when = when;
    }

    @Override
    public void insert(RowBuffer rows, String deduplicationToken) throws SinkException {
        boolean fail = ++inserts == failAt;
        if (fail && when == When.BEFORE_INSERT) {
            throw new SinkException(SinkException.Kind.FATAL, "crash before insert " + inserts, null);
        }
        super.insert(rows, deduplicationToken);
        if (fail) {
            throw new SinkException(SinkException.Kind.FATAL, "crash after insert " + inserts, null);
        }
    }
}
