package dev.clickpipes.source.objectstore;

import dev.clickpipes.core.Urls;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * S3 event notifications through an SQS queue, as ClickPipes' unordered continuous ingestion
 * reads them: S3 (directly, through SNS, or through EventBridge) sends a message for every object
 * created, and a continuous load in any order takes its new objects from the queue instead of
 * listing the prefix every interval.
 *
 * <pre>{@code
 * ObjectStoreSource source = ObjectStoreSource.builder()
 *     .url("s3://my-bucket/events/**.ndjson")
 *     .continuous(Duration.ofSeconds(30), Ordering.ANY)
 *     .notifications(SqsNotifications.builder()
 *         .queueUrl("https://sqs.eu-west-1.amazonaws.com/123456789012/my-bucket-events")
 *         .build())
 *     .stateStore(transport, "analytics.events_objects")
 *     .build();
 * }</pre>
 *
 * <p>Give the pipe a queue of its own: every message is taken by the pipe, and one for another
 * bucket or a key the URL's glob does not match is deleted. The pipe's credentials need
 * {@code sqs:ReceiveMessage} and {@code sqs:DeleteMessage} on the queue. A message is deleted once
 * its object is loaded; until then it comes back after its visibility timeout (a worker that died
 * leaves it to another). Set a redrive policy on the queue if messages that cannot be parsed should
 * move to a dead-letter queue; the pipe logs them and leaves them.
 *
 * <p>Needs {@code software.amazon.awssdk:sqs} on the class path (an optional dependency of this
 * module).
 */
public final class SqsNotifications implements ObjectNotifications {

    private static final Logger LOG = LoggerFactory.getLogger(SqsNotifications.class);
    /** SQS's most per receive and per delete batch. */
    private static final int BATCH = 10;
    private static final Pattern AWS_QUEUE = Pattern.compile("sqs[.-](?<region>[a-z0-9-]+)\\.amazonaws\\.com(?:\\.cn)?");

    private final Builder config;
    private final SqsQueue queue;

    private SqsNotifications(Builder config, SqsQueue queue) {
        this.config = config;
        this.queue = queue;
    }

    /** A builder; {@link Builder#queueUrl} is required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public List<Notice> receive(Duration maxWait) throws Exception {
        int waitSeconds = (int) Math.min(20, Math.max(0, maxWait.toSeconds()));
        List<Notice> out = new ArrayList<>();
        List<SqsQueue.Message> messages = queue.receive(BATCH, waitSeconds, config.visibilityTimeout);
        // Then without waiting while the queue has more, up to the most a receive takes.
        while (true) {
            for (SqsQueue.Message m : messages) {
                notices(m, out);
            }
            if (messages.size() < BATCH || out.size() >= config.maxMessagesPerReceive) {
                return out;
            }
            messages = queue.receive(BATCH, 0, config.visibilityTimeout);
        }
    }

    private void notices(SqsQueue.Message m, List<Notice> out) {
        List<S3EventMessage.Created> created;
        try {
            created = S3EventMessage.parse(m.body());
        } catch (IOException e) {
            LOG.warn("{}: message {} is not an S3 event ({}); left in the queue (its redrive policy decides)",
                    describe(), m.id(), e.getMessage());
            return;
        }
        if (created.isEmpty()) {
            out.add(new Notice(null, null, m.receiptHandle())); // a test event, a deletion: nothing to load
        }
        for (S3EventMessage.Created c : created) {
            out.add(new Notice(c.bucket(), c.object(), m.receiptHandle()));
        }
    }

    @Override
    public void acknowledge(Collection<Notice> notices) throws Exception {
        List<String> handles = notices.stream().map(Notice::handle).distinct().toList();
        for (int i = 0; i < handles.size(); i += BATCH) {
            int failed = queue.delete(handles.subList(i, Math.min(handles.size(), i + BATCH)));
            if (failed > 0) {
                LOG.warn("{}: {} messages were not deleted; they come back once visible and are acknowledged then",
                        describe(), failed);
            }
        }
    }

    @Override
    public String describe() {
        return "SQS queue " + config.queueUrl;
    }

    @Override
    public void close() {
        queue.close();
    }

    /** Builds {@link SqsNotifications}; every setting is checked at {@link #build()}. */
    public static final class Builder {
        private String queueUrl;
        private ObjectAuth auth = ObjectAuth.defaultChain();
        private String region;
        private String endpoint;
        private Duration visibilityTimeout = Duration.ofMinutes(5);
        private int maxMessagesPerReceive = 1000;

        private Builder() {
        }

        /** The queue, e.g. {@code https://sqs.eu-west-1.amazonaws.com/123456789012/name}. Required. */
        public Builder queueUrl(String value) {
            queueUrl = value;
            return this;
        }

        /** The credentials; default {@link ObjectAuth#defaultChain()}. */
        public Builder auth(ObjectAuth value) {
            auth = value;
            return this;
        }

        /** The AWS region; default the one the queue URL's host names, else us-east-1. */
        public Builder region(String value) {
            region = value;
            return this;
        }

        /** The SQS endpoint; default AWS's for the region (an SQS-compatible server: its URL). */
        public Builder endpoint(String value) {
            endpoint = value;
            return this;
        }

        /**
         * How long a received message stays hidden from other receivers while its object loads
         * (SQS's {@code VisibilityTimeout}, 1 second to 12 hours); default 5 minutes. An object that
         * loads for longer has its message delivered again: it is then found loading or done.
         */
        public Builder visibilityTimeout(Duration value) {
            visibilityTimeout = value;
            return this;
        }

        /** The most messages one poll of the pipe takes from the queue (then it loads them); default 1 000. */
        public Builder maxMessagesPerReceive(int value) {
            maxMessagesPerReceive = value;
            return this;
        }

        /** The notifications; fails with a message naming the first invalid setting. */
        public SqsNotifications build() {
            if (queueUrl == null || queueUrl.isBlank()) {
                throw new IllegalArgumentException("SqsNotifications.queueUrl is not set: e.g. "
                        + "https://sqs.eu-west-1.amazonaws.com/123456789012/my-queue");
            }
            for (String[] url : new String[][] {{"queueUrl", queueUrl}, {"endpoint", endpoint}}) {
                String secret = Urls.secretIn(url[1]);
                if (secret != null) {
                    throw new IllegalArgumentException("SqsNotifications." + url[0] + " '" + Urls.mask(url[1])
                            + "' carries " + secret + "; give the credentials with .auth(...)");
                }
            }
            URI queue;
            URI endpointUri;
            try {
                queue = URI.create(queueUrl.strip());
                endpointUri = endpoint == null ? null : URI.create(endpoint.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("SqsNotifications: queueUrl or endpoint is not a URL: " + e.getMessage());
            }
            if (queue.getHost() == null || queue.getPath() == null || queue.getPath().length() < 2) {
                throw new IllegalArgumentException("SqsNotifications.queueUrl '" + queueUrl
                        + "' names no queue: e.g. https://sqs.eu-west-1.amazonaws.com/123456789012/my-queue");
            }
            if (auth == null) {
                throw new IllegalArgumentException("SqsNotifications.auth is null: e.g. ObjectAuth.defaultChain()");
            }
            if (visibilityTimeout == null || visibilityTimeout.toSeconds() < 1 || visibilityTimeout.toHours() > 12) {
                throw new IllegalArgumentException("SqsNotifications.visibilityTimeout must be 1 second to 12 hours, was "
                        + visibilityTimeout);
            }
            if (maxMessagesPerReceive < 1) {
                throw new IllegalArgumentException("SqsNotifications.maxMessagesPerReceive must be >= 1, was "
                        + maxMessagesPerReceive);
            }
            Matcher aws = AWS_QUEUE.matcher(queue.getHost());
            String r = region != null ? region : aws.matches() ? aws.group("region") : "us-east-1";
            if (endpointUri == null && !aws.matches()) {
                // An SQS-compatible server: its queue URLs name it.
                endpointUri = URI.create(queue.getScheme() + "://" + queue.getRawAuthority());
            }
            try {
                Class.forName("software.amazon.awssdk.services.sqs.SqsClient");
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("SqsNotifications needs software.amazon.awssdk:sqs on the class path;"
                        + " add it as a dependency (the version of the AWS SDK BOM this library uses)");
            }
            return new SqsNotifications(this, new SqsQueue(queueUrl.strip(), endpointUri, r,
                    S3Clients.provider(auth, r)));
        }
    }
}
