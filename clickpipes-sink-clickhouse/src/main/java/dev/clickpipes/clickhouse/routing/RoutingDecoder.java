package dev.clickpipes.clickhouse.routing;

import dev.clickpipes.clickhouse.types.Column;
import dev.clickpipes.core.ErrorKind;
import dev.clickpipes.core.RowBuffer;
import dev.clickpipes.core.spi.DecodeException;
import dev.clickpipes.core.spi.Decoder;
import dev.clickpipes.core.spi.SourceRecord;

/**
 * The pipe's decoder under a router: finds the record's target, decodes the record into that
 * target's own buffer (kept beside the pipe's envelope buffer), and writes one envelope row per
 * row it became, so the pipe's row counts and batching hold. A record that fails is rolled back in
 * its target's buffer and thrown on, for the pipe to file; the router remembers which error table
 * it belongs in.
 */
final class RoutingDecoder implements Decoder {

    private final Router router;

    RoutingDecoder(Router router) {
        this.router = router;
    }

    @Override
    public void decode(SourceRecord record, RowBuffer envelope) throws DecodeException {
        RoutedRows routed = router.routed(envelope);
        if (envelope.rows() != routed.envelopeRows) {
            routed.reset(); // the pipe cleared the buffer for its next batch
        }
        String route = router.key.routeOf(record);
        Target target;
        try {
            target = route == null ? null : router.target(route);
        } catch (DecodeException e) {
            router.errorsGoTo(record, null); // a table that cannot be opened, or too many: the fallback table
            throw e;
        }
        if (target == null) {
            router.errorsGoTo(record, null);
            throw new DecodeException(ErrorKind.NO_ROUTE, route == null ? router.noRouteMessage()
                    : router.noTargetMessage(route));
        }
        RoutedRows.Group group = routed.group(target);
        int before = group.rows.rows();
        group.rows.beginRecord(record);
        try {
            decodeInto(target, record, group.rows);
        } catch (DecodeException e) {
            group.rows.rollbackRecord();
            if (e.retryable()) {
                throw e; // the pipe decodes it again later
            }
            router.errorsGoTo(record, target);
            throw new DecodeException(e.kind(), target.decoder.name() + " into " + target.table() + ": "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            group.rows.rollbackRecord();
            router.errorsGoTo(record, target); // the pipe files a decoder's bug as an error too
            throw e;
        }
        int envelopeRows = group.rows.rows() - before;
        try {
            for (int i = envelopeRows; i > 0; i--) {
                envelope.beginRow();
                Column column = envelope.field(Router.ENVELOPE_COLUMN);
                if (column == null) {
                    throw new IllegalStateException("the pipe's buffer has no column " + Router.ENVELOPE_COLUMN
                            + ": give the pipe no field mapping of its own (map fields per target)");
                }
                column.appendString(target.route);
                envelope.endRow();
            }
        } catch (DecodeException | RuntimeException e) {
            group.rows.rollbackRecord(); // the pipe rolls the envelope back and files the record
            router.errorsGoTo(record, target);
            throw e;
        }
        group.records.add(record, envelopeRows);
        routed.envelopeRows = envelope.rows();
    }

    /** Decodes as the pipe would; a table of virtual columns only needs no parsing. */
    static void decodeInto(Target target, SourceRecord record, RowBuffer rows) throws DecodeException {
        if (rows.needsDecoding()) {
            target.decoder.decode(record, rows);
        } else {
            rows.beginRow();
            rows.endRow();
        }
    }

    @Override
    public String name() {
        return "router by " + router.key;
    }
}
