package dev.clickpipes.source.kinesis;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClientBuilder;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClientBuilder;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClientBuilder;
import software.amazon.kinesis.common.KinesisClientUtil;

/** The three AWS clients a KCL worker needs, in one region with one set of credentials; a null endpoint is AWS's. */
final class AwsClients {

    private AwsClients() {
    }

    static KinesisAsyncClient kinesis(Region region, AwsCredentialsProvider credentials, URI endpoint) {
        KinesisAsyncClientBuilder b = KinesisClientUtil.adjustKinesisClientBuilder(KinesisAsyncClient.builder())
                .region(region).credentialsProvider(credentials);
        if (endpoint != null) {
            b.endpointOverride(endpoint);
        }
        return b.build();
    }

    static DynamoDbAsyncClient dynamoDb(Region region, AwsCredentialsProvider credentials, URI endpoint) {
        DynamoDbAsyncClientBuilder b = DynamoDbAsyncClient.builder().region(region).credentialsProvider(credentials);
        if (endpoint != null) {
            b.endpointOverride(endpoint);
        }
        return b.build();
    }

    static CloudWatchAsyncClient cloudWatch(Region region, AwsCredentialsProvider credentials, URI endpoint) {
        // KCL requires one; with metrics off it never sends anything.
        CloudWatchAsyncClientBuilder b = CloudWatchAsyncClient.builder().region(region).credentialsProvider(credentials);
        if (endpoint != null) {
            b.endpointOverride(endpoint);
        }
        return b.build();
    }
}
