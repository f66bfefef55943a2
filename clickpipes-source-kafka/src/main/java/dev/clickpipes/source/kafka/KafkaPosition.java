package dev.clickpipes.source.kafka;

import dev.clickpipes.core.spi.NumberedPosition;
import org.apache.kafka.common.TopicPartition;

/**
 * A record's place in Kafka: its topic-partition and offset. Shown as {@code topic-3@1234}.
 *
 * @param topicPartition the topic-partition, shared by its records
 * @param partition      the topic-partition's name ({@code topic-3}), shared by its records
 * @param offset         the record's offset
 */
public record KafkaPosition(TopicPartition topicPartition, String partition, long offset) implements NumberedPosition {

    @Override
    public String toString() {
        return NumberedPosition.text(this);
    }
}
