package dev.clickpipes.source.objectstore;

import dev.clickpipes.clickhouse.ClickHouseTransport;
import dev.clickpipes.core.Urls;
import dev.clickpipes.core.spi.Decoder;
import dev.clickpipes.source.objectstore.ObjectStoreSource.Ordering;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What makes an {@link ObjectStoreSource} configuration valid: the checks
 * {@link ObjectStoreSource.Builder#build()} runs, in its order, each failing with an
 * {@link IllegalArgumentException} that names the setting, its value and the fix. A setting that
 * would be ignored, or fail only at the first object, is refused here, so that a wrong pipe fails
 * when it is built rather than hours into a load.
 */
final class ObjectStoreSourceChecks {

    private ObjectStoreSourceChecks() {
    }

    /**
     * Refuses a URL carrying a password or a signature rather than masking it: the stores take
     * neither from the URL (a presigned URL signs one GET of one object; the source lists and reads
     * the bucket), and a URL shows in logs, describe() and, through the keys, the error table.
     */
    static void refuseSecrets(String setting, String value) {
        // abfss://container@account.dfs.core.windows.net: that '@' follows a container, not a password
        String secret = Urls.secretIn(value == null ? null : value.replaceFirst("^(?i)((?:abfs|wasb)s?://)[^/@:]+@", "$1"));
        if (secret != null) {
            throw new IllegalArgumentException("ObjectStoreSource." + setting + " '" + Urls.mask(value) + "' carries "
                    + secret + (secret.startsWith("credentials") ? "" : ", as a presigned URL does: it signs one GET of"
                    + " one object, while the source lists and reads the bucket")
                    + "; give the " + setting + " without it and the credentials with .auth(ObjectAuth.accessKey(id, secret)),"
                    + " ObjectAuth.hmac(id, secret) for GCS, ObjectAuth.azureSas(token) or ObjectAuth.azureSharedKey(account, key)"
                    + " for Azure, ObjectAuth.assumeRole(arn) or ObjectAuth.defaultChain()");
        }
    }

    /** The endpoint override as a URI, null when none is set. */
    static URI endpoint(String endpoint) {
        try {
            return endpoint == null ? null : URI.create(endpoint.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ObjectStoreSource.endpoint '" + Urls.mask(endpoint)
                    + "' is not a URL: e.g. http://127.0.0.1:9000");
        }
    }

    /**
     * The URL parsed (path-style for Azure credentials, which is how an emulator's URL reads), and
     * refused when the credentials cannot read the store it names.
     */
    static ObjectUrl url(String url, ObjectAuth auth) {
        ObjectUrl parsed = ObjectUrl.parse(url);
        if (auth != null && auth.azure()) {
            parsed = parsed.asAzurePathStyle();
        }
        if (auth != null) {
            ObjectStores.checkAzure(parsed, auth);
        }
        return parsed;
    }

    /** The URL's key pattern as a glob. */
    static Glob glob(ObjectUrl url) {
        try {
            return Glob.of(url.pattern());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ObjectStoreSource.url: " + e.getMessage(), e);
        }
    }

    static void auth(ObjectAuth auth) {
        if (auth == null) {
            throw new IllegalArgumentException("ObjectStoreSource.auth is null: e.g. ObjectAuth.anonymous()");
        }
    }

    /** The format set, else the one the URL's extension names. */
    static ObjectFormat format(ObjectFormat format, ObjectUrl url) {
        ObjectFormat f = format != null ? format : ObjectFormat.fromName(url.pattern());
        if (f == null) {
            throw new IllegalArgumentException("ObjectStoreSource.format: the URL's pattern '" + url.pattern()
                    + "' has no known extension; set .format(ObjectFormat.NDJSON / CSV / TSV / PARQUET)");
        }
        return f;
    }

    /**
     * Refuses what the format's reader would not use: a Parquet object is read as stored (its pages
     * carry their own compression), by the Parquet decoder, and has no lines; a length-delimited one
     * has no lines either. Unrefused, the setting is silently ignored, or (compression) the object
     * fails to read at the first one.
     */
    static void formatReads(ObjectFormat format, Compression compression, int headerLines, Decoder lineDecoder) {
        if (compression == null) {
            throw new IllegalArgumentException("ObjectStoreSource.compression is null: e.g. Compression.AUTO");
        }
        if (format == ObjectFormat.PARQUET && compression != Compression.AUTO && compression != Compression.NONE) {
            throw new IllegalArgumentException("ObjectStoreSource.compression " + compression + " applies to text and"
                    + " PROTOBUF_DELIMITED objects; PARQUET objects are read as stored (their pages carry their own"
                    + " compression): drop it");
        }
        if (format == ObjectFormat.PARQUET && lineDecoder != null) {
            throw new IllegalArgumentException("ObjectStoreSource.decoder is set, and reads the records of text and"
                    + " PROTOBUF_DELIMITED objects; PARQUET rows are read by the Parquet decoder: drop it");
        }
        if (headerLines > 0 && (format == ObjectFormat.PARQUET || format == ObjectFormat.PROTOBUF_DELIMITED)) {
            throw new IllegalArgumentException("ObjectStoreSource.headerLines skips the first lines of NDJSON, CSV and"
                    + " TSV objects; " + format + " objects have none, was " + headerLines + ": drop it");
        }
    }

    static void limits(long maxObjectSize, int headerLines, int claimBatch, int maxRecordBytes) {
        if (maxObjectSize < 0 || headerLines < 0 || claimBatch < 1) {
            throw new IllegalArgumentException("ObjectStoreSource: maxObjectSize, headerLines must be >= 0 and "
                    + "claimBatch >= 1, were " + maxObjectSize + ", " + headerLines + ", " + claimBatch);
        }
        if (maxRecordBytes < 1 || maxRecordBytes > 1 << 30) {
            throw new IllegalArgumentException("ObjectStoreSource.maxRecordBytes must be 1 byte to 1 GB (1073741824), was "
                    + maxRecordBytes);
        }
    }

    /**
     * {@code continuous(interval, ordering)} was called (and not undone by {@code oneTime()}): a null
     * interval would otherwise make it a one-time load that returns once the objects listed are loaded.
     */
    static void continuous(boolean continuous, Duration interval, Ordering ordering) {
        if (continuous && (interval == null || interval.isNegative() || interval.isZero() || ordering == null)) {
            throw new IllegalArgumentException("ObjectStoreSource.continuous needs a positive interval and an ordering, was "
                    + interval + ", " + ordering);
        }
    }

    /** A table without a transport would keep progress in memory: a restart would load everything again. */
    static void stateStore(ClickHouseTransport transport, String table) {
        if (transport != null && (table == null || table.isBlank())) {
            throw new IllegalArgumentException("ObjectStoreSource.stateStore: name the table, e.g. \"db.pipe_objects\"");
        }
        if (transport == null && table != null) {
            throw new IllegalArgumentException("ObjectStoreSource.stateStore: the transport to the table '" + table
                    + "' is null, so progress would stay in memory and a restart would load every object again; give"
                    + " the destination's transport, or drop .stateStore(...) for progress in memory");
        }
    }

    static void coordination(Coordination coordination, ClickHouseTransport transport,
            ScheduledExecutorService leaseRenewal, Duration maxPollSilence) {
        if (coordination == null) {
            throw new IllegalArgumentException("ObjectStoreSource.coordination is null: e.g. Coordination.singleWorker()");
        }
        if (coordination.kind() == Coordination.Kind.LEASES && transport == null) {
            throw new IllegalArgumentException("ObjectStoreSource: Coordination.leases() keeps its leases in a"
                    + " KeeperMap table of the destination: set .stateStore(transport, \"db.table\")");
        }
        if (leaseRenewal != null && coordination.kind() != Coordination.Kind.LEASES) {
            throw new IllegalArgumentException("ObjectStoreSource.leaseRenewal renews leases, and " + coordination
                    + " takes none: drop it, or use Coordination.leases()");
        }
        if (maxPollSilence == null || maxPollSilence.isNegative() || maxPollSilence.isZero()) {
            throw new IllegalArgumentException("ObjectStoreSource.leaseRenewal: the longest poll silence must be"
                    + " positive, not " + maxPollSilence);
        }
    }

    /** Notifications replace the listing of a continuous unordered load of S3, by one worker or under leases. */
    static void notifications(ObjectNotifications notifications, Duration continuous, Ordering ordering,
            Coordination coordination, ObjectUrl url) {
        if (notifications == null) {
            return;
        }
        String why = continuous == null || ordering != Ordering.ANY
                ? "need continuous(interval, Ordering.ANY): lexical order lists only what is after its watermark,"
                + " which already costs what is new, and a one-time load lists once"
                : coordination.kind() == Coordination.Kind.STATIC
                ? "do not work with Coordination.staticShare: the queue hands each message to one worker, whose"
                + " share may not hold the object; use Coordination.leases()"
                : url.kind() != ObjectUrl.Kind.S3
                ? "announce S3 objects (their ETags): use an s3:// or S3-compatible URL, not " + url.kind()
                : null;
        if (why != null) {
            throw new IllegalArgumentException("ObjectStoreSource.notifications (" + notifications.describe() + ") "
                    + why);
        }
    }

    static void workerId(String workerId) {
        if (workerId != null && workerId.isBlank()) {
            throw new IllegalArgumentException("ObjectStoreSource.workerId is blank; leave it unset for the default");
        }
    }
}
