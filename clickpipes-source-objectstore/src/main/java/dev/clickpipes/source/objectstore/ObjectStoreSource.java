package dev.clickpipes.source.objectstore;

import dev.clickpipes.clickhouse.ClickHouseTransport;
import dev.clickpipes.core.spi.Decoder;
import dev.clickpipes.core.spi.Source;
import dev.clickpipes.core.spi.SourceContext;
import dev.clickpipes.core.spi.SourcePosition;
import dev.clickpipes.core.spi.SourceRecord;
import dev.clickpipes.format.Decoders;
import dev.clickpipes.source.objectstore.file.LocalObjectStore;
import dev.clickpipes.source.objectstore.s3.S3ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
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
 * object is not compressed). Workers of one pipe claim objects through the same table.
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

    private final Builder config;
    private final ObjectUrl url;
    private final Glob glob;
    private final ObjectFormat format;
    private final ObjectDecoder decoder;

    private ObjectStore store;
    private ProgressStore progress;
    private Iterator<ObjectInfo> listing;
    private Map<String, ProgressStore.Progress> known = Map.of();
    private final Deque<ObjectInfo> queue = new ArrayDeque<>();
    private final Map<String, ProgressStore.Progress> resumeFrom = new HashMap<>();
    private ObjectInfo current;
    private ObjectReader reader;
    private ObjectRecord lookahead;
    private long lastHeartbeat;
    /** Objects with records handed out but not committed: key -> the last row handed out. */
    private final Map<String, Long> outstanding = new HashMap<>();
    /** Empty objects, recorded done once everything handed out before them is committed. */
    private final List<ObjectPosition> emptyDone = new ArrayList<>();
    private String highWater;
    private boolean listedOnce;
    private boolean listingExhausted;
    private long nextListingAt;
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
        store = config.store != null ? config.store : createStore();
        String worker = config.workerId != null ? config.workerId : context.pipeName() + "-" + UUID.randomUUID();
        progress = config.transport == null ? new MemoryProgressStore()
                : new ClickHouseProgressStore(config.transport, config.stateTable, context.pipeName(), worker, config.lease);
        progress.open();
        // List now, so that a wrong URL or key fails the pipe at start with the store's reason.
        startListing();
        LOG.info("{}: {} ({}, {}), {}", describe(), config.continuous == null ? "one-time load"
                : "continuous load every " + config.continuous + " (" + config.ordering + ")", format,
                config.compression, store.describe());
    }

    private ObjectStore createStore() throws IOException {
        switch (url.kind()) {
            case FILE:
                return new LocalObjectStore(Path.of(url.bucket()));
            case GCS:
                if (config.auth.s3Style() || url.endpoint() != null) { // HMAC keys, or an https://storage.googleapis.com URL
                    URI endpoint = config.endpoint != null ? config.endpoint
                            : url.endpoint() != null ? url.endpoint() : URI.create("https://storage.googleapis.com");
                    String region = config.region != null ? config.region : "auto";
                    boolean whenRequired = config.checksumsWhenRequired == null || config.checksumsWhenRequired;
                    return new S3ObjectStore(S3Clients.build(endpoint, region, true, whenRequired, config.auth, true),
                            url.bucket(), "gs", "GCS XML API " + endpoint + " bucket " + url.bucket() + " (" + config.auth + ")");
                }
                return gcsNative();
            case S3:
            default:
                URI endpoint = config.endpoint != null ? config.endpoint : url.endpoint();
                String region = config.region != null ? config.region : url.region() != null ? url.region() : "us-east-1";
                boolean regionKnown = config.region != null || url.region() != null;
                boolean pathStyle = config.pathStyle != null ? config.pathStyle : url.pathStyle();
                boolean whenRequired = config.checksumsWhenRequired != null && config.checksumsWhenRequired;
                String where = endpoint == null ? "S3 " + region : "S3-compatible " + endpoint;
                return new S3ObjectStore(S3Clients.build(endpoint, region, pathStyle, whenRequired, config.auth, regionKnown),
                        url.bucket(), "s3", where + " bucket " + url.bucket() + " (" + config.auth + ")");
        }
    }

    private ObjectStore gcsNative() throws IOException {
        try {
            Class.forName("com.google.cloud.storage.Storage");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("gs:// with " + config.auth + " reads through GCS's JSON API, which needs "
                    + "com.google.cloud:google-cloud-storage on the class path; add it, or use ObjectAuth.hmac(...) "
                    + "to read through GCS's XML API");
        }
        URI endpoint = config.endpoint != null ? config.endpoint : url.endpoint();
        return dev.clickpipes.source.objectstore.gcs.GcsObjectStore.create(url.bucket(), endpoint,
                config.auth.keyFile, config.auth.kind == ObjectAuth.Kind.ANONYMOUS);
    }

    @Override
    public List<? extends SourceRecord> poll(Duration maxWait) throws Exception {
        List<SourceRecord> out = new ArrayList<>();
        long bytes = 0;
        flushEmptyDone();
        while (out.size() < MAX_RECORDS_PER_POLL && bytes < MAX_BYTES_PER_POLL) {
            if (reader == null && !openNext()) {
                break;
            }
            ObjectRecord r = reader.next();
            if (r == null) {
                endObject(out);
                continue;
            }
            if (lookahead != null) {
                bytes += hand(out, lookahead);
            }
            lookahead = r;
        }
        heartbeatIfDue();
        if (out.isEmpty() && reader == null && config.continuous != null) {
            long wait = Math.min(maxWait.toMillis(), Math.max(0, (nextListingAt - System.nanoTime()) / 1_000_000));
            if (wait > 0) {
                Thread.sleep(wait);
            }
        }
        return out;
    }

    private long hand(List<SourceRecord> out, ObjectRecord r) {
        out.add(r);
        outstanding.put(r.position().partition(), r.position().row());
        return r.length();
    }

    /** The object ended: its last record (held back until now) is marked last, or an empty object is done. */
    private void endObject(List<SourceRecord> out) throws IOException {
        String key = current.key();
        if (lookahead != null) {
            lookahead.markLast();
            hand(out, lookahead);
            lookahead = null;
        } else {
            ProgressStore.Progress from = resumeFrom.getOrDefault(key, ProgressStore.Progress.NONE);
            emptyDone.add(new ObjectPosition(key, from.lastRow(), from.nextOffset(), true));
        }
        reader.close();
        reader = null;
        current = null;
    }

    /** Opens the next object to read; false when there is none for now. */
    private boolean openNext() throws Exception {
        ObjectInfo next = nextObject();
        if (next == null) {
            return false;
        }
        current = next;
        objectsStarted++;
        lastHeartbeat = System.nanoTime();
        ProgressStore.Progress from = resumeFrom.getOrDefault(next.key(), ProgressStore.Progress.NONE);
        ObjectFile file = new ObjectFile(next, url.kind() == ObjectUrl.Kind.FILE
                ? Path.of(url.bucket()).resolve(next.key()).toString() : url.bucket() + "/" + next.key(),
                next.key().substring(next.key().lastIndexOf('/') + 1));
        if (config.maxObjectSize > 0 && next.size() > config.maxObjectSize) {
            reader = new SingleRecordReader(new TooLargeRecord(file, config.maxObjectSize));
            return true;
        }
        if (from.lastRow() >= 0) {
            LOG.info("{}: resuming {} after row {}", describe(), next.key(), from.lastRow());
        }
        reader = format == ObjectFormat.PARQUET
                ? new ParquetObjectReader(store, file, from.lastRow() + 1)
                : openLines(file, from);
        return true;
    }

    private ObjectReader openLines(ObjectFile file, ProgressStore.Progress from) throws IOException {
        Compression compression = config.compression.resolve(file.info().key());
        String key = file.info().key();
        if (compression.seekable() && from.lastRow() >= 0 && from.nextOffset() >= 0) {
            InputStream in = store.open(key, from.nextOffset());
            return new LineObjectReader(file, compression.decompress(in), from.lastRow() + 1, from.nextOffset(), -1,
                    config.headerLines, Math.max(0, file.info().size() - from.nextOffset()), decoder.csvRecordEnd(),
                    config.maxRecordBytes);
        }
        InputStream in = compression.decompress(store.open(key, 0));
        return new LineObjectReader(file, in, 0, compression.seekable() ? 0 : -1, from.lastRow(), config.headerLines,
                compression.seekable() ? file.info().size() : -1, decoder.csvRecordEnd(), config.maxRecordBytes);
    }

    /** The next object this worker owns, listing and claiming as needed; null when none for now. */
    private ObjectInfo nextObject() throws Exception {
        while (queue.isEmpty()) {
            if (listing == null || !listing.hasNext()) {
                if (listing != null) {
                    listing = null;
                    listingExhausted = true;
                }
                if (config.continuous == null && listedOnce) {
                    return null;
                }
                if (config.continuous != null && System.nanoTime() < nextListingAt) {
                    return null;
                }
                startListing();
                continue;
            }
            claimSome();
        }
        return queue.poll();
    }

    private void startListing() throws Exception {
        known = progress.load();
        for (Map.Entry<String, ProgressStore.Progress> e : known.entrySet()) {
            if (e.getValue().done() && (highWater == null || e.getKey().compareTo(highWater) > 0)) {
                highWater = e.getKey();
            }
        }
        String startAfter = config.continuous != null && config.ordering == Ordering.LEXICAL ? highWater : null;
        if (startAfter != null && !startAfter.startsWith(glob.prefix()) && startAfter.compareTo(glob.prefix()) < 0) {
            startAfter = null;
        }
        Iterator<ObjectInfo> listed = store.list(glob.prefix(), startAfter);
        Iterator<ObjectInfo> resumed = unfinishedBelow(startAfter);
        listing = concat(resumed, listed);
        listedOnce = true;
        listingExhausted = false;
        if (config.continuous != null) {
            nextListingAt = System.nanoTime() + config.continuous.toNanos();
        }
    }

    /** In lexical mode, objects at or before the high-water mark that were started but not finished. */
    private Iterator<ObjectInfo> unfinishedBelow(String startAfter) throws IOException {
        List<ObjectInfo> out = new ArrayList<>();
        if (startAfter == null) {
            return out.iterator();
        }
        for (Map.Entry<String, ProgressStore.Progress> e : known.entrySet()) {
            if (!e.getValue().done() && e.getKey().compareTo(startAfter) <= 0 && glob.matches(e.getKey())) {
                Iterator<ObjectInfo> one = store.list(e.getKey(), null);
                while (one.hasNext()) {
                    ObjectInfo o = one.next();
                    if (o.key().equals(e.getKey())) {
                        out.add(o);
                    }
                }
            }
        }
        return out.iterator();
    }

    private static Iterator<ObjectInfo> concat(Iterator<ObjectInfo> a, Iterator<ObjectInfo> b) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return a.hasNext() || b.hasNext();
            }

            @Override
            public ObjectInfo next() {
                return a.hasNext() ? a.next() : b.next();
            }
        };
    }

    /** Takes up to claimBatch matching, unfinished objects from the listing and claims them. */
    private void claimSome() throws Exception {
        List<ObjectInfo> candidates = new ArrayList<>();
        Set<String> held = new HashSet<>(outstanding.keySet());
        if (current != null) {
            held.add(current.key());
        }
        while (candidates.size() < config.claimBatch && listing.hasNext()) {
            ObjectInfo o = listing.next();
            if (!glob.matches(o.key()) || held.contains(o.key())) {
                continue;
            }
            ProgressStore.Progress p = known.get(o.key());
            if (p != null && p.done()) {
                continue;
            }
            candidates.add(o);
        }
        if (candidates.isEmpty()) {
            return;
        }
        List<String> keys = new ArrayList<>(candidates.size());
        for (ObjectInfo o : candidates) {
            keys.add(o.key());
        }
        Set<String> won = progress.claim(keys);
        for (ObjectInfo o : candidates) {
            if (won.contains(o.key())) {
                queue.add(o);
                ProgressStore.Progress p = known.get(o.key());
                if (p != null) {
                    resumeFrom.put(o.key(), p);
                }
            }
        }
    }

    private void heartbeatIfDue() throws Exception {
        if (current != null && System.nanoTime() - lastHeartbeat > config.lease.toNanos() / 3) {
            progress.heartbeat(current.key());
            lastHeartbeat = System.nanoTime();
        }
    }

    @Override
    public void commit(Collection<SourcePosition> positions) throws Exception {
        List<ObjectPosition> committed = new ArrayList<>(positions.size());
        for (SourcePosition p : positions) {
            ObjectPosition op = (ObjectPosition) p;
            committed.add(op);
            Long lastHanded = outstanding.get(op.partition());
            if (lastHanded != null && lastHanded == op.row()) {
                outstanding.remove(op.partition());
            }
            if (op.last()) {
                objectsDone++;
            }
            lastHeartbeat = System.nanoTime();
        }
        progress.save(committed);
        flushEmptyDone();
    }

    /** Records empty objects done once nothing handed out before them is uncommitted. */
    private void flushEmptyDone() throws Exception {
        if (!emptyDone.isEmpty() && outstanding.isEmpty()) {
            progress.save(emptyDone);
            objectsDone += emptyDone.size();
            emptyDone.clear();
        }
    }

    @Override
    public boolean finished() {
        boolean done = config.continuous == null && listedOnce && listingExhausted && queue.isEmpty() && reader == null
                && lookahead == null && emptyDone.isEmpty();
        if (done && !finished) {
            finished = true;
            LOG.info("{}: one-time load has read every object it owns ({} read by this worker, {} already done "
                    + "before); the pipe inserts and commits the last batch", describe(), objectsStarted, objectsDone);
        }
        return done;
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
            if (progress != null) {
                progress.close();
            }
            if (store != null && config.store == null) {
                store.close();
            }
        }
    }

    /** Hands out one prepared record. */
    private static final class SingleRecordReader implements ObjectReader {
        private ObjectRecord record;

        SingleRecordReader(ObjectRecord record) {
            this.record = record;
        }

        @Override
        public ObjectRecord next() {
            ObjectRecord r = record;
            record = null;
            return r;
        }

        @Override
        public void close() {
        }
    }

    /** Builds an {@link ObjectStoreSource}; every setting is checked at {@link #build()}. */
    public static final class Builder {
        private String url;
        private ObjectAuth auth = ObjectAuth.defaultChain();
        private URI endpoint;
        private String region;
        private Boolean pathStyle;
        private Boolean checksumsWhenRequired;
        private ObjectFormat format;
        private Compression compression = Compression.AUTO;
        private Decoder lineDecoder;
        private int headerLines;
        private long maxObjectSize;
        private int maxRecordBytes = DEFAULT_MAX_RECORD_BYTES;
        private Duration continuous;
        private Ordering ordering = Ordering.LEXICAL;
        private ClickHouseTransport transport;
        private String stateTable;
        private String workerId;
        private Duration lease = Duration.ofMinutes(2);
        private int claimBatch = 100;
        private ObjectStore store;

        private Builder() {
        }

        /**
         * What to read, with a glob in the key: {@code s3://bucket/logs/**.ndjson.gz},
         * {@code https://bucket.s3.eu-west-1.amazonaws.com/data/*.parquet}, {@code gs://bucket/x/*.csv},
         * {@code https://storage.googleapis.com/bucket/x/*.csv}, {@code http://127.0.0.1:9000/bucket/x/*}
         * (any S3-compatible endpoint, path-style), {@code file:///data/**.parquet}. {@code ?} is one
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

        /** The store's endpoint, overriding the URL's: an S3-compatible store, or a GCS emulator. Default: the URL's. */
        public Builder endpoint(String value) {
            endpoint = value == null ? null : URI.create(value);
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

        /** The objects' compression; default {@link Compression#AUTO} (from each object's extension). */
        public Builder compression(Compression value) {
            compression = value;
            return this;
        }

        /**
         * The decoder for the lines of NDJSON, CSV or TSV objects; default {@code Decoders.json()} for
         * NDJSON and {@code Decoders.csv()} / {@code Decoders.tsv()} for CSV and TSV.
         */
        public Builder decoder(Decoder value) {
            lineDecoder = value;
            return this;
        }

        /** Lines at the start of every text object that are not records (a CSV header: 1); default 0. */
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
            continuous = null;
            return this;
        }

        /** Keeps loading: lists again every {@code interval} and loads new objects as {@code ordering} says. */
        public Builder continuous(Duration interval, Ordering ordering) {
            continuous = interval;
            this.ordering = ordering;
            return this;
        }

        /**
         * Keeps progress in {@code table} ({@code db.table}, created if missing) through {@code transport},
         * normally the destination ClickHouse: restarts resume, workers of one pipe share objects.
         * Default: in memory (no resume across restarts, one worker).
         */
        public Builder stateStore(ClickHouseTransport transport, String table) {
            this.transport = transport;
            this.stateTable = table;
            return this;
        }

        /** This worker's id in the state table; keep it stable across restarts. Default: pipe name + random. */
        public Builder workerId(String value) {
            workerId = value;
            return this;
        }

        /** How long a silent worker keeps its objects before others take them over; default 2 minutes. */
        public Builder lease(Duration value) {
            lease = value;
            return this;
        }

        /** How many objects a worker claims at once; default 100. */
        public Builder claimBatch(int value) {
            claimBatch = value;
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

        /** The source; fails with a message naming the first invalid setting. */
        public ObjectStoreSource build() {
            ObjectUrl parsed = ObjectUrl.parse(url);
            Glob glob;
            try {
                glob = Glob.of(parsed.pattern());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("ObjectStoreSource.url: " + e.getMessage(), e);
            }
            if (auth == null) {
                throw new IllegalArgumentException("ObjectStoreSource.auth is null: e.g. ObjectAuth.anonymous()");
            }
            ObjectFormat f = format != null ? format : ObjectFormat.fromName(parsed.pattern());
            if (f == null) {
                throw new IllegalArgumentException("ObjectStoreSource.format: the URL's pattern '" + parsed.pattern()
                        + "' has no known extension; set .format(ObjectFormat.NDJSON / CSV / TSV / PARQUET)");
            }
            if (maxObjectSize < 0 || headerLines < 0 || claimBatch < 1) {
                throw new IllegalArgumentException("ObjectStoreSource: maxObjectSize, headerLines must be >= 0 and "
                        + "claimBatch >= 1, were " + maxObjectSize + ", " + headerLines + ", " + claimBatch);
            }
            if (maxRecordBytes < 1 || maxRecordBytes > 1 << 30) {
                throw new IllegalArgumentException("ObjectStoreSource.maxRecordBytes must be 1 byte to 1 GB (1073741824), was "
                        + maxRecordBytes);
            }
            if (continuous != null && (continuous.isNegative() || continuous.isZero() || ordering == null)) {
                throw new IllegalArgumentException("ObjectStoreSource.continuous needs a positive interval and an ordering, was "
                        + continuous + ", " + ordering);
            }
            if (transport != null && (stateTable == null || stateTable.isBlank())) {
                throw new IllegalArgumentException("ObjectStoreSource.stateStore: name the table, e.g. \"db.pipe_objects\"");
            }
            if (lease == null || lease.isNegative() || lease.isZero()) {
                throw new IllegalArgumentException("ObjectStoreSource.lease must be positive, was " + lease);
            }
            return new ObjectStoreSource(this, parsed, glob, f, new ObjectDecoder(formatDecoder(f)));
        }

        private Decoder formatDecoder(ObjectFormat f) {
            if (f == ObjectFormat.PARQUET) {
                try {
                    Class<?> c = Class.forName("dev.clickpipes.format.parquet.ParquetDecoder");
                    return (Decoder) c.getMethod("create").invoke(null);
                } catch (ReflectiveOperationException | LinkageError e) {
                    throw new IllegalStateException("reading Parquet needs dev.clickpipes:clickpipes-format-parquet on "
                            + "the class path; add it as a dependency", e);
                }
            }
            if (lineDecoder != null) {
                return lineDecoder;
            }
            return switch (f) {
                case CSV -> Decoders.csv();
                case TSV -> Decoders.tsv();
                default -> Decoders.json();
            };
        }
    }
}
