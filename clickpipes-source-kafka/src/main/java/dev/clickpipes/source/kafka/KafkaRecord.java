package dev.clickpipes.source.kafka;

import dev.clickpipes.core.spi.SourcePosition;
import dev.clickpipes.core.spi.SourceRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/**
 * A Kafka record as the pipe sees it: the value's bytes (no copy) and the virtual columns
 * {@code _key}, {@code _timestamp}, {@code _partition}, {@code _offset}, {@code _topic},
 * {@code _header_keys} and {@code _header_values}. A record with a null value (a tombstone) has no
 * bytes.
 */
final class KafkaRecord implements SourceRecord {

    /** The virtual columns every Kafka record answers ({@code _raw_message} is the pipe's own). */
    static final Set<String> VIRTUAL_COLUMNS = Set.of("_key", "_timestamp", "_partition", "_offset", "_topic",
            "_header_keys", "_header_values");

    private static final byte[] EMPTY = new byte[0];

    private final ConsumerRecord<byte[], byte[]> record;
    private final TopicPartition topicPartition;
    private final String partitionName;

    KafkaRecord(ConsumerRecord<byte[], byte[]> record, TopicPartition topicPartition, String partitionName) {
        this.record = record;
        this.topicPartition = topicPartition;
        this.partitionName = partitionName;
    }

    @Override
    public byte[] data() {
        byte[] v = record.value();
        return v == null ? EMPTY : v;
    }

    @Override
    public int offset() {
        return 0;
    }

    @Override
    public int length() {
        byte[] v = record.value();
        return v == null ? 0 : v.length;
    }

    @Override
    public SourcePosition position() {
        return new KafkaPosition(topicPartition, partitionName, record.offset());
    }

    @Override
    public String partition() {
        return partitionName; // what the position's partition() answers, without building the position
    }

    @Override
    public Object virtualColumn(String name) {
        return switch (name) {
            case "_key" -> record.key();
            case "_timestamp" -> Instant.ofEpochMilli(record.timestamp());
            case "_partition" -> record.partition();
            case "_offset" -> record.offset();
            case "_topic" -> record.topic();
            case "_header_keys" -> headerKeys();
            case "_header_values" -> headerValues();
            default -> null;
        };
    }

    private List<String> headerKeys() {
        List<String> keys = new ArrayList<>();
        for (Header h : record.headers()) {
            keys.add(h.key());
        }
        return keys;
    }

    private List<String> headerValues() {
        List<String> values = new ArrayList<>();
        for (Header h : record.headers()) {
            byte[] v = h.value();
            values.add(v == null ? "" : new String(v, StandardCharsets.UTF_8));
        }
        return values;
    }

    @Override
    public String toString() {
        return partitionName + "@" + record.offset();
    }
}
