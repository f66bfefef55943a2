package dev.clickpipes.source.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clickpipes.core.spi.Decoder;
import dev.clickpipes.format.Decoders;
import dev.clickpipes.format.avro.AvroDecoders;
import dev.clickpipes.format.avro.ConfluentAvro;
import dev.clickpipes.format.avro.TestSchemaRegistry;
import dev.clickpipes.format.registry.SchemaRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecordBuilder;
import org.junit.jupiter.api.Test;

/** CSV, TSV and AvroConfluent (with a new schema id mid-stream) from Kafka into ClickHouse. */
class KafkaFormatsTest extends KafkaPipeTestSupport {

    static final int REGISTRY_PORT = 19083;

    private void readsEverything(Decoder decoder, LongFunction<String> line) throws Exception {
        String topic = topic(2);
        List<byte[]> values = new ArrayList<>();
        for (long i = 0; i < 500; i++) {
            values.add(line.apply(i).getBytes(StandardCharsets.UTF_8));
        }
        kafka.produce(topic, 2, values);
        start(pipe("formats", source(topic).build(), decoder).build());
        awaitIds(500);
        assertNoLoss(500);
    }

    @Test
    void csv() throws Exception {
        readsEverything(Decoders.csv(), i -> i + ",\"p" + i + "\"");
    }

    @Test
    void tsv() throws Exception {
        readsEverything(Decoders.tsv(), i -> i + "\tp" + i);
    }

    @Test
    void avroConfluentWithANewSchemaIdMidStream() throws Exception {
        clickhouse.query("ALTER TABLE " + table + " ADD COLUMN extra Int32");
        Schema v1 = new Schema.Parser().parse("""
            {"type": "record", "name": "Event", "fields": [
              {"name": "id", "type": "long"}, {"name": "payload", "type": "string"}]}""");
        Schema v2 = new Schema.Parser().parse("""
            {"type": "record", "name": "Event", "fields": [
              {"name": "id", "type": "long"}, {"name": "extra", "type": "int", "default": 0},
              {"name": "payload", "type": "string"}]}""");
        try (TestSchemaRegistry registry = TestSchemaRegistry.start(REGISTRY_PORT)) {
            String topic = topic(3);
            int id1 = registry.register(topic + "-value", v1);
            start(pipe("avro", source(topic).build(),
                    AvroDecoders.confluent(SchemaRegistry.of(registry.url() + "/subjects/" + topic + "-value"))).build());
            List<byte[]> first = new ArrayList<>();
            for (long i = 0; i < 600; i++) {
                first.add(ConfluentAvro.encode(id1, v1, new GenericRecordBuilder(v1).set("id", i).set("payload", "p" + i).build()));
            }
            kafka.produce(topic, 3, first);
            awaitIds(600);

            int id2 = registry.register(topic + "-value", v2); // the producer moves to v2 mid-stream
            List<byte[]> second = new ArrayList<>();
            for (long i = 600; i < 1200; i++) {
                second.add(ConfluentAvro.encode(id2, v2, new GenericRecordBuilder(v2).set("id", i).set("payload", "p" + i)
                        .set("extra", (int) i).build()));
            }
            kafka.produce(topic, 3, second);
            awaitIds(1200);
            assertNoLoss(1200);
            assertThat(query("SELECT sum(extra) FROM $t WHERE id < 600")).isZero();
            assertThat(query("SELECT sum(extra) FROM $t")).isEqualTo((600L + 1199) * 600 / 2);
            assertThat(registry.requests("/schemas/ids/" + id2)).isEqualTo(1);
        }
    }
}
