package dev.clickpipes.source.kinesis;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import software.amazon.awssdk.arns.Arn;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.kinesis.common.ConfigsBuilder;
import software.amazon.kinesis.common.StreamIdentifier;
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

    /**
     * The KCL settings of a {@link KinesisSource.Builder}, as {@link KinesisSource.Builder#build()} checked them.
     *
     * @param startFrom               where a shard without a checkpoint starts
     * @param consumerName            the enhanced fan-out consumer, or null for the application's name
     * @param pollInterval            polling: the pause between GetRecords calls on a shard
     * @param maxRecordsPerGet        polling: records per GetRecords call
     * @param failoverTime            how long a worker's lease outlives its last renewal
     * @param leaseAssignmentInterval how often the leader assigns leases, or null for 2 × failoverTime
     * @param workerMetrics           whether KCL balances leases by the workers' CPU
     */
    record Settings(KinesisStartPosition startFrom, Retrieval retrieval, String consumerName, Duration pollInterval,
            int maxRecordsPerGet, Duration failoverTime, Duration leaseAssignmentInterval, Duration leaderLockDuration,
            Duration leaderLockHeartbeat, Duration shardSyncInterval, Duration parentShardPollInterval,
            boolean workerMetrics) {
    }

    private final Settings settings;
    private final Arn streamArn;
    private final String streamName;

    /** {@code streamArn} and {@code streamName} as the source resolved them, the ARN null when a name was given. */
    KclSetup(Settings settings, Arn streamArn, String streamName) {
        this.settings = settings;
        this.streamArn = streamArn;
        this.streamName = streamName;
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
                ? new SingleStreamTracker(StreamIdentifier.singleStreamInstance(streamArn), settings.startFrom().toKcl())
                : new SingleStreamTracker(streamName, settings.startFrom().toKcl());
        ConfigsBuilder configs = new ConfigsBuilder(tracker, appName, kinesis, dynamoDb, cloudWatch, worker,
                () -> new ShardProcessor(handoff, streamName, stopping, settings.failoverTime().multipliedBy(2), dropLease))
                .tableName(tableName);

        LeaseManagementConfig leases = configs.leaseManagementConfig()
                .failoverTimeMillis(settings.failoverTime().toMillis())
                .leaseAssignmentIntervalMillis(settings.leaseAssignmentInterval() != null
                        ? settings.leaseAssignmentInterval().toMillis() : 2 * settings.failoverTime().toMillis())
                .shardSyncIntervalMillis(settings.shardSyncInterval().toMillis())
                .dynamoDbLockBasedLeaderLeaseDurationInMillis(settings.leaderLockDuration().toMillis())
                .dynamoDbLockBasedLeaderHeartbeatPeriodInMillis(settings.leaderLockHeartbeat().toMillis())
                .initialPositionInStream(settings.startFrom().toKcl());
        leases.workerUtilizationAwareAssignmentConfig().disableWorkerMetrics(!settings.workerMetrics());

        CoordinatorConfig coordinator = configs.coordinatorConfig()
                .parentShardPollIntervalMillis(settings.parentShardPollInterval().toMillis())
                .workerStateChangeListener(listener);

        MetricsConfig metrics = configs.metricsConfig().metricsLevel(MetricsLevel.NONE).metricsFactory(new NullMetricsFactory());
        RetrievalConfig retrievalConfig = configs.retrievalConfig().initialPositionInStreamExtended(settings.startFrom().toKcl());
        if (settings.retrieval() == Retrieval.ENHANCED_FAN_OUT) {
            retrievalConfig.retrievalSpecificConfig(new FanOutConfig(kinesis).streamName(streamName)
                    .applicationName(appName).consumerName(settings.consumerName() != null ? settings.consumerName() : appName));
        } else {
            retrievalConfig.retrievalSpecificConfig(new PollingConfig(streamName, kinesis)
                    .idleTimeBetweenReadsInMillis(settings.pollInterval().toMillis())
                    .maxRecords(settings.maxRecordsPerGet()));
        }
        return new Scheduler(configs.checkpointConfig(), coordinator, leases, configs.lifecycleConfig(), metrics,
                configs.processorConfig(), retrievalConfig);
    }
}
