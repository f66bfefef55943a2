package dev.clickpipes.source.kinesis;

import dev.clickpipes.core.Urls;
import dev.clickpipes.core.spi.Source;
import dev.clickpipes.core.spi.SourceContext;
import dev.clickpipes.core.spi.SourceLag;
import dev.clickpipes.core.spi.SourcePosition;
import dev.clickpipes.core.spi.SourceRecord;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.arns.Arn;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamSummaryRequest;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.utils.SdkAutoCloseable;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.coordinator.WorkerStateChangeListener;
import software.amazon.kinesis.leases.Lease;

/**
 * Reads an Amazon Kinesis data stream through the Kinesis Client Library 3 (KCL): every worker
 * (pipe) of one application takes a share of the shards through leases in a DynamoDB table, and
 * more workers, in this process or others, is how a pipe scales. There is no shard limit of our own.
 *
 * <pre>{@code
 * KinesisSource.builder()
 *     .stream("orders").region(Region.EU_WEST_1)
 *     .auth(AwsAuth.assumeRole("arn:aws:iam::123456789012:role/clickpipes", externalId))
 *     .startFrom(KinesisStartPosition.trimHorizon())
 *     .build();
 * }</pre>
 *
 * <p>KCL runs its own threads; they hand records to the pipe's thread through a bounded queue, so
 * a slow ClickHouse slows KCL's reading down instead of filling memory. Delivery is at-least-once:
 * a shard is checkpointed only at a record whose insert ClickHouse acknowledged; a shard that ends
 * (split, merge) is checkpointed at its end only once all its records are in, so children start
 * after their parents; a lease taken by another worker is never checkpointed again here.
 *
 * <p>Virtual columns: {@code _key} (partition key), {@code _timestamp} (approximate arrival, for a
 * {@code DateTime64(3)} column), {@code _stream}, {@code _sequence_number}, {@code _shard_id}, and
 * {@code _raw_message} as every source has.
 */
public final class KinesisSource implements Source {

    private static final Logger LOG = LoggerFactory.getLogger(KinesisSource.class);
    private static final Set<String> VIRTUAL_COLUMNS = Set.of(KinesisRecord.KEY, KinesisRecord.TIMESTAMP,
            KinesisRecord.STREAM, KinesisRecord.SEQUENCE_NUMBER, KinesisRecord.SHARD_ID);
    private static final Pattern STREAM_NAME = Pattern.compile("[a-zA-Z0-9_.-]{1,128}");
    private static final Pattern APPLICATION_NAME = Pattern.compile("[a-zA-Z0-9_.-]{3,255}");
    private static final int MAX_POLL_RECORDS = 10_000;
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(30);

    private final String streamName;
    private final Arn streamArn;
    private final Region region;
    private final URI kinesisEndpoint;
    private final URI dynamoDbEndpoint;
    private final URI cloudWatchEndpoint;
    private final URI stsEndpoint;
    private final AwsAuth auth;
    private final KinesisStartPosition startFrom;
    private final Retrieval retrieval;
    private final String applicationName;
    private final String leaseTableName;
    private final String workerId;
    private final int maxQueuedRecords;
    private final long maxQueuedBytes;
    /** The settings only the KCL scheduler takes, and how it is built from them. */
    private final KclSetup kcl;
    private final Duration requestTimeout;

    // Running state.
    private volatile boolean stopping;
    private volatile Throwable failure;
    private SourceContext context;
    private Handoff handoff;
    private AwsCredentialsProvider credentials;
    private KinesisAsyncClient kinesis;
    private DynamoDbAsyncClient dynamoDb;
    private CloudWatchAsyncClient cloudWatch;
    private Scheduler scheduler;
    private Thread schedulerThread;
    private String appName;
    private String tableName;

    private KinesisSource(Builder b) {
        streamArn = b.streamArn == null ? null : Arn.fromString(b.streamArn);
        streamName = streamArn == null ? b.stream : streamArn.resource().resource();
        region = b.region != null ? b.region : Region.of(streamArn.region().orElseThrow());
        kinesisEndpoint = b.endpointOverride;
        dynamoDbEndpoint = b.dynamoDbEndpointOverride;
        cloudWatchEndpoint = b.cloudWatchEndpointOverride;
        stsEndpoint = b.stsEndpointOverride;
        auth = b.auth;
        startFrom = b.startFrom;
        retrieval = b.retrieval;
        applicationName = b.applicationName;
        leaseTableName = b.leaseTableName;
        workerId = b.workerId;
        maxQueuedRecords = b.maxQueuedRecords;
        maxQueuedBytes = b.maxQueuedBytes;
        kcl = new KclSetup(b.kclSettings(), streamArn, streamName);
        requestTimeout = b.requestTimeout;
    }

    /** A builder; a stream ({@link Builder#stream} or {@link Builder#streamArn}) and a region are required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void open(SourceContext ctx) throws Exception {
        context = ctx;
        appName = applicationName != null ? applicationName : "clickpipes-" + ctx.pipeName();
        if (!APPLICATION_NAME.matcher(appName).matches()) {
            throw new IllegalArgumentException("KinesisSource.applicationName '" + appName + "' must be 3-255 of "
                    + "[a-zA-Z0-9_.-] (it names DynamoDB tables); set .applicationName(...)");
        }
        tableName = leaseTableName != null ? leaseTableName : appName;
        String worker = workerId != null ? workerId : defaultWorkerId();
        handoff = new Handoff(maxQueuedRecords, maxQueuedBytes);
        credentials = auth.provider(region, stsEndpoint);
        kinesis = AwsClients.kinesis(region, credentials, kinesisEndpoint);
        dynamoDb = AwsClients.dynamoDb(region, credentials, dynamoDbEndpoint);
        cloudWatch = AwsClients.cloudWatch(region, credentials, cloudWatchEndpoint);
        checkStream();

        scheduler = kcl.scheduler(appName, tableName, worker, kinesis, dynamoDb, cloudWatch, handoff, () -> stopping,
                this::dropLease, new WorkerStateChangeListener() {
                    @Override
                    public void onWorkerStateChange(WorkerState newState) {
                        LOG.debug("{}: KCL worker {}", describe(), newState);
                    }

                    @Override
                    public void onAllInitializationAttemptsFailed(Throwable e) {
                        failure = e;
                    }
                });
        schedulerThread = new Thread(this::runScheduler, "kcl-" + ctx.pipeName());
        schedulerThread.setDaemon(true);
        schedulerThread.start();
        LOG.info("{}: KCL worker {} started (lease table {}, {}, start {})", describe(), worker, tableName, retrieval, startFrom);
    }

    private void runScheduler() {
        try {
            scheduler.run();
        } catch (Throwable t) {
            failure = t;
        }
        if (!stopping && failure == null) {
            failure = new IllegalStateException("the KCL scheduler stopped by itself");
        }
    }

    /**
     * Stops renewing this worker's lease of a shard: KCL shuts its processor down as lease lost, and
     * the shard is taken again (here or elsewhere) from its last checkpoint.
     */
    private void dropLease(String shardId) {
        Scheduler s = scheduler;
        Lease held = s == null ? null : s.leaseCoordinator().getCurrentlyHeldLease(shardId);
        if (held != null) {
            s.leaseCoordinator().dropLease(held);
            LOG.info("{}: dropped the lease of {}", describe(), shardId);
        }
    }

    private static String defaultWorkerId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "worker";
        }
        return host + "-" + UUID.randomUUID();
    }

    /** Fails open() with a clear message when the stream is not there (KCL would only retry and log). */
    private void checkStream() throws Exception {
        DescribeStreamSummaryRequest.Builder request = DescribeStreamSummaryRequest.builder();
        if (streamArn != null) {
            request.streamARN(streamArn.toString());
        } else {
            request.streamName(streamName);
        }
        try {
            kinesis.describeStreamSummary(request.build()).get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ResourceNotFoundException) {
                throw new IllegalStateException("Kinesis stream " + streamName + " does not exist in " + region
                        + (kinesisEndpoint == null ? "" : " at " + Urls.mask(kinesisEndpoint.toString())) + "; check .stream(...) and .region(...)", cause);
            }
            throw new IllegalStateException("cannot describe Kinesis stream " + streamName + " in " + region + ": "
                    + cause.getMessage() + " (check the credentials " + auth + " and the network)", cause);
        } catch (TimeoutException e) {
            throw new IllegalStateException("describing Kinesis stream " + streamName + " in " + region + " took over "
                    + requestTimeout + (kinesisEndpoint == null ? "" : "; is " + Urls.mask(kinesisEndpoint.toString()) + " reachable?"), e);
        }
    }

    @Override
    public List<? extends SourceRecord> poll(Duration maxWait) throws Exception {
        Throwable f = failure;
        if (f != null) {
            throw new IllegalStateException(describe() + ": the KCL worker failed: " + f.getMessage(), f);
        }
        List<KinesisRecord> out = new ArrayList<>();
        Duration wait = maxWait;
        while (out.size() < MAX_POLL_RECORDS) {
            Object head = handoff.peek(wait);
            if (head == null) {
                break;
            }
            if (head instanceof Handoff.Barrier barrier) {
                if (!out.isEmpty()) {
                    break; // the pipe takes the records before the barrier first
                }
                handoff.remove(barrier);
                flushFor(barrier);
                break;
            }
            Handoff.Chunk chunk = (Handoff.Chunk) head;
            handoff.remove(chunk);
            if (!chunk.lease().lost()) {
                out.addAll(chunk.records());
            }
            wait = Duration.ZERO;
        }
        return out;
    }

    /** Inserts and commits everything polled so far (this checkpoints the barrier's shard), then releases its processor. */
    private void flushFor(Handoff.Barrier barrier) throws InterruptedException {
        try {
            context.flush();
            LOG.debug("{}: flushed for the {} of {}", describe(), barrier.reason(), barrier.lease().shardId());
            barrier.done().complete(null);
        } catch (InterruptedException | RuntimeException e) {
            barrier.done().completeExceptionally(e);
            throw e;
        }
    }

    @Override
    public void commit(Collection<SourcePosition> positions) throws Exception {
        for (SourcePosition p : positions) {
            KinesisPosition position = (KinesisPosition) p;
            position.lease.checkpoint(position);
        }
    }

    /**
     * Per shard this worker holds, how far its last fetch was behind the shard's newest record
     * (Kinesis' millisBehindLatest, as KCL hands it to the record processor), in milliseconds.
     */
    @Override
    public SourceLag lag() {
        return handoff == null ? SourceLag.none() : new SourceLag(SourceLag.Unit.MILLISECONDS, handoff.behind());
    }

    @Override
    public Set<String> virtualColumns() {
        return VIRTUAL_COLUMNS;
    }

    @Override
    public String describe() {
        return "kinesis stream " + streamName + " (" + region + (appName == null ? "" : ", application " + appName) + ")";
    }

    /** Records waiting in the hand-off queue (for tests and metrics). */
    int queuedRecords() {
        return handoff == null ? 0 : handoff.queuedRecords();
    }

    /**
     * Stops the KCL worker gracefully: records still queued are dropped (they were never inserted,
     * so never checkpointed, and are read again by the next owner of their shard).
     */
    @Override
    public void close() throws Exception {
        stop(true);
    }

    /** Stops like a crashed process would: no graceful shutdown of KCL; tests use it. */
    void abort() {
        stop(false);
    }

    private void stop(boolean graceful) {
        if (stopping) {
            return;
        }
        stopping = true;
        if (handoff != null) {
            handoff.close();
        }
        if (scheduler != null) {
            if (graceful) {
                try {
                    scheduler.startGracefulShutdown().get(SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Exception e) {
                    LOG.warn("{}: KCL's graceful shutdown did not finish ({}); stopping it", describe(), e.toString());
                }
            }
            scheduler.shutdown();
            try {
                schedulerThread.join(SHUTDOWN_WAIT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeQuietly(kinesis);
        closeQuietly(dynamoDb);
        closeQuietly(cloudWatch);
        if (credentials instanceof SdkAutoCloseable c) {
            closeQuietly(c);
        }
        LOG.info("{}: stopped", describe());
    }

    private static void closeQuietly(SdkAutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (RuntimeException e) {
                LOG.debug("closing {} failed: {}", c, e.toString());
            }
        }
    }

    @Override
    public String toString() {
        return "KinesisSource[" + describe() + ", " + retrieval + ", " + auth + "]";
    }

    /** Builds a {@link KinesisSource}; {@link #build()} checks every setting. */
    public static final class Builder {
        private String stream;
        private String streamArn;
        private Region region;
        private URI endpointOverride;
        private URI dynamoDbEndpointOverride;
        private URI cloudWatchEndpointOverride;
        private URI stsEndpointOverride;
        private AwsAuth auth = AwsAuth.defaultChain();
        private KinesisStartPosition startFrom = KinesisStartPosition.trimHorizon();
        private Retrieval retrieval = Retrieval.POLLING;
        private String applicationName;
        private String leaseTableName;
        private String consumerName;
        private String workerId;
        private int maxQueuedRecords = 20_000;
        private long maxQueuedBytes = 32L << 20;
        private Duration pollInterval = Duration.ofMillis(1500);
        private int maxRecordsPerGet = 10_000;
        private Duration failoverTime = Duration.ofSeconds(10);
        private Duration leaseAssignmentInterval;
        private Duration leaderLockDuration = Duration.ofMinutes(2);
        private Duration leaderLockHeartbeat = Duration.ofSeconds(30);
        private Duration shardSyncInterval = Duration.ofMinutes(1);
        private Duration parentShardPollInterval = Duration.ofSeconds(10);
        private boolean workerMetrics = true;
        private Duration requestTimeout = Duration.ofSeconds(30);

        private Builder() {
        }

        /** The stream's name; or use {@link #streamArn}. */
        public Builder stream(String name) {
            stream = name;
            return this;
        }

        /** The stream's ARN ({@code arn:aws:kinesis:REGION:ACCOUNT:stream/NAME}); sets the region unless {@link #region} does. */
        public Builder streamArn(String arn) {
            streamArn = arn;
            return this;
        }

        /** The AWS region of the stream (and of the lease table). Required unless given by {@link #streamArn}. */
        public Builder region(Region value) {
            region = value;
            return this;
        }

        /** Kinesis's endpoint, for a VPC endpoint or an emulator; default the region's. */
        public Builder endpointOverride(URI value) {
            endpointOverride = value;
            return this;
        }

        /** DynamoDB's endpoint (the lease table); default the region's. */
        public Builder dynamoDbEndpointOverride(URI value) {
            dynamoDbEndpointOverride = value;
            return this;
        }

        /** CloudWatch's endpoint; default the region's (KCL needs a client, but this source sends it no metrics). */
        public Builder cloudWatchEndpointOverride(URI value) {
            cloudWatchEndpointOverride = value;
            return this;
        }

        /** STS's endpoint, used by {@link AwsAuth#assumeRole}; default the region's. */
        public Builder stsEndpointOverride(URI value) {
            stsEndpointOverride = value;
            return this;
        }

        /** How to authenticate; default {@link AwsAuth#defaultChain()}. */
        public Builder auth(AwsAuth value) {
            auth = value;
            return this;
        }

        /** Where a shard without a checkpoint starts; default {@link KinesisStartPosition#trimHorizon()}. */
        public Builder startFrom(KinesisStartPosition value) {
            startFrom = value;
            return this;
        }

        /** Polling or enhanced fan-out; default {@link Retrieval#POLLING}. */
        public Builder retrieval(Retrieval value) {
            retrieval = value;
            return this;
        }

        /**
         * The KCL application: workers with the same name share the shards and the checkpoints.
         * Default {@code clickpipes-<pipe name>}. It names the lease table and KCL's
         * {@code <name>-CoordinatorState} and {@code <name>-WorkerMetricStats} tables.
         */
        public Builder applicationName(String value) {
            applicationName = value;
            return this;
        }

        /** The DynamoDB lease table (created when missing); default the application name. */
        public Builder leaseTableName(String value) {
            leaseTableName = value;
            return this;
        }

        /** The enhanced fan-out consumer's name (registered when missing); default the application name. */
        public Builder consumerName(String value) {
            consumerName = value;
            return this;
        }

        /**
         * This worker's id in the lease table; unique among the application's running workers. Default
         * {@code <host>-<random UUID>}. A stable id lets a restarted worker take its own leases back at
         * once instead of waiting for them to expire ({@link #failoverTime}).
         */
        public Builder workerId(String value) {
            workerId = value;
            return this;
        }

        /** Records KCL's threads may queue for the pipe before they wait; default 20 000. */
        public Builder maxQueuedRecords(int value) {
            maxQueuedRecords = value;
            return this;
        }

        /** Bytes KCL's threads may queue for the pipe before they wait; default 32 MiB. */
        public Builder maxQueuedBytes(long value) {
            maxQueuedBytes = value;
            return this;
        }

        /** Polling: the pause between GetRecords calls on a shard; default 1.5 s (KCL's; at most 5 calls/s/shard are allowed). */
        public Builder pollInterval(Duration value) {
            pollInterval = value;
            return this;
        }

        /** Polling: records per GetRecords call, 1-10 000; default 10 000. */
        public Builder maxRecordsPerGet(int value) {
            maxRecordsPerGet = value;
            return this;
        }

        /** A worker that does not renew its leases for this long loses them to others; default 10 s (KCL's). */
        public Builder failoverTime(Duration value) {
            failoverTime = value;
            return this;
        }

        /** How often the leader assigns leases to workers; default 2 × {@link #failoverTime} (KCL's). */
        public Builder leaseAssignmentInterval(Duration value) {
            leaseAssignmentInterval = value;
            return this;
        }

        /**
         * How long KCL's leader lock lasts without a heartbeat; a new leader (which assigns leases)
         * is elected only after it expires. Default 2 min (KCL's).
         */
        public Builder leaderLockDuration(Duration value) {
            leaderLockDuration = value;
            return this;
        }

        /** How often the leader renews its lock; at most a third of {@link #leaderLockDuration}. Default 30 s (KCL's). */
        public Builder leaderLockHeartbeat(Duration value) {
            leaderLockHeartbeat = value;
            return this;
        }

        /** How often the leader looks for new shards (after a reshard); default 1 min (KCL's). */
        public Builder shardSyncInterval(Duration value) {
            shardSyncInterval = value;
            return this;
        }

        /** How often a child shard checks whether its parents are finished; default 10 s (KCL's). */
        public Builder parentShardPollInterval(Duration value) {
            parentShardPollInterval = value;
            return this;
        }

        /**
         * KCL 3's CPU-based worker metrics, which balance leases by load; finding them probes the
         * platform (ECS/EKS environment, EC2 instance metadata). Off: leases are balanced by count.
         * Default on.
         */
        public Builder workerMetrics(boolean value) {
            workerMetrics = value;
            return this;
        }

        /** How long {@code open()} waits for Kinesis to describe the stream; default 30 s. */
        public Builder requestTimeout(Duration value) {
            requestTimeout = value;
            return this;
        }

        /** The source; fails with a message naming the first missing or invalid setting. */
        public KinesisSource build() {
            if ((stream == null) == (streamArn == null)) {
                throw new IllegalArgumentException("KinesisSource: set exactly one of .stream(name) and .streamArn(arn)"
                        + (stream != null ? ", not both" : ""));
            }
            if (stream != null && !STREAM_NAME.matcher(stream).matches()) {
                throw new IllegalArgumentException("KinesisSource.stream must be 1-128 of [a-zA-Z0-9_.-], was '" + stream + "'");
            }
            if (streamArn != null) {
                Arn arn;
                try {
                    arn = Arn.fromString(streamArn);
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("KinesisSource.streamArn is not an ARN: '" + streamArn
                            + "'; expected arn:aws:kinesis:REGION:ACCOUNT:stream/NAME", e);
                }
                if (!"kinesis".equals(arn.service()) || !"stream".equals(arn.resource().resourceType().orElse(""))
                        || arn.region().isEmpty()) {
                    throw new IllegalArgumentException("KinesisSource.streamArn '" + streamArn
                            + "' is not a Kinesis stream ARN; expected arn:aws:kinesis:REGION:ACCOUNT:stream/NAME");
                }
            }
            if (region == null && streamArn == null) {
                throw new IllegalArgumentException("KinesisSource.region is not set: e.g. .region(Region.US_EAST_1)");
            }
            require(auth, "auth", "e.g. .auth(AwsAuth.defaultChain())");
            noSecrets(endpointOverride, "endpointOverride");
            noSecrets(dynamoDbEndpointOverride, "dynamoDbEndpointOverride");
            noSecrets(cloudWatchEndpointOverride, "cloudWatchEndpointOverride");
            noSecrets(stsEndpointOverride, "stsEndpointOverride");
            require(startFrom, "startFrom", "e.g. .startFrom(KinesisStartPosition.trimHorizon())");
            require(retrieval, "retrieval", "e.g. .retrieval(Retrieval.POLLING)");
            if (applicationName != null && !APPLICATION_NAME.matcher(applicationName).matches()) {
                throw new IllegalArgumentException("KinesisSource.applicationName must be 3-255 of [a-zA-Z0-9_.-], was '"
                        + applicationName + "'");
            }
            if (leaseTableName != null && !APPLICATION_NAME.matcher(leaseTableName).matches()) {
                throw new IllegalArgumentException("KinesisSource.leaseTableName must be 3-255 of [a-zA-Z0-9_.-] (a DynamoDB "
                        + "table name), was '" + leaseTableName + "'");
            }
            if (workerId != null && workerId.isBlank()) {
                throw new IllegalArgumentException("KinesisSource.workerId is blank; leave it unset for a random one");
            }
            if (maxQueuedRecords < 1) {
                throw new IllegalArgumentException("KinesisSource.maxQueuedRecords must be at least 1, was " + maxQueuedRecords);
            }
            if (maxQueuedBytes < 1) {
                throw new IllegalArgumentException("KinesisSource.maxQueuedBytes must be at least 1, was " + maxQueuedBytes);
            }
            if (maxRecordsPerGet < 1 || maxRecordsPerGet > 10_000) {
                throw new IllegalArgumentException("KinesisSource.maxRecordsPerGet must be 1-10000, was " + maxRecordsPerGet);
            }
            positive(pollInterval, "pollInterval");
            positive(failoverTime, "failoverTime");
            if (leaseAssignmentInterval != null) {
                positive(leaseAssignmentInterval, "leaseAssignmentInterval");
            }
            positive(leaderLockDuration, "leaderLockDuration");
            positive(leaderLockHeartbeat, "leaderLockHeartbeat");
            if (leaderLockHeartbeat.multipliedBy(3).compareTo(leaderLockDuration) > 0) {
                throw new IllegalArgumentException("KinesisSource.leaderLockHeartbeat (" + leaderLockHeartbeat
                        + ") must be at most a third of leaderLockDuration (" + leaderLockDuration + ")");
            }
            positive(shardSyncInterval, "shardSyncInterval");
            positive(parentShardPollInterval, "parentShardPollInterval");
            positive(requestTimeout, "requestTimeout");
            return new KinesisSource(this);
        }

        /** The KCL settings as they are now, for KclSetup to keep: the builder's later changes do not reach the source. */
        private KclSetup.Settings kclSettings() {
            return new KclSetup.Settings(startFrom, retrieval, consumerName, pollInterval, maxRecordsPerGet, failoverTime,
                    leaseAssignmentInterval, leaderLockDuration, leaderLockHeartbeat, shardSyncInterval,
                    parentShardPollInterval, workerMetrics);
        }

        /** AWS signs requests from .auth: credentials in an endpoint would only show in logs and messages. */
        private static void noSecrets(URI endpoint, String field) {
            String secret = endpoint == null ? null : Urls.secretIn(endpoint.toString());
            if (secret != null) {
                throw new IllegalArgumentException("KinesisSource." + field + " '" + Urls.mask(endpoint.toString())
                        + "' carries " + secret + "; give scheme://host:port and the credentials with "
                        + ".auth(AwsAuth.staticKeys(id, secret)) or .auth(AwsAuth.assumeRole(arn, externalId))");
            }
        }

        private static void require(Object value, String field, String hint) {
            if (value == null) {
                throw new IllegalArgumentException("KinesisSource." + field + " is null: " + hint);
            }
        }

        private static void positive(Duration value, String field) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("KinesisSource." + field + " must be a positive duration, was " + value);
            }
        }
    }
}
