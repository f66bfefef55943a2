package dev.clickpipes.source.kafka;

import dev.clickpipes.core.Urls;
import dev.clickpipes.core.spi.Source;
import dev.clickpipes.core.spi.SourceContext;
import dev.clickpipes.core.spi.SourceLag;
import dev.clickpipes.core.spi.SourcePosition;
import dev.clickpipes.core.spi.SourceRecord;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteBufferDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads Kafka topics, from Apache Kafka or any broker that speaks its protocol (Confluent Cloud,
 * Redpanda, Amazon MSK, Azure Event Hubs, Upstash, WarpStream), as one member of a consumer group.
 * Several pipes (threads or processes) with the same group share the partitions.
 *
 * <p>Delivery is at-least-once: auto-commit is off, and a partition's offset is committed, on the
 * pipe's thread, only after ClickHouse acknowledged the insert holding its records. When a rebalance
 * takes partitions away, the pipe first inserts and commits its open batch, so the next owner
 * resumes right after it. A worker that dies mid-batch leaves its records uncommitted: the next
 * owner reads them again.
 *
 * <p>Virtual columns: {@code _key}, {@code _timestamp} (the record's timestamp; DateTime64(3)),
 * {@code _partition}, {@code _offset}, {@code _topic}, {@code _header_keys}, {@code _header_values}
 * (Array(String)), and {@code _raw_message}.
 *
 * <pre>{@code
 * KafkaSource source = KafkaSource.builder()
 *     .bootstrapServers("broker1:9092,broker2:9092")
 *     .topics("orders")
 *     .startFrom(StartPosition.earliest())
 *     .security(Security.saslSsl(Sasl.scramSha512("user", secret), Tls.system()))
 *     .build();
 * }</pre>
 *
 * <p>One instance serves one pipe, once: build one per pipe (a builder may build many).
 */
public final class KafkaSource implements Source {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaSource.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    /** Properties this source owns: setting them through {@link Builder#property} would break delivery. */
    private static final Map<String, String> RESERVED = Map.of(
            "enable.auto.commit", "offsets are committed after the insert; auto-commit would lose records",
            "key.deserializer", "the source reads raw bytes; the pipe's decoder parses them",
            "value.deserializer", "the source reads raw bytes; the pipe's decoder parses them",
            "bootstrap.servers", "use .bootstrapServers(...)",
            "group.id", "use .groupId(...)",
            "auto.offset.reset", "use .startFrom(...)",
            "isolation.level", "use .readCommitted(...)",
            "security.protocol", "use .security(...)");

    private final String bootstrapServers;
    private final List<String> topics;
    private final Pattern topicPattern;
    private final String groupId;
    private final StartPosition start;
    private final boolean readCommitted;
    private final Security security;
    private final Map<String, Object> properties;
    private final Duration commitTimeout;

    private KafkaConsumer<byte[], ByteBuffer> consumer;
    private OffsetCommitter committer;
    private RebalanceHandler rebalance;
    private String group;
    private String described;
    private final Map<TopicPartition, String> partitionNames = new HashMap<>();

    private KafkaSource(Builder b) {
        this.bootstrapServers = b.bootstrapServers;
        this.topics = b.topics;
        this.topicPattern = b.topicPattern;
        this.groupId = b.groupId;
        this.start = b.start;
        this.readCommitted = b.readCommitted;
        this.security = b.security;
        this.properties = Collections.unmodifiableMap(new LinkedHashMap<>(b.properties));
        this.commitTimeout = b.commitTimeout;
        this.described = describe(groupId);
    }

    /** A builder; {@code bootstrapServers} and {@code topics} (or {@code topicPattern}) are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The consumer properties for a pipe named {@code pipeName}; secrets included, so never log this map. */
    Map<String, Object> consumerProperties(String pipeName) {
        Map<String, Object> p = new HashMap<>(properties);
        p.put("bootstrap.servers", bootstrapServers);
        p.put("group.id", groupId != null ? groupId : defaultGroupId(pipeName));
        p.put("enable.auto.commit", "false");
        p.put("auto.offset.reset", start.autoOffsetReset());
        p.put("isolation.level", readCommitted ? "read_committed" : "read_uncommitted");
        p.putIfAbsent("client.id", "clickpipes-" + pipeName);
        // the operating system's socket buffer, which Linux grows with the traffic, not kafka-clients' fixed 64 KB: in
        // one KafkaBenchmark run, alternating, the pipe's worker thread took 15-25% less CPU for the same messages
        p.putIfAbsent("receive.buffer.bytes", -1);
        security.configure(p);
        return p;
    }

    /** The group a pipe joins when none is set: {@code clickpipes-<pipe name>}. */
    public static String defaultGroupId(String pipeName) {
        return "clickpipes-" + pipeName;
    }

    @Override
    public void open(SourceContext context) throws KafkaSourceException {
        if (consumer != null) {
            throw new IllegalStateException(described + " is already open; build one KafkaSource per pipe");
        }
        Map<String, Object> props = consumerProperties(context.pipeName());
        group = (String) props.get("group.id");
        described = describe(group);
        try {
            consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteBufferDeserializer());
        } catch (KafkaException e) {
            throw new KafkaSourceException(described + ": cannot create the Kafka consumer: " + messageOf(e), e);
        }
        committer = new OffsetCommitter(consumer, described);
        rebalance = new RebalanceHandler(consumer, committer, context, start, commitTimeout, described);
        if (topicPattern != null) {
            consumer.subscribe(topicPattern, rebalance);
        } else {
            consumer.subscribe(topics, rebalance);
        }
        LOG.info("{}: subscribed ({}, start {}, {})", described, security, start,
                readCommitted ? "read_committed" : "read_uncommitted");
    }

    @Override
    public List<? extends SourceRecord> poll(Duration maxWait) throws Exception {
        ConsumerRecords<byte[], ByteBuffer> polled;
        try {
            committer.retryDue(commitTimeout);
            polled = consumer.poll(maxWait);
        } catch (InterruptException e) {
            Thread.interrupted(); // handed over as the checked exception the pipe expects
            InterruptedException ie = new InterruptedException("interrupted while polling " + described);
            ie.initCause(e);
            throw ie;
        } catch (SslAuthenticationException e) {
            throw new KafkaSourceException(described + ": the TLS handshake failed (" + messageOf(e) + "); check the "
                    + "broker's CA (Tls.caPem), the client certificate, and that the port is a TLS listener", e);
        } catch (AuthenticationException e) {
            throw new KafkaSourceException(described + ": authentication failed for " + identity() + " ("
                    + messageOf(e) + "); check the user name, password and SASL mechanism", e);
        } catch (AuthorizationException e) {
            throw new KafkaSourceException(described + ": " + identity() + " is not authorized (" + messageOf(e)
                    + "); grant it READ on the topics and the consumer group " + group, e);
        } catch (KafkaException e) {
            RuntimeException fromPipe = rebalance.takeFailure();
            throw fromPipe != null ? fromPipe : e;
        }
        if (polled.isEmpty()) {
            return List.of();
        }
        List<KafkaRecord> out = new ArrayList<>(polled.count());
        for (TopicPartition tp : polled.partitions()) {
            String name = partitionNames.computeIfAbsent(tp, TopicPartition::toString);
            for (ConsumerRecord<byte[], ByteBuffer> r : polled.records(tp)) {
                out.add(new KafkaRecord(r, tp, name));
            }
        }
        return out;
    }

    @Override
    public void commit(Collection<SourcePosition> positions) {
        committer.add(positions);
        committer.commitPending(commitTimeout);
    }

    /**
     * Records not read yet per assigned partition: the log end offset the consumer's last fetch
     * learned minus its position ({@code KafkaConsumer.currentLag}, no request to the broker). A
     * partition not fetched yet is absent. This is the lag of what the pipe read, not of what it
     * committed: records read and still in a batch are not counted.
     */
    @Override
    public SourceLag lag() {
        if (consumer == null) {
            return SourceLag.none();
        }
        Map<String, Long> lags = new HashMap<>();
        for (TopicPartition tp : consumer.assignment()) {
            OptionalLong lag = consumer.currentLag(tp);
            if (lag.isPresent()) {
                lags.put(partitionNames.computeIfAbsent(tp, TopicPartition::toString), lag.getAsLong());
            }
        }
        return new SourceLag(SourceLag.Unit.RECORDS, lags);
    }

    @Override
    public Set<String> virtualColumns() {
        return KafkaRecord.VIRTUAL_COLUMNS;
    }

    @Override
    public String describe() {
        return described;
    }

    /**
     * Commits what ClickHouse acknowledged and not yet committed, then leaves the group; partitions
     * it held go to the other members.
     */
    @Override
    public void close() {
        if (consumer == null) {
            return;
        }
        rebalance.closing();
        try {
            if (committer.hasPending()) {
                committer.commitPending(CLOSE_TIMEOUT);
            }
        } catch (RuntimeException e) {
            LOG.warn("{}: last commit failed: {}", described, e.toString());
        }
        try {
            consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
        } catch (InterruptException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("{}: closed", described);
    }

    private String identity() {
        return security.sasl() != null ? security.sasl().toString()
                : security.tls() != null && security.tls().hasClientCertificate() ? "the client certificate"
                : "an anonymous client";
    }

    private String describe(String group) {
        return "kafka[" + bootstrapServers + " " + (topicPattern != null ? "pattern " + topicPattern.pattern()
                : String.join(",", topics)) + (group == null ? "" : " group " + group) + "]";
    }

    private static String messageOf(Throwable e) {
        String m = e.getMessage();
        Throwable c = e.getCause();
        return c != null && c.getMessage() != null && !c.getMessage().equals(m) ? m + ": " + c.getMessage() : m;
    }

    @Override
    public String toString() {
        return described;
    }

    /** Builds a {@link KafkaSource}; settings are checked at {@link #build()}. May build several sources. */
    public static final class Builder {
        private String bootstrapServers;
        private List<String> topics = List.of();
        private Pattern topicPattern;
        private String groupId;
        private StartPosition start = StartPosition.EARLIEST;
        private boolean readCommitted;
        private Security security = Security.plaintext();
        private Sasl sasl;
        private Tls tls;
        private final Map<String, Object> properties = new LinkedHashMap<>();
        private Duration commitTimeout = Duration.ofSeconds(60);

        private Builder() {
        }

        /** The brokers to bootstrap from, {@code host:port} comma-separated ({@code "b1:9092,b2:9092"}). Required. */
        public Builder bootstrapServers(String value) {
            bootstrapServers = value;
            return this;
        }

        /** The topics to read. Required unless {@link #topicPattern} is set. */
        public Builder topics(String... names) {
            topics = List.of(names);
            return this;
        }

        /** The topics to read. Required unless {@link #topicPattern} is set. */
        public Builder topics(Collection<String> names) {
            topics = List.copyOf(names);
            return this;
        }

        /**
         * Reads every topic whose name matches, including topics created later (found within
         * {@code metadata.max.age.ms}, default 5 minutes). Instead of {@link #topics}.
         */
        public Builder topicPattern(Pattern value) {
            topicPattern = value;
            return this;
        }

        /** The consumer group; default {@code clickpipes-<pipe name>}. Pipes with one group share the partitions. */
        public Builder groupId(String value) {
            groupId = value;
            return this;
        }

        /** Where a partition without a committed offset starts; default {@link StartPosition#earliest()}. */
        public Builder startFrom(StartPosition value) {
            start = value;
            return this;
        }

        /**
         * Reads only committed transactional records ({@code isolation.level=read_committed}); default
         * false, every record as soon as it is written.
         */
        public Builder readCommitted(boolean value) {
            readCommitted = value;
            return this;
        }

        /** The security protocol and its settings; default {@link Security#plaintext()}. */
        public Builder security(Security value) {
            security = value;
            sasl = null;
            tls = null;
            return this;
        }

        /** SASL authentication: {@code SASL_SSL} with {@link #tls}, else {@code SASL_PLAINTEXT}. */
        public Builder sasl(Sasl value) {
            sasl = value;
            security = Security.of(sasl, tls);
            return this;
        }

        /** TLS: {@code SASL_SSL} with {@link #sasl}, else {@code SSL}. */
        public Builder tls(Tls value) {
            tls = value;
            security = Security.of(sasl, tls);
            return this;
        }

        /**
         * Any other consumer property, passed to kafka-clients as is (e.g. {@code max.poll.records},
         * {@code fetch.max.bytes}, {@code client.rack}, {@code session.timeout.ms}). Settings the
         * source owns are refused with the builder method to use instead. Two differ from kafka-clients'
         * defaults unless set here: {@code client.id} ({@code clickpipes-<pipe name>}) and
         * {@code receive.buffer.bytes} ({@code -1}, the operating system's socket buffer, instead of 64 KB).
         */
        public Builder property(String key, Object value) {
            Objects.requireNonNull(key, "KafkaSource.property: key is null");
            String owned = RESERVED.get(key);
            if (owned != null) {
                throw new IllegalArgumentException("KafkaSource.property(\"" + key + "\") is set by the source: " + owned);
            }
            if (key.startsWith("sasl.") || key.startsWith("ssl.")) {
                LOG.debug("KafkaSource: {} set directly; it overrides .security(...)", key);
            }
            properties.put(key, Objects.requireNonNull(value, () -> "KafkaSource.property(\"" + key + "\"): value is null"));
            return this;
        }

        /** Several consumer properties; see {@link #property}. */
        public Builder properties(Map<String, ?> values) {
            values.forEach(this::property);
            return this;
        }

        /** How long a synchronous offset commit waits for the broker before it is retried with the next one; default 60 s. */
        public Builder commitTimeout(Duration value) {
            commitTimeout = value;
            return this;
        }

        /** A new source; fails with a message naming the first missing or invalid setting. */
        public KafkaSource build() {
            if (bootstrapServers == null || bootstrapServers.isBlank()) {
                throw new IllegalArgumentException("KafkaSource.bootstrapServers is not set: e.g. "
                        + ".bootstrapServers(\"broker1:9092,broker2:9092\")");
            }
            for (String server : bootstrapServers.split(",")) {
                String s = server.strip();
                if (s.indexOf('@') >= 0) {
                    // Kafka ignores user info in an address: it would only end up in logs and messages
                    throw new IllegalArgumentException("KafkaSource.bootstrapServers: '" + Urls.mask(s) + "' carries "
                            + "credentials; give host:port and the credentials with .security(Security.saslSsl("
                            + "Sasl.plain(user, password), Tls.system()))");
                }
                int colon = s.lastIndexOf(':');
                if (colon <= 0 || colon == s.length() - 1 || !s.substring(colon + 1).chars().allMatch(Character::isDigit)) {
                    throw new IllegalArgumentException("KafkaSource.bootstrapServers: '" + Urls.mask(s) + "' is not host:port; "
                            + "e.g. .bootstrapServers(\"broker1:9092,broker2:9092\")");
                }
            }
            if (topicPattern == null && topics.isEmpty()) {
                throw new IllegalArgumentException("KafkaSource.topics is not set: e.g. .topics(\"orders\") or "
                        + ".topicPattern(Pattern.compile(\"orders-.*\"))");
            }
            if (topicPattern != null && !topics.isEmpty()) {
                throw new IllegalArgumentException("KafkaSource: set .topics(...) or .topicPattern(...), not both");
            }
            for (String t : topics) {
                if (t == null || t.isBlank()) {
                    throw new IllegalArgumentException("KafkaSource.topics: a topic name is " + (t == null ? "null" : "blank"));
                }
            }
            if (groupId != null && groupId.isBlank()) {
                throw new IllegalArgumentException("KafkaSource.groupId is blank: give a name or leave it unset for "
                        + "clickpipes-<pipe name>");
            }
            Objects.requireNonNull(start, "KafkaSource.startFrom is null: e.g. StartPosition.earliest()");
            Objects.requireNonNull(security, "KafkaSource.security is null: e.g. Security.plaintext()");
            if (commitTimeout == null || commitTimeout.isNegative() || commitTimeout.isZero()) {
                throw new IllegalArgumentException("KafkaSource.commitTimeout must be positive, was " + commitTimeout);
            }
            if (security.sasl() != null && security.sasl().isAwsMskIam()) {
                requireMskIamLibrary();
            }
            return new KafkaSource(this);
        }

        private static void requireMskIamLibrary() {
            try {
                Class.forName(Sasl.IAM_CALLBACK_HANDLER, false, KafkaSource.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalArgumentException("Sasl.awsMskIam needs the library "
                        + "software.amazon.msk:aws-msk-iam-auth on the class path (e.g. version 2.3.2); add it "
                        + "to your build", e);
            }
        }
    }
}
