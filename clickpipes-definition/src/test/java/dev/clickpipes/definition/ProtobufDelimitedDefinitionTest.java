package dev.clickpipes.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import dev.clickpipes.core.PipeMetrics;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import dev.clickpipes.testkit.PipeRuns;
import dev.clickpipes.testkit.TestDatabase;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * Length-delimited Protobuf objects declared in a definition ({@code format: protobuf-delimited},
 * {@code decoder: {type: protobuf, descriptor-set, message-type}}): the keys checked at parse,
 * and a pipe built from the YAML alone loading files that protobuf-java wrote into the engine.
 */
class ProtobufDelimitedDefinitionTest {

    private static final FileDescriptorProto FILE = FileDescriptorProto.newBuilder().setName("shop/order.proto")
            .setPackage("shop").setSyntax("proto3")
            .addMessageType(DescriptorProto.newBuilder().setName("Order")
                    .addField(field("id", 1, FieldDescriptorProto.Type.TYPE_UINT64))
                    .addField(field("customer", 2, FieldDescriptorProto.Type.TYPE_STRING))
                    .addField(field("amount", 3, FieldDescriptorProto.Type.TYPE_DOUBLE)))
            .build();

    @TempDir
    Path dir;

    private static FieldDescriptorProto field(String name, int number, FieldDescriptorProto.Type type) {
        return FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(type)
                .setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL).build();
    }

    private PipeDefinition parse(String descriptorSet, String messageType, boolean withDecoder) {
        String yaml = """
                source: {type: object-store, url: "%s", format: protobuf-delimited}
                sink: {endpoint: "http://127.0.0.1:1", table: shop.orders}
                batching: {max-rows: 4000}
                """.formatted(dir.toUri() + "in/*.bin")
                + (withDecoder ? "decoder: {type: protobuf, descriptor-set: \"" + descriptorSet + "\", message-type: " + messageType + "}\n" : "");
        Map<String, Object> map = new Yaml().load(yaml);
        return PipeDefinition.parse("pipes.orders", "orders", map, name -> null);
    }

    private Path descriptorSet() throws Exception {
        Path set = dir.resolve("order.desc");
        Files.write(set, FileDescriptorSet.newBuilder().addFile(FILE).build().toByteArray());
        return set;
    }

    @Test
    void theDescriptorSetAndTheMessageTypeAreCheckedAtParseNamingTheirKeys() throws Exception {
        String set = descriptorSet().toString();
        assertThat(parse(set, "shop.Order", true).describe()).contains("format: protobuf-delimited",
                "type: protobuf", "descriptor-set: " + set, "message-type: shop.Order");
        assertThatThrownBy(() -> parse(set, "shop.Order", false)).isInstanceOf(DefinitionException.class)
                .hasMessageStartingWith("pipes.orders.source.format: protobuf-delimited needs the messages' type");
        assertThatThrownBy(() -> parse(dir.resolve("missing.desc").toString(), "shop.Order", true))
                .hasMessageStartingWith("pipes.orders.decoder.descriptor-set: cannot read the descriptor set");
        Path notASet = dir.resolve("not.desc");
        Files.writeString(notASet, "this is not protobuf");
        assertThatThrownBy(() -> parse(notASet.toString(), "shop.Order", true))
                .hasMessageStartingWith("pipes.orders.decoder.descriptor-set: cannot read the descriptor set");
        assertThatThrownBy(() -> parse(set, "shop.Refund", true))
                .hasMessageStartingWith("pipes.orders.decoder.message-type: ").hasMessageContaining("shop.Order");
        Map<String, Object> noType = new Yaml().load("""
                source: {type: memory}
                decoder: {type: protobuf, descriptor-set: "%s"}
                sink: {endpoint: "http://127.0.0.1:1", table: t}
                """.formatted(set));
        assertThatThrownBy(() -> PipeDefinition.parse("pipes.orders", "orders", noType, name -> null))
                .hasMessageStartingWith("pipes.orders.decoder.message-type: is required");
    }

    @Test
    void aPipeFromTheDefinitionLoadsEveryMessageOfTheObjectsOnce() throws Exception {
        Descriptor order = FileDescriptor.buildFrom(FILE, new FileDescriptor[0]).findMessageTypeByName("Order");
        int perFile = 5_000;
        Files.createDirectories(dir.resolve("in"));
        for (int f = 0; f < 2; f++) {
            try (OutputStream out = Files.newOutputStream(dir.resolve("in/orders-" + f + ".bin"))) {
                for (int i = f * perFile; i < (f + 1) * perFile; i++) {
                    DynamicMessage.newBuilder(order).setField(order.findFieldByName("id"), (long) i)
                            .setField(order.findFieldByName("customer"), "c" + i % 7)
                            .setField(order.findFieldByName("amount"), i * 0.25).build().writeDelimitedTo(out);
                }
            }
        }
        EmbeddedClickHouse clickhouse = EmbeddedClickHouse.shared();
        TestDatabase db = clickhouse.newDatabase();
        String table = db.table("orders");
        clickhouse.query("CREATE TABLE " + table + " (id UInt64, customer String, amount Float64) ENGINE = MergeTree ORDER BY id");
        PipeDefinition definition = parse(descriptorSet().toString(), "shop.Order", true);

        PipeMetrics metrics = PipeRuns.drain(definition.newBuilder(sink -> sink.endpoint(null).transport(clickhouse).table(table)).build());

        int n = 2 * perFile;
        assertThat(clickhouse.query("SELECT count(), uniqExact(id), sum(id), uniqExact(customer), sum(amount) FROM " + table).strip())
                .isEqualTo(n + "\t" + n + "\t" + ((long) n * (n - 1) / 2) + "\t7\t" + ((long) n * (n - 1) / 8));
        assertThat(metrics.rowsWritten()).isEqualTo(n);
        assertThat(metrics.errorRows()).isZero();
        assertThat(metrics.batches()).isEqualTo(3); // 4000-row batches, as the definition says
    }
}
