package dev.clickpipes.source.objectstore;

import java.net.URI;
import java.util.Map;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * ElasticMQ 1.6.14, a real SQS-compatible server (the SQS JSON and query protocols), embedded on
 * 127.0.0.1 for one test class. It stands in for SQS; what stands in for S3's notification
 * configuration is the test itself, which sends the event messages S3 documents for each object it
 * writes (S3Proxy emits no notifications).
 */
final class SqsServer implements AutoCloseable {

    private final SQSRestServer server;
    private final int port;
    private final SqsClient client;

    SqsServer(int port) {
        this.port = port;
        server = SQSRestServerBuilder.withInterface("127.0.0.1").withPort(port)
                .withServerAddress(new NodeAddress("http", "127.0.0.1", port, "")).start();
        server.waitUntilStarted();
        client = SqsClient.builder().endpointOverride(URI.create(endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x"))).build();
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** Creates a queue whose messages come back {@code visibilitySeconds} after a receive; returns its URL. */
    String createQueue(String name, int visibilitySeconds) {
        return client.createQueue(r -> r.queueName(name).attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT,
                Integer.toString(visibilitySeconds)))).queueUrl();
    }

    void send(String queueUrl, String body) {
        client.sendMessage(r -> r.queueUrl(queueUrl).messageBody(body));
    }

    /** Messages in the queue, visible or received and not deleted. */
    long messages(String queueUrl) {
        Map<QueueAttributeName, String> a = client.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Long.parseLong(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Long.parseLong(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    /** The body of an S3 event notification for one object created, as S3 sends it to SQS (key URL-encoded). */
    static String s3Event(String bucket, String key, long size, String quotedEtag) {
        return "{\"Records\":[{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\",\"awsRegion\":\"us-east-1\","
                + "\"eventTime\":\"2026-12-02T20:00:00.000Z\",\"eventName\":\"ObjectCreated:Put\",\"s3\":{"
                + "\"s3SchemaVersion\":\"1.0\",\"bucket\":{\"name\":\"" + bucket + "\",\"arn\":\"arn:aws:s3:::" + bucket
                + "\"},\"object\":{\"key\":\"" + java.net.URLEncoder.encode(key, java.nio.charset.StandardCharsets.UTF_8)
                + "\",\"size\":" + size + ",\"eTag\":\"" + quotedEtag.replace("\"", "")
                + "\",\"sequencer\":\"0055AED6DCD90281E5\"}}}]}";
    }

    @Override
    public void close() {
        client.close();
        server.stopAndWait();
    }
}
