package dev.clickpipes.source.kinesis;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import software.amazon.awssdk.arns.Arn;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.kinesis.common.ConfigsBuilder;
import software.amazon.kinesis.coordinator.CoordinatorConfig;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.coordinator.WorkerStateChangeListener;
import software.amazon.kinesis.leases.LeaseManagementConfig;
import software.amazon.kinesis.metrics.MetricsConfig;
import software.amazon.kinesis.metrics.MetricsLevel;
import software.amazon.kinesis.metrics.NullMetricsFactory;
import software.amazon.kinesis.processor.SingleStreamTracker;
import software.amazon.kinesis.retrieval.RetrievalConfig;
import software.amazon.kinesis.retrieval.fanout.FanOutConfig;
import software.amazon.kinesis.retrieval.polling.PollingConfig;

/**
 * How a {@link KinesisSource}'s KCL settings become a KCL {@link Scheduler}: the stream tracker, the
 * {@link ConfigsBuilder} and the lease, coordinator, metrics and retrieval configs. The source runs
 * the scheduler and owns everything the scheduler calls back into (the hand-off, the failure).
 */
final class KclSetup {

    private final Arn streamArn;
    private final String streamName;
    private final KinesisStartPosition startFrom;
    private final Retrieval retrieval;
    private final String consumerName;
    private final Duration pollInterval;
    private final int maxRecordsPerGet;
    private final Duration failoverTime;
    private final Duration leaseAssignmentInterval;
    private final Duration leaderLockDuration;
    private final Duration leaderLockHeartbeat;
    private final Duration shardSyncInterval;
    private final Duration parentShardPollInterval;
    private final boolean workerMetrics;

    /**
     * The KCL settings of {@code settings}, copied (a builder may change after it built the source);
     * {@code streamArn} and {@code streamName} as the source resolved them, the ARN null when a name was given.
     */
    KclSetup(KinesisSource.Builder settings, Arn streamArn, String streamName) {
        this.streamArn = streamArn;
        this.streamName = streamName;
        this.startFrom = settings.startFrom();
        this.retrieval = settings.retrieval();
        this.consumerName = settings.consumerName();
        this.pollInterval = settings.pollInterval();
        this.maxRecordsPerGet = settings.maxRecordsPerGet();
        this.failoverTime = settings.failoverTime();
        this.leaseAssignmentInterval = settings.leaseAssignmentInterval();
        this.leaderLockDuration = settings.leaderLockDuration();
        this.leaderLockHeartbeat = settings.leaderLockHeartbeat();
        this.shardSyncInterval = settings.shardSyncInterval();
        this.parentShardPollInterval = settings.parentShardPollInterval();
        this.workerMetrics = settings.workerMetrics();
    }

    /**
     * A scheduler for worker {@code worker} of application {@code appName}, not started. Each shard's
     * processor hands its records to {@code handoff}; {@code dropLease} and {@code stopping} are the
     * source's, as is {@code listener}, which hears of KCL's worker state and of its giving up.
     */
    Scheduler scheduler(String appName, String tableName, String worker, KinesisAsyncClient kinesis,
            DynamoDbAsyncClient dynamoDb, CloudWatchAsyncClient cloudWatch, Handoff handoff, BooleanSupplier stopping,
            Consumer<String> dropLease, WorkerStateChangeListener listener) {
        SingleStreamTracker tracker = streamArn != null
                ? new SingleStreamTracker(software.amazon.kinesis.common.StreamIdentifier.singleStreamInstance(streamArn), startFrom.toKcl())
                : new SingleStreamTracker(streamName, startFrom.toKcl());
        ConfigsBuilder configs = new ConfigsBuilder(tracker, appName, kinesis, dynamoDb, cloudWatch, worker,
                () -> new ShardProcessor(handoff, streamName, stopping, failoverTime.multipliedBy(2), dropLease))
                .tableName(tableName);

        LeaseManagementConfig leases = configs.leaseManagementConfig()
                .failoverTimeMillis(failoverTime.toMillis())
                .leaseAssignmentIntervalMillis(leaseAssignmentInterval != null
                        ? leaseAssignmentInterval.toMillis() : 2 * failoverTime.toMillis())
                .shardSyncIntervalMillis(shardSyncInterval.toMillis())
                .dynamoDbLockBasedLeaderLeaseDurationInMillis(leaderLockDuration.toMillis())
                .dynamoDbLockBasedLeaderHeartbeatPeriodInMillis(leaderLockHeartbeat.toMillis())
                .initialPositionInStream(startFrom.toKcl());
        leases.workerUtilizationAwareAssignmentConfig().disableWorkerMetrics(!workerMetrics);

        CoordinatorConfig coordinator = configs.coordinatorConfig()
                .parentShardPollIntervalMillis(parentShardPollInterval.toMillis())
                .workerStateChangeListener(listener);

        MetricsConfig metrics = configs.metricsConfig().metricsLevel(MetricsLevel.NONE).metricsFactory(new NullMetricsFactory());
        RetrievalConfig retrievalConfig = configs.retrievalConfig().initialPositionInStreamExtended(startFrom.toKcl());
        if (retrieval == Retrieval.ENHANCED_FAN_OUT) {
            retrievalConfig.retrievalSpecificConfig(new FanOutConfig(kinesis).streamName(streamName)
                    .applicationName(appName).consumerName(consumerName != null ? consumerName : appName));
        } else {
            retrievalConfig.retrievalSpecificConfig(new PollingConfig(streamName, kinesis)
                    .idleTimeBetweenReadsInMillis(pollInterval.toMillis())
                    .maxRecords(maxRecordsPerGet));
        }
        return new Scheduler(configs.checkpointConfig(), coordinator, leases, configs.lifecycleConfig(), metrics,
                configs.processorConfig(), retrievalConfig);
    }
}
