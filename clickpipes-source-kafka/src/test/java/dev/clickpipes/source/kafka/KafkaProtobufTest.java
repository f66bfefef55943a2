package dev.clickpipes.source.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import dev.clickpipes.format.avro.TestSchemaRegistry;
import dev.clickpipes.format.protobuf.ProtobufDecoders;
import dev.clickpipes.format.registry.SchemaRegistry;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ProtobufConfluent from Kafka into ClickHouse: messages protobuf-java wrote, one bad message among them. */
class KafkaProtobufTest extends KafkaPipeTestSupport {

    static final int REGISTRY_PORT = 21201;

    @Test
    void confluentFramedMessagesFromThreePartitions() throws Exception {
        FileDescriptorProto file = FileDescriptorProto.newBuilder().setName("event.proto").setSyntax("proto3")
                .addMessageType(DescriptorProto.newBuilder().setName("Event")
                        .addField(field("id", 1, FieldDescriptorProto.Type.TYPE_UINT64))
                        .addField(field("payload", 2, FieldDescriptorProto.Type.TYPE_STRING)))
                .build();
        Descriptor event = FileDescriptor.buildFrom(file, new FileDescriptor[0]).findMessageTypeByName("Event");
        try (TestSchemaRegistry registry = TestSchemaRegistry.start(REGISTRY_PORT)) {
            String topic = topic(3);
            int id = registry.registerProtobuf(topic + "-value",
                    "syntax = \"proto3\"; message Event { uint64 id = 1; string payload = 2; }",
                    Base64.getEncoder().encodeToString(file.toByteArray()), Map.of());
            List<byte[]> values = new ArrayList<>();
            for (long i = 0; i < 3000; i++) {
                values.add(framed(id, DynamicMessage.newBuilder(event).setField(event.findFieldByName("id"), i)
                        .setField(event.findFieldByName("payload"), "p" + i).build().toByteArray()));
            }
            values.add(framed(id, new byte[] {0x12, 0x05, 'x'})); // payload's length runs past the end
            kafka.produce(topic, 3, values);

            start(pipe("protobuf", source(topic).build(), ProtobufDecoders.confluent(SchemaRegistry.of(registry.url())))
                    .build());
            awaitIds(3000);
            waitFor(() -> {
                try {
                    return query("SELECT count() FROM $t_clickpipes_error") == 1;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "the bad message in the error table");
            assertNoLoss(3000);
            assertThat(query("SELECT countIf(error_kind = 'DATA_PARSING_ERROR' AND message LIKE '%past the end%')"
                    + " FROM $t_clickpipes_error")).isEqualTo(1);
            assertThat(registry.requests("/schemas/ids/" + id)).isEqualTo(1);
        }
    }

    private static FieldDescriptorProto field(String name, int number, FieldDescriptorProto.Type type) {
        return FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(type)
                .setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL).build();
    }

    /** Confluent's framing: magic byte 0, the schema id, the message index [0] as the single byte 0, the message. */
    private static byte[] framed(int id, byte[] message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0, (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id, 0});
        out.writeBytes(message);
        return out.toByteArray();
    }
}
