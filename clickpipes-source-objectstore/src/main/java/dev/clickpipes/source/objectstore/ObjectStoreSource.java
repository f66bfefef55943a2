package dev.clickpipes.source.objectstore;

import dev.clickpipes.clickhouse.ClickHouseTransport;
import dev.clickpipes.core.spi.Decoder;
import dev.clickpipes.core.spi.Source;
import dev.clickpipes.core.spi.SourceContext;
import dev.clickpipes.core.spi.SourceLag;
import dev.clickpipes.core.spi.SourcePosition;
import dev.clickpipes.core.spi.SourceRecord;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Objects of S3, an S3-compatible store, GCS or a local folder, matched by a glob, as records:
 * one per line for NDJSON, CSV and TSV (compressed or not), one per row for Parquet.
 *
 * <pre>{@code
 * ObjectStoreSource source = ObjectStoreSource.builder()
 *     .url("s3://my-bucket/events/2024/**.ndjson.gz")
 *     .auth(ObjectAuth.accessKey(keyId, secret))
 *     .stateStore(transport, "analytics.events_objects")   // resume and share work across workers
 *     .build();
 * Pipe pipe = Pipe.builder().name("events").source(source).decoder(source.decoder())
 *     .sink(ClickHouseSink.builder()...build()).build();
 * pipe.run();   // one-time: returns when every object is loaded
 * }</pre>
 *
 * <p><b>Modes.</b> One-time (the default) lists once, loads every matching object and finishes.
 * Continuous ({@link Builder#continuous}) lists again at an interval: {@link Ordering#LEXICAL}
 * loads only keys after the last one loaded (objects must arrive in key order, as ClickPipes
 * requires); {@link Ordering#ANY} loads every object not loaded yet.
 *
 * <p><b>Progress.</b> A record's position is (object, row); once its batch is in ClickHouse the
 * source records it in the state table (when {@link Builder#stateStore} is set, else in memory): an
 * object is done when its last row is committed; a restarted pipe skips done objects and resumes
 * the others after their last committed row (from the byte offset with a ranged request when the
 * object is not compressed). Progress carries the object's version (ETag, generation): a rewritten
 * object is loaded again, never resumed at its old offset.
 *
 * <p><b>Workers.</b> {@link Builder#coordination} says how workers of one pipe share objects: one
 * worker (the default), a static share by key hash, or leases in a KeeperMap table for any number
 * of workers; {@link Coordination} says what each guarantees.
 *
 * <p><b>Virtual columns:</b> {@code _file} (name), {@code _path} (bucket/key or local path),
 * {@code _size} (bytes), {@code _time} (last modified), {@code _row} (row in the object, from 0).
 */
public final class ObjectStoreSource implements Source {

    private static final Logger LOG = LoggerFactory.getLogger(ObjectStoreSource.class);
    private static final int MAX_RECORDS_PER_POLL = 10_000;
    private static final long MAX_BYTES_PER_POLL = 8L << 20;
    /** The default of {@link Builder#maxRecordBytes}: 10 MB. */
    public static final int DEFAULT_MAX_RECORD_BYTES = 10 << 20;

    /** Which new objects a continuous load takes. */
    public enum Ordering {
        /** Only keys after the last one loaded (lexical order), as ClickPipes' continuous ingestion. */
        LEXICAL,
        /** Every object not loaded yet, in any order (each listing lists the whole prefix). */
        ANY
    }

    /** The settings as they were at build(): a copy, which the builder's later changes do not reach. */
    private final Builder config;
    private final ObjectUrl url;
    private final Glob glob;
    private final ObjectFormat format;
    private final ObjectDecoder decoder;

    private ObjectStore store;
    private ObjectStates states;
    private ObjectScheduler scheduler;
    private ObjectNoticeBook notices;
    private ObjectReaders readers;
    private String pipe;
    private ObjectInfo current;
    private ObjectReader reader;
    private ObjectRecord lookahead;
    /** Where the current object resumed: an empty rest of it is recorded done at this row and offset. */
    private long fromRow;
    private long fromOffset;
    private LeaseRenewal renewal;
    /** What is handed out and not committed, and the empty objects waiting to be recorded done. */
    private final InFlightObjects inFlight = new InFlightObjects();
    private long objectsDone;
    private long objectsStarted;
    private volatile boolean finished;

    private ObjectStoreSource(Builder b, ObjectUrl url, Glob glob, ObjectFormat format, ObjectDecoder decoder) {
        this.config = b;
        this.url = url;
        this.glob = glob;
        this.format = format;
        this.decoder = decoder;
    }

    /** A builder; {@link Builder#url} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The decoder to give the pipe: the format's (JSON for NDJSON, Parquet for Parquet, the one set
     * with {@link Builder#decoder}), which also files objects over the size cap as FILE_TOO_LARGE.
     */
    public Decoder decoder() {
        return decoder;
    }

    /** The format objects are read as. */
    public ObjectFormat format() {
        return format;
    }

    /** Objects loaded to their end by this source so far. */
    public long objectsDone() {
        return objectsDone;
    }

    @Override
    public void open(SourceContext context) throws Exception {
        pipe = context.pipeName();
        store = config.store != null ? config.store : ObjectStores.open(url, config.storeSettings());
        String worker = config.workerId != null ? config.workerId
                : config.coordination.kind() == Coordination.Kind.LEASES ? pipe + "-" + UUID.randomUUID() : pipe;
        // renewal is made below, once the states are open: the readers look it up when they first skip
        readers = new ObjectReaders(store, url, format, config.compression, decoder, config.headerLines,
                config.maxRecordBytes, config.maxObjectSize, () -> renewal.keepAlive(), config.decompressExecutor);
        states = createStates(worker);
        states.open();
        renewal = new LeaseRenewal(new LeaseKeeper(states, config.coordination.lease(), config.leaseRenewal,
                config.maxPollSilence, describe()), describe(), key -> current != null && current.key().equals(key),
                this::stopLoading);
        notices = config.notifications == null ? null : new ObjectNoticeBook(config.notifications, url.bucket(), glob);
        scheduler = new ObjectScheduler(store, glob, states, config.coordination, config.continuous,
                config.ordering == Ordering.LEXICAL, config.reloadRewritten, config.claimBatch, this::busy, notices);
        // List now, so that a wrong URL or key fails the pipe at start with the store's reason.
        scheduler.start();
        LOG.info("{}: {} ({}, {}), {}; {}", describe(), config.continuous == null ? "one-time load"
                : config.notifications != null ? "continuous load (" + config.ordering + ") of what "
                + config.notifications.describe() + " announces"
                : "continuous load every " + config.continuous + " (" + config.ordering + ")", format,
                config.compression, store.describe(), states.describe());
    }

    private ObjectStates createStates(String worker) {
        if (config.coordination.kind() == Coordination.Kind.LEASES) {
            if (config.transport == null) {
                throw new IllegalStateException("ObjectStoreSource: Coordination.leases() keeps its leases in a KeeperMap"
                        + " table: set .stateStore(transport, \"db.table\")");
            }
            return new LeasedObjectStates(config.transport, config.stateTable, pipe, worker, config.coordination.lease());
        }
        return new SingleWorkerStates(config.transport == null ? null
                : new ProgressLog(config.transport, config.stateTable, pipe, worker), config.coordination);
    }

    /** Whether this worker is reading the object or has records of it in flight. */
    private boolean busy(String key) {
        inFlight.flushHanded();
        return (current != null && current.key().equals(key)) || inFlight.holds(key);
    }

    @Override
    public List<? extends SourceRecord> poll(Duration maxWait) throws Exception {
        // sized for a full poll while an object is open: growing it record by record was a few per cent of a Parquet
        // load's pipe thread; an idle poll (no object open, most often none to open) does not allocate 10 000 slots
        List<SourceRecord> out = new ArrayList<>(reader != null ? MAX_RECORDS_PER_POLL : 16);
        long bytes = 0;
        flushEmptyDone();
        while (out.size() < MAX_RECORDS_PER_POLL && bytes < MAX_BYTES_PER_POLL) {
            ObjectRecord r;
            try {
                if (reader == null && !openNext()) {
                    break;
                }
                r = reader.next();
            } catch (IOException | LeaseRenewal.LostWhileReading e) {
                stopReading(e, out);
                continue;
            }
            if (r == null) {
                endObject(out);
                continue;
            }
            if (lookahead != null) {
                bytes += hand(out, lookahead);
            }
            lookahead = r;
            renewal.renewIfDue();
        }
        renewal.renewIfDue();
        if (out.isEmpty() && reader == null) {
            scheduler.idle(maxWait);
        }
        inFlight.flushHanded();
        return out;
    }

    private long hand(List<SourceRecord> out, ObjectRecord r) {
        out.add(r);
        inFlight.hand(current, r.file.info().key(), r.rowNumber());
        return r.length();
    }

    /** The object ended: its last record (held back until now) is marked last, or an empty object is done. */
    private void endObject(List<SourceRecord> out) throws IOException {
        if (lookahead != null) {
            lookahead.markLast();
            hand(out, lookahead);
            inFlight.flushHanded();
            lookahead = null;
        } else {
            inFlight.empty(ObjectPosition.of(current, fromRow, fromOffset, true), current);
        }
        reader.close();
        reader = null;
        current = null;
    }

    /**
     * The current object cannot be read on: it changed since it was listed (what was read of it
     * stays, the scheduler loads its new version from row 0), or this worker lost it during a long
     * resume skip. Any other failure fails the poll.
     */
    private void stopReading(Exception e, List<SourceRecord> out) throws Exception {
        if (e instanceof LeaseRenewal.LostWhileReading) {
            stopLoading(current.key());
            return;
        }
        ObjectChangedException changed = ObjectChangedException.in(e);
        if (changed == null || current == null) {
            throw e;
        }
        LOG.warn("{}: {}; the rows read before stay loaded, and the object is read again from its first row",
                describe(), changed.getMessage());
        if (lookahead != null) {
            hand(out, lookahead); // a row of the version listed before, not its last
            lookahead = null;
        }
        ObjectInfo object = current;
        if (reader != null) {
            reader.close();
            reader = null;
        }
        current = null;
        inFlight.flushHanded();
        if (!inFlight.holds(object.key())) {
            states.release(object.key());
        }
        scheduler.changed(object);
    }

    /** Opens the next object to read; false when there is none for now. */
    private boolean openNext() throws Exception {
        ObjectScheduler.Assignment next = scheduler.next();
        if (next == null) {
            return false;
        }
        ObjectInfo object = next.object();
        ObjectStates.Progress from = next.from();
        current = object;
        fromRow = from.lastRow();
        fromOffset = from.nextOffset();
        objectsStarted++;
        if (from.lastRow() >= 0) {
            LOG.info("{}: resuming {} after row {}", describe(), object.key(), from.lastRow());
        }
        reader = readers.open(object, from);
        return true;
    }

    /** Another worker holds the object now: stop reading it, and forget what of it is in flight. */
    private void stopLoading(String key) throws IOException {
        inFlight.flushHanded();
        ObjectInfo object = inFlight.remove(key);
        if (current != null && current.key().equals(key)) {
            object = current;
            reader.close();
            reader = null;
            lookahead = null;
            current = null;
        }
        inFlight.forget(key);
        if (object != null) {
            scheduler.stopped(object);
        }
    }

    @Override
    public void commit(Collection<SourcePosition> positions) throws Exception {
        inFlight.flushHanded();
        List<ObjectPosition> committed = new ArrayList<>(positions.size());
        for (SourcePosition p : positions) {
            committed.add((ObjectPosition) p);
        }
        Set<String> lost = states.save(committed);
        for (ObjectPosition op : committed) {
            if (lost.contains(op.key())) {
                stopLoading(op.key());
                continue;
            }
            inFlight.committed(op);
            if (op.last()) {
                objectsDone++;
                scheduler.done(op.key(), op.version());
            }
        }
        flushEmptyDone();
        // The pipe commits after each insert, and one poll's records make many inserts: without this
        // the objects of a poll went unrenewed until the next poll, past a short lease.
        renewal.renewIfDue();
    }

    /**
     * Exactly-once: another worker took the object over while this one stalled (the delivery state
     * moved on; the leases say so too at the next renewal): stop loading it, as when a renewal finds
     * it lost.
     */
    @Override
    public boolean partitionLost(String partition) throws Exception {
        inFlight.flushHanded();
        List<String> keys = new ArrayList<>();
        if (current != null && ObjectPosition.partitionOf(current.key(), current.version()).equals(partition)) {
            keys.add(current.key());
        }
        keys.addAll(inFlight.keysIn(partition));
        for (String key : keys) {
            LOG.warn("{}: another worker took {} over while this one stalled; this one stops loading it", describe(), key);
            stopLoading(key);
        }
        return true;
    }

    /** Records empty objects done once nothing handed out before them is uncommitted. */
    private void flushEmptyDone() throws Exception {
        inFlight.flushHanded();
        List<ObjectPosition> done = inFlight.takeEmptyDone();
        if (!done.isEmpty()) {
            Set<String> lost = states.save(done);
            for (ObjectPosition p : done) {
                inFlight.remove(p.key());
                if (!lost.contains(p.key())) {
                    objectsDone++;
                    scheduler.done(p.key(), p.version());
                }
            }
        }
    }

    @Override
    public boolean finished() {
        boolean done = config.continuous == null && scheduler.exhausted() && reader == null && lookahead == null
                && inFlight.noEmptyWaiting();
        if (done && !finished) {
            finished = true;
            LOG.info("{}: one-time load has read every object ({} read by this worker, {} done by it so far, the rest"
                    + " by others or before); the pipe inserts and commits the last batch", describe(), objectsStarted,
                    objectsDone);
        }
        return done;
    }

    /**
     * {@inheritDoc}
     *
     * <p>In {@link SourceLag.Unit#OBJECTS}, under the source's URL: the objects listed and found
     * still to load that no read has started. The listing is looked up {@code claimBatch} objects
     * (default 100) at a time as reading goes on, so a larger backlog shows as that many until the
     * listing's end comes into view; the object being read is not counted.
     */
    @Override
    public SourceLag lag() {
        return scheduler == null ? SourceLag.none()
                : new SourceLag(SourceLag.Unit.OBJECTS, Map.of(config.url, (long) scheduler.pending()));
    }

    @Override
    public Set<String> virtualColumns() {
        return Set.of("_file", "_path", "_size", "_time", "_row");
    }

    @Override
    public String describe() {
        return "objects " + config.url;
    }

    @Override
    public void close() throws Exception {
        try {
            if (reader != null) {
                reader.close();
            }
        } finally {
            reader = null;
            if (renewal != null) {
                renewal.close();
            }
            if (notices != null) {
                notices.close();
            }
            if (states != null) {
                states.close();
            }
            if (store != null && config.store == null) {
                store.close();
            }
        }
    }

    /**
     * Builds an {@link ObjectStoreSource}; every setting is checked at {@link #build()}. Each source built keeps a copy
     * of the settings (the builder is {@code Cloneable} for that; {@code clone()} is not public), so a builder can be
     * changed and built again.
     */
    public static final class Builder implements Cloneable {
        private String url;
        private ObjectAuth auth = ObjectAuth.defaultChain();
        private String endpoint;
        private URI endpointUri;
        private String region;
        private Boolean pathStyle;
        private Boolean checksumsWhenRequired;
        private ObjectFormat format;
        private Compression compression = Compression.AUTO;
        private Executor decompressExecutor;
        private ScheduledExecutorService leaseRenewal;
        private Duration maxPollSilence = LeaseKeeper.DEFAULT_MAX_POLL_SILENCE;
        private Decoder lineDecoder;
        private int headerLines;
        private long maxObjectSize;
        private int maxRecordBytes = DEFAULT_MAX_RECORD_BYTES;
        /** Set by {@link #continuous}, so that a null interval there is refused rather than read as one-time. */
        private boolean continuousMode;
        private Duration continuous;
        private Ordering ordering = Ordering.LEXICAL;
        private ClickHouseTransport transport;
        private String stateTable;
        private String workerId;
        private Coordination coordination = Coordination.singleWorker();
        private boolean reloadRewritten = true;
        private int claimBatch = 100;
        private ObjectStore store;
        private ObjectNotifications notifications;

        private Builder() {
        }

        /**
         * A snapshot for the source being built, so that the builder, reused for another source, does not change it.
         * A shallow copy of every field, a field added later too: each holds an immutable value or a service the
         * sources share (an executor, a transport, a store).
         */
        private Builder snapshot() {
            try {
                return (Builder) clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e); // Builder is Cloneable
            }
        }

        /**
         * What to read, with a glob in the key: {@code s3://bucket/logs/**.ndjson.gz},
         * {@code https://bucket.s3.eu-west-1.amazonaws.com/data/*.parquet}, {@code gs://bucket/x/*.csv},
         * {@code https://storage.googleapis.com/bucket/x/*.csv}, {@code http://127.0.0.1:9000/bucket/x/*}
         * (any S3-compatible endpoint, path-style), {@code https://account.blob.core.windows.net/container/x/*.csv},
         * {@code abfss://container@account.dfs.core.windows.net/x/*.csv} (Azure Blob Storage; with Azure
         * credentials, {@code http://127.0.0.1:10000/account/container/x/*} is Azurite's path-style URL),
         * {@code file:///data/**.parquet}. {@code ?} is one
         * character, {@code *} any run without {@code /}, {@code **} any run, {@code {a,b}} and
         * {@code {1..9}} alternatives. Required.
         */
        public Builder url(String value) {
            url = value;
            return this;
        }

        /** The credentials; default {@link ObjectAuth#defaultChain()}. */
        public Builder auth(ObjectAuth value) {
            auth = value;
            return this;
        }

        /**
         * The store's endpoint, overriding the URL's: an S3-compatible store, a GCS emulator, or an Azure
         * emulator ({@code http://127.0.0.1:10000}: the account goes in the path, as Azurite takes it). Default:
         * the URL's. Without credentials in it: those go in {@link #auth(ObjectAuth)}.
         */
        public Builder endpoint(String value) {
            endpoint = value;
            return this;
        }

        /** The AWS region; default the one the URL's host names, else us-east-1 (following the bucket's region). */
        public Builder region(String value) {
            region = value;
            return this;
        }

        /** Bucket in the path instead of the host name; default: as the URL is written (path-style for custom endpoints). */
        public Builder pathStyle(boolean value) {
            pathStyle = value;
            return this;
        }

        /**
         * Sends checksums only where the S3 API requires them, instead of the SDK's default (on every
         * request that supports them). Default: false for S3, true for GCS's XML API (which needs it).
         */
        public Builder checksumsWhenRequired(boolean value) {
            checksumsWhenRequired = value;
            return this;
        }

        /** The objects' format; default from the URL's extension ({@code .ndjson .jsonl .json .csv .tsv .parquet}). */
        public Builder format(ObjectFormat value) {
            format = value;
            return this;
        }

        /**
         * The compression of text and PROTOBUF_DELIMITED objects; default {@link Compression#AUTO} (from each
         * object's extension). Parquet objects are read as stored: {@link #build()} refuses any other than AUTO or NONE.
         */
        public Builder compression(Compression value) {
            compression = value;
            return this;
        }

        /**
         * A thread the host lends for decompressing: a compressed text object is then decompressed on
         * it, a few chunks ahead of the pipe's thread that decodes its lines, so the two overlap on two
         * cores (for NDJSON.gz about as long as gunzip itself takes is saved). The object being read
         * holds one task on it until its end. A Parquet object's rows are read on it the same way, a
         * few thousand rows ahead (pages decompressed and columns decoded there). Default none: both
         * run on the pipe's thread. Uncompressed text objects do not use it.
         */
        public Builder decompressExecutor(Executor value) {
            decompressExecutor = value;
            return this;
        }

        /**
         * The decoder for the lines of NDJSON, CSV or TSV objects, or the messages of PROTOBUF_DELIMITED
         * ones; default {@code Decoders.json()} for NDJSON and {@code Decoders.csv()} / {@code Decoders.tsv()}
         * for CSV and TSV; PROTOBUF_DELIMITED has none (it is required).
         */
        public Builder decoder(Decoder value) {
            lineDecoder = value;
            return this;
        }

        /** Lines at the start of every NDJSON, CSV or TSV object that are not records (a CSV header: 1); default 0. */
        public Builder headerLines(int value) {
            headerLines = value;
            return this;
        }

        /**
         * Objects larger than this many bytes are not loaded; each becomes one FILE_TOO_LARGE row in the
         * error table. Default 0: no cap (objects are streamed, so size does not bound memory).
         */
        public Builder maxObjectSize(long value) {
            maxObjectSize = value;
            return this;
        }

        /**
         * The longest record (a line; for CSV, up to a newline outside quotes) of a text object, in
         * bytes, after decompression; default {@value ObjectStoreSource#DEFAULT_MAX_RECORD_BYTES} (10 MB),
         * at most 1 GB. A longer record (a line without an end, a decompression bomb) is not buffered:
         * its first 64 KB go to the error table as RECORD_TOO_LARGE with its length and row, and reading
         * resumes after its next newline. This bounds the memory a text object can take.
         */
        public Builder maxRecordBytes(int value) {
            maxRecordBytes = value;
            return this;
        }

        /** Loads every matching object once, then finishes (run() returns). The default. */
        public Builder oneTime() {
            continuousMode = false;
            continuous = null;
            return this;
        }

        /** Keeps loading: lists again every {@code interval} and loads new objects as {@code ordering} says. */
        public Builder continuous(Duration interval, Ordering ordering) {
            continuousMode = true;
            continuous = interval;
            this.ordering = ordering;
            return this;
        }

        /**
         * Keeps progress in {@code table} ({@code db.table}, created if missing) through {@code transport},
         * normally the destination ClickHouse, so that restarts resume: a MergeTree log for a single
         * worker or a static share (any server), a KeeperMap table for {@link Coordination#leases()}
         * (a server with Keeper). Default: in memory (no resume across restarts, one worker).
         */
        public Builder stateStore(ClickHouseTransport transport, String table) {
            this.transport = transport;
            this.stateTable = table;
            return this;
        }

        /**
         * This worker's id in the state table. With {@link Coordination#leases()}, give each live
         * worker its own id and keep it across restarts: a restarted worker with the same id takes
         * its objects back at once, one with a new id waits for the old one's leases to end.
         * Default: the pipe's name (single worker, static share), the pipe's name and a random
         * UUID (leases).
         */
        public Builder workerId(String value) {
            workerId = value;
            return this;
        }

        /**
         * How the workers of this pipe divide the objects: {@link Coordination#singleWorker()}
         * (the default), {@link Coordination#staticShare(int, int)} or {@link Coordination#leases()};
         * see {@link Coordination} for what each guarantees.
         */
        public Builder coordination(Coordination value) {
            coordination = value;
            return this;
        }

        /**
         * Renews this worker's leases ({@link Coordination#leases()}) on the host's scheduler too,
         * every third of the lease, so that an insert (with its retries) or any other stall of the
         * pipe's thread longer than the lease does not let another worker take objects whose rows
         * this one has read and not committed. Without it, leases are renewed only when the pipe's
         * thread polls or commits, so the lease must outlast the longest insert with its retries
         * (and the listeners run after it): a worker silent past it loses its objects to another, which
         * loads them again from their last saved row
         * (at-least-once then writes those rows twice; exactly-once drops them). Background renewals
         * stop while the source is not polled for 5 minutes, so a pipe stuck for good lets its
         * objects go (as Kafka's {@code max.poll.interval.ms}). The library starts no thread of its
         * own: one small scheduler serves every source.
         */
        public Builder leaseRenewal(ScheduledExecutorService scheduler) {
            return leaseRenewal(scheduler, LeaseKeeper.DEFAULT_MAX_POLL_SILENCE);
        }

        /** As {@link #leaseRenewal(ScheduledExecutorService)}, with background renewals stopping after this long unpolled. */
        public Builder leaseRenewal(ScheduledExecutorService scheduler, Duration maxPollSilence) {
            leaseRenewal = scheduler;
            this.maxPollSilence = maxPollSilence;
            return this;
        }

        /**
         * Whether an object rewritten after it was loaded (another ETag or generation under the same
         * key) is loaded again, as a new version; default true. Either way a partly loaded object
         * that changed is never resumed at its old offset: it is read again from its start. In
         * continuous lexical mode only objects after the watermark are listed, so rewrites of
         * objects before it are not seen.
         */
        public Builder reloadRewrittenObjects(boolean value) {
            reloadRewritten = value;
            return this;
        }

        /** How many listed objects are looked up in the state table at once; default 100. */
        public Builder claimBatch(int value) {
            claimBatch = value;
            return this;
        }

        /**
         * Takes new objects from a queue of the bucket's event notifications (S3's through SQS:
         * {@link SqsNotifications}) instead of listing the whole prefix every interval, as
         * ClickPipes' unordered mode does: a poll then costs one request to the queue however many
         * objects were loaded before. Needs {@code continuous(interval, Ordering.ANY)} (the interval
         * is then unused: the pipe waits on the queue) and an S3 or S3-compatible URL. The source
         * still lists once at start, so that objects written before the queue, or while no worker
         * ran, are loaded too. Works with one worker or {@link Coordination#leases()} (a queue hands
         * each message to one worker), not with a static share. The source closes it.
         */
        public Builder notifications(ObjectNotifications value) {
            notifications = value;
            return this;
        }

        /**
         * Reads from this store instead of the one the URL names (another provider, or a store
         * shared by several sources); only the URL's key pattern is used. The source does not close it.
         */
        public Builder store(ObjectStore value) {
            store = value;
            return this;
        }

        /** The source; fails with a message naming the first invalid setting ({@link ObjectStoreSourceChecks}). */
        public ObjectStoreSource build() {
            ObjectStoreSourceChecks.refuseSecrets("url", url);
            ObjectStoreSourceChecks.refuseSecrets("endpoint", endpoint);
            endpointUri = ObjectStoreSourceChecks.endpoint(endpoint);
            ObjectUrl parsed = ObjectStoreSourceChecks.url(url, auth);
            Glob glob = ObjectStoreSourceChecks.glob(parsed);
            ObjectStoreSourceChecks.auth(auth);
            ObjectFormat f = ObjectStoreSourceChecks.format(format, parsed);
            ObjectStoreSourceChecks.formatReads(f, compression, headerLines, lineDecoder);
            ObjectStoreSourceChecks.limits(maxObjectSize, headerLines, claimBatch, maxRecordBytes);
            ObjectStoreSourceChecks.continuous(continuousMode, continuous, ordering);
            ObjectStoreSourceChecks.stateStore(transport, stateTable);
            ObjectStoreSourceChecks.coordination(coordination, transport, leaseRenewal, maxPollSilence);
            ObjectStoreSourceChecks.notifications(notifications, continuous, ordering, coordination, parsed);
            ObjectStoreSourceChecks.workerId(workerId);
            return new ObjectStoreSource(snapshot(), parsed, glob, f,
                    new ObjectDecoder(ObjectDecoderResolution.of(f, lineDecoder)));
        }

        private ObjectStores.Settings storeSettings() {
            return new ObjectStores.Settings(auth, endpointUri, region, pathStyle, checksumsWhenRequired);
        }
    }
}
