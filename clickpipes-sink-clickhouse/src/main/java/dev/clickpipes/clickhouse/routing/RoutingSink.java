package dev.clickpipes.clickhouse.routing;

import dev.clickpipes.clickhouse.ClickHouseException;
import dev.clickpipes.clickhouse.TableColumn;
import dev.clickpipes.clickhouse.TableSchema;
import dev.clickpipes.core.ErrorKind;
import dev.clickpipes.core.ErrorRecord;
import dev.clickpipes.core.RowBuffer;
import dev.clickpipes.core.spi.DecodeException;
import dev.clickpipes.core.spi.DeliveryState;
import dev.clickpipes.core.spi.Sink;
import dev.clickpipes.core.spi.SinkContext;
import dev.clickpipes.core.spi.SinkException;
import dev.clickpipes.core.spi.SourceRecord;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipe's sink under a router: inserts each target's part of a batch into its table, with the
 * batch's token plus {@code "/" + table}, and returns when all parts are in.
 *
 * <p>What the pipe cannot know, it handles here: a target whose table changed is read again and
 * its part decoded again; a target whose table is gone ({@code UNKNOWN_TABLE}) has its part filed
 * in its error table (or the fallback one) with the reason, and the other tables flow on. Any
 * other failure goes to the pipe (which retries, or splits the batch to find a bad record); the
 * parts already in are remembered, so the batch's next attempt (or its halves) does not insert
 * them twice, deduplicating table or not. The records it files itself it reports to the pipe
 * ({@link SinkContext#filed}), which counts them as error rows and not as rows written.
 */
final class RoutingSink implements Sink {

    private static final Logger LOG = LoggerFactory.getLogger(RoutingSink.class);
    /** Reads of a changed table, per part, before the failure goes to the pipe to wait on. */
    private static final int SCHEMA_ROUNDS = 3;
    private static final TableSchema ENVELOPE = new TableSchema("", "_router",
            List.of(TableColumn.of(Router.ENVELOPE_COLUMN, "String")), ZoneOffset.UTC);

    private final Router router;
    /**
     * Records of the batch in flight already in their table (or filed) though the insert as a whole
     * failed. By identity and weakly: a batch holds its records until it is done, then they go.
     */
    private final Set<SourceRecord> delivered = Collections.newSetFromMap(Collections.synchronizedMap(new WeakHashMap<>()));
    private String pipeName;
    private SinkContext context;
    /** Set when the pipe asked for exactly-once state: targets added later are checked for deduplication too. */
    private volatile boolean exactlyOnce;

    RoutingSink(Router router) {
        this.router = router;
    }

    /** Opens the router outside a pipe (a test, a tool): the records it files are reported to no one. */
    @Override
    public TableSchema open(String pipeName) throws SinkException {
        return open(new SinkContext() {
            @Override
            public String pipeName() {
                return pipeName;
            }

            @Override
            public void filed(List<ErrorRecord> errors, int rows) {
            }
        });
    }

    @Override
    public TableSchema open(SinkContext context) throws SinkException {
        this.context = context;
        this.pipeName = context.pipeName();
        for (Target t : router.targets.all()) {
            t.schema = t.sink.open(pipeName);
        }
        router.fallback.open();
        router.targets.openWith(this::openAdded);
        return ENVELOPE;
    }

    /** Opens a target the router added for a new route; with exactly-once, its tables must deduplicate too. */
    private void openAdded(Target target) throws SinkException {
        target.schema = target.sink.open(pipeName);
        if (exactlyOnce) {
            target.sink.deliveryState().close();
        }
    }

    @Override
    public TableSchema refreshSchema() {
        return ENVELOPE; // the targets' tables are read again in insert()
    }

    @Override
    public void insert(RowBuffer envelope, String deduplicationToken) throws SinkException {
        List<List<RoutedRows.Group>> byTarget = groupsByTarget(envelope);
        List<SourceRecord> inserted = new ArrayList<>();
        try {
            for (List<RoutedRows.Group> groups : byTarget) {
                if (groups.isEmpty()) {
                    continue;
                }
                Target target = groups.get(0).target;
                RecordRows records = new RecordRows();
                boolean anyDelivered = !delivered.isEmpty(); // mostly empty: no lookup per record then
                for (RoutedRows.Group g : groups) {
                    for (int i = 0; i < g.records.size(); i++) {
                        if (!anyDelivered || !delivered.contains(g.records.record(i))) {
                            records.addFrom(g.records, i);
                        }
                    }
                }
                if (records.isEmpty()) {
                    continue; // in since an earlier attempt of this batch
                }
                insertPart(target, asDecoded(groups, records.size()), records, deduplicationToken);
                inserted.addAll(records.records());
            }
        } catch (SinkException | RuntimeException e) {
            delivered.addAll(inserted); // the pipe sends these records again: they are in already
            throw e;
        } finally {
            router.forgetErrorRoutes(inserted);
        }
    }

    /** The groups of every block of the envelope, per target in the targets' order. */
    private List<List<RoutedRows.Group>> groupsByTarget(RowBuffer envelope) {
        List<List<RoutedRows.Group>> byTarget = new ArrayList<>();
        for (int i = 0; i < router.targets.all().size(); i++) {
            byTarget.add(new ArrayList<>(1));
        }
        for (RowBuffer block : envelope.blocks()) {
            RoutedRows routed = router.existing(block);
            if (routed == null) {
                if (block.rows() > 0) {
                    throw new IllegalStateException("rows that " + router.decoder().name() + " did not decode:"
                            + " give the pipe the router's decoder and sink together");
                }
                continue;
            }
            for (RoutedRows.Group g : routed.groups()) {
                byTarget.get(g.target.index).add(g);
            }
        }
        return byTarget;
    }

    /**
     * The groups' buffers as they were decoded (one block each, in order), or null when they do not
     * hold exactly these records in the table's current schema (some records are in already, or
     * the table changed): then the records are decoded again.
     */
    private static List<RowBuffer> asDecoded(List<RoutedRows.Group> groups, int records) {
        List<RowBuffer> blocks = new ArrayList<>(groups.size());
        int held = 0;
        for (RoutedRows.Group g : groups) {
            if (g.rows.schema() != g.target.schema) {
                return null;
            }
            held += g.records.size();
            if (g.rows.rows() > 0) {
                blocks.add(g.rows);
            }
        }
        return held == records ? blocks : null;
    }

    /**
     * Inserts one target's rows ({@code blocks}, or null to decode {@code records} afresh), reading
     * a changed table again; a table that is gone gets its records filed.
     */
    private void insertPart(Target target, List<RowBuffer> blocks, RecordRows records, String batchToken)
            throws SinkException {
        String token = batchToken + target.tokenSuffix;
        if (blocks == null) {
            blocks = List.of(encode(target, records, batchToken));
        }
        for (int round = 1; ; round++) {
            if (blocks.stream().mapToInt(RowBuffer::rows).sum() == 0) {
                return;
            }
            try {
                target.sink.insert(blocks, token);
                return;
            } catch (SinkException e) {
                if (isGone(e)) {
                    fileGone(target, records, e, token);
                    return;
                }
                if (e.kind() == SinkException.Kind.SCHEMA && round < SCHEMA_ROUNDS) {
                    TableSchema fresh = target.sink.refreshSchema();
                    if (!fresh.equals(target.schema)) {
                        LOG.info("pipe {}: {} changed ({}); decoding its part again", pipeName, target.table(),
                                e.getMessage());
                        target.schema = fresh;
                        blocks = List.of(encode(target, records, batchToken));
                        continue;
                    }
                }
                if (e.kind() != SinkException.Kind.RETRYABLE && e.kind() != SinkException.Kind.FATAL) {
                    for (int i = 0; i < records.size(); i++) {
                        router.errorsGoTo(records.record(i), target); // the pipe may split the batch and file one of these
                    }
                }
                throw new SinkException(e.kind(), target.table() + ": " + e.getMessage(), e);
            }
        }
    }

    /** UNKNOWN_TABLE or UNKNOWN_DATABASE: the table was dropped under the pipe. */
    private static boolean isGone(SinkException e) {
        return e instanceof ClickHouseException ce && (ce.code() == 60 || ce.code() == 81);
    }

    /**
     * Decodes the records into a fresh buffer of the target's current schema. One that fails now
     * (its table changed under it) is filed in the target's error table at once, and remembered
     * as done, so that every record has exactly one outcome: one filed by an earlier round of
     * this part is skipped.
     */
    private RowBuffer encode(Target target, RecordRows records, String batchToken) throws SinkException {
        RowBuffer rows = target.newRows();
        List<ErrorRecord> failed = new ArrayList<>();
        List<SourceRecord> failedRecords = new ArrayList<>();
        int failedRows = 0;
        for (int i = 0; i < records.size(); i++) {
            SourceRecord r = records.record(i);
            if (delivered.contains(r)) {
                continue;
            }
            rows.beginRecord(r);
            try {
                RoutingDecoder.decodeInto(target, r, rows);
            } catch (DecodeException | RuntimeException e) {
                rows.rollbackRecord();
                ErrorKind kind = e instanceof DecodeException de ? de.kind() : ErrorKind.DATA_PARSING_ERROR;
                failed.add(error(r, kind, target.decoder.name() + " into " + target.table() + ": " + e.getMessage()));
                failedRecords.add(r);
                failedRows += records.rows(i);
            }
        }
        if (!failed.isEmpty()) {
            fileAt(target, failed, batchToken + target.tokenSuffix + "/redecoded-errors");
            delivered.addAll(failedRecords); // should this part's insert fail now, a retry must not file them again
            context.filed(failed, failedRows);
        }
        return rows;
    }

    /** Files the records of a target whose table is gone, but those {@link #encode} filed already. */
    private void fileGone(Target target, RecordRows records, SinkException e, String token)
            throws SinkException {
        List<ErrorRecord> errors = new ArrayList<>(records.size());
        int rows = 0;
        for (int i = 0; i < records.size(); i++) {
            SourceRecord r = records.record(i);
            if (!delivered.contains(r)) {
                errors.add(error(r, ErrorKind.INSERT_ERROR, "table " + target.table() + " does not exist (dropped?): "
                        + e.getMessage()));
                rows += records.rows(i);
            }
        }
        if (errors.isEmpty()) {
            return;
        }
        LOG.warn("pipe {}: {} is gone ({}); filing its {} records in its error table", pipeName, target.table(),
                e.getMessage(), errors.size());
        fileAt(target, errors, token + "/errors");
        context.filed(errors, rows);
    }

    /** Files errors in the target's error table, or in the fallback one when the target has none or it is gone too. */
    private void fileAt(Target target, List<ErrorRecord> errors, String token) throws SinkException {
        if (target != null && target.sink.errorTableName() != null) {
            try {
                target.sink.insertErrors(errors, token);
                return;
            } catch (SinkException e) {
                if (!isGone(e)) {
                    throw e;
                }
                LOG.warn("pipe {}: the error table of {} is gone too; filing in {}", pipeName, target.table(),
                        router.fallback.qualifiedName());
            }
        }
        router.fallback.insert(errors, token);
    }

    private ErrorRecord error(SourceRecord r, ErrorKind kind, String message) {
        byte[] raw = Arrays.copyOfRange(r.data(), r.offset(), r.offset() + r.length());
        return new ErrorRecord(Instant.now(), pipeName, r.position().partition(), String.valueOf(r.position()), kind,
                message, raw);
    }

    @Override
    public void insertErrors(List<ErrorRecord> errors, String deduplicationToken) throws SinkException {
        Map<Target, List<ErrorRecord>> byTarget = new LinkedHashMap<>();
        List<ErrorRecord> unrouted = new ArrayList<>();
        for (ErrorRecord e : errors) {
            Target t = router.takeErrorRoute(e.position());
            (t == null ? unrouted : byTarget.computeIfAbsent(t, k -> new ArrayList<>())).add(e);
        }
        for (Map.Entry<Target, List<ErrorRecord>> e : byTarget.entrySet()) {
            fileAt(e.getKey(), e.getValue(), deduplicationToken + e.getKey().tokenSuffix);
        }
        if (!unrouted.isEmpty()) {
            router.fallback.insert(unrouted, deduplicationToken + "/" + router.fallback.qualifiedName());
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Every target (and its error table) and the fallback error table must deduplicate; the
     * state is kept in the first target's database.
     */
    @Override
    public DeliveryState deliveryState() throws SinkException {
        DeliveryState state = null;
        try {
            for (Target t : router.targets.all()) {
                DeliveryState s = t.sink.deliveryState(); // checks the table and its error table
                if (state == null) {
                    state = s;
                } else {
                    s.close();
                }
            }
            router.fallback.requireDeduplication();
            exactlyOnce = true;
        } catch (SinkException | RuntimeException e) {
            if (state != null) {
                state.close();
            }
            throw e;
        }
        return state;
    }

    @Override
    public void abortInFlight() {
        for (Target t : router.targets.all()) {
            t.sink.abortInFlight();
        }
    }

    @Override
    public String describe() {
        return "router by " + router.key + " to " + router.targets.all().stream().map(Target::table).toList();
    }

    @Override
    public void close() {
        for (Target t : router.targets.all()) {
            t.sink.close();
        }
        for (AutoCloseable c : router.closeWithSink) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("pipe {}: closing {}: {}", pipeName, c, e.toString());
            }
        }
    }
}
