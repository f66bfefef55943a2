package dev.clickpipes.source.objectstore;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;

/**
 * The two SQS calls {@link SqsNotifications} makes, on the AWS SDK's client: kept apart so that
 * the SDK's classes load only when notifications are used (the dependency is optional).
 */
final class SqsQueue implements AutoCloseable {

    /** A received message: its id, body and the handle that deletes it. */
    record Message(String id, String body, String receiptHandle) {
    }

    private final String queueUrl;
    private final SqsClient client;

    SqsQueue(String queueUrl, URI endpoint, String region, AwsCredentialsProvider credentials) {
        this.queueUrl = queueUrl;
        SqsClientBuilder b = SqsClient.builder().region(Region.of(region)).credentialsProvider(credentials);
        if (endpoint != null) {
            b.endpointOverride(endpoint);
        }
        this.client = b.build();
    }

    /** Up to {@code max} messages, waiting up to {@code waitSeconds} for the first (long polling). */
    List<Message> receive(int max, int waitSeconds, Duration visibility) {
        List<Message> out = new ArrayList<>();
        client.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(max).waitTimeSeconds(waitSeconds)
                        .visibilityTimeout((int) visibility.toSeconds()))
                .messages().forEach(m -> out.add(new Message(m.messageId(), m.body(), m.receiptHandle())));
        return out;
    }

    /** Deletes up to 10 messages by their handles; returns how many the queue did not delete. */
    int delete(List<String> handles) {
        if (handles.isEmpty()) {
            return 0;
        }
        List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < handles.size(); i++) {
            entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i)).receiptHandle(handles.get(i)).build());
        }
        DeleteMessageBatchResponse response = client.deleteMessageBatch(r -> r.queueUrl(queueUrl).entries(entries));
        return response.failed().size();
    }

    @Override
    public void close() {
        client.close();
    }
}
