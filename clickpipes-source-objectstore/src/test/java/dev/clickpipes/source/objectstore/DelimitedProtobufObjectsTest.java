package dev.clickpipes.source.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import dev.clickpipes.core.BatchReport;
import dev.clickpipes.core.Batching;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.core.PipeListener;
import dev.clickpipes.format.protobuf.ProtobufDecoders;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import dev.clickpipes.testkit.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Objects of length-delimited Protobuf messages, as protobuf-java's {@code writeDelimitedTo} writes them, decoded
 * with a descriptor set the user gives: every message once, compressed or not, resumed mid-object, a cut-off
 * last message in the error table.
 */
class DelimitedProtobufObjectsTest {

    private static final FileDescriptorProto FILE = FileDescriptorProto.newBuilder().setName("shop/event.proto")
            .setPackage("shop").setSyntax("proto3")
            .addMessageType(DescriptorProto.newBuilder().setName("Event")
                    .addField(field("id", 1, FieldDescriptorProto.Type.TYPE_UINT32))
                    .addField(field("name", 2, FieldDescriptorProto.Type.TYPE_STRING))
                    .addField(field("v", 3, FieldDescriptorProto.Type.TYPE_DOUBLE)))
            .build();

    static EmbeddedClickHouse clickhouse;
    static TestDatabase db;
    static Descriptor event;
    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        clickhouse = EmbeddedClickHouse.shared();
        db = clickhouse.newDatabase();
        event = FileDescriptor.buildFrom(FILE, new FileDescriptor[0]).findMessageTypeByName("Event");
    }

    private static FieldDescriptorProto field(String name, int number, FieldDescriptorProto.Type type) {
        return FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(type)
                .setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL).build();
    }

    /** Messages {@code from .. from+count-1}, each after its varint length; id 0 is the empty message. */
    private static byte[] messages(int from, int count) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = from; i < from + count; i++) {
            DynamicMessage.newBuilder(event).setField(event.findFieldByName("id"), i)
                    .setField(event.findFieldByName("name"), i == 0 ? "" : "n" + i)
                    .setField(event.findFieldByName("v"), i * 0.5).build().writeDelimitedTo(out);
        }
        return out.toByteArray();
    }

    private static void write(Path file, byte[] bytes, boolean gzip) throws Exception {
        Files.createDirectories(file.getParent());
        try (OutputStream raw = Files.newOutputStream(file); OutputStream out = gzip ? new GZIPOutputStream(raw) : raw) {
            out.write(bytes);
        }
    }

    private Path descriptorSet() throws Exception {
        Path set = dir.resolve("event.desc");
        Files.write(set, FileDescriptorSet.newBuilder().addFile(FILE).build().toByteArray());
        return set;
    }

    private ObjectStoreSource.Builder source(String glob, String state) throws Exception {
        ObjectStoreSource.Builder b = ObjectStoreSource.builder().url(dir.toUri() + glob)
                .format(ObjectFormat.PROTOBUF_DELIMITED).decoder(ProtobufDecoders.messages(descriptorSet(), "shop.Event"));
        return state == null ? b : b.stateStore(clickhouse, state).workerId("w");
    }

    @Test
    void everyMessageOfPlainAndGzippedObjectsLandsAndACutOffLastOneIsAnError() throws Exception {
        write(dir.resolve("in/a.bin"), messages(0, 20_000), false);
        write(dir.resolve("in/b.bin.gz"), messages(20_000, 20_000), true);
        byte[] c = messages(40_000, 1_000);
        write(dir.resolve("in/c.bin"), Arrays.copyOf(c, c.length - 3), false); // the last message cut short
        String t = TestPipes.eventsTable(db, "pb_all");

        TestPipes.pipe("pb-all", source("in/*.bin*", null).build(), clickhouse, t).build().run();

        assertThat(clickhouse.query("SELECT count(), uniqExact(id), sum(id), sum(v), countIf(name != concat('n', toString(id))"
                + " AND id != 0) FROM " + t).strip()).isEqualTo("40999\t40999\t" + (40_999L * 40_998 / 2) + "\t"
                + fmt(40_999L * 40_998 / 4.0) + "\t0");
        assertThat(clickhouse.queryLong("SELECT countIf(_row != id % 20000) FROM " + t + " WHERE id < 40000")).isZero();
        assertThat(clickhouse.query("SELECT error_kind, position(message, 'message 999 claims') > 0 FROM " + t
                + "_clickpipes_error").strip()).isEqualTo("DATA_PARSING_ERROR\t1");
    }

    private static String fmt(double v) {
        return new java.math.BigDecimal(v).stripTrailingZeros().toPlainString();
    }

    /** A pipe stopped after its second batch, mid-object; the next run loads the rest once (by offset, or by skipping when gzipped). */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void stoppedMidObjectResumesWithNothingLostOrTwice(boolean gzip) throws Exception {
        String sub = gzip ? "rgz" : "r";
        write(dir.resolve(sub + "/a.bin" + (gzip ? ".gz" : "")), messages(0, 30_000), gzip);
        String t = TestPipes.eventsTable(db, "pb_resume_" + sub);
        String state = db.table("pb_resume_state_" + sub);
        for (int run = 0; run < 2; run++) {
            boolean stopEarly = run == 0;
            AtomicInteger batches = new AtomicInteger();
            TestPipes.pipe("pb-resume", source(sub + "/*", state).build(), clickhouse, t)
                    .batching(Batching.builder().maxRows(7_000).maxAge(Duration.ofSeconds(30)).build())
                    .listener(new PipeListener() {
                        @Override
                        public void onBatchCommitted(Pipe pipe, BatchReport report) {
                            if (stopEarly && batches.incrementAndGet() == 2) {
                                pipe.close();
                            }
                        }
                    }).build().run();
            if (stopEarly) {
                assertThat(clickhouse.queryLong("SELECT count() FROM " + t)).isBetween(14_000L, 29_999L);
            }
        }
        assertThat(clickhouse.query("SELECT count(), uniqExact(id), sum(id) FROM " + t).strip())
                .isEqualTo("30000\t30000\t" + (30_000L * 29_999 / 2));
    }

    @Test
    void theFormatNeedsTheMessagesDecoder() {
        assertThatThrownBy(() -> ObjectStoreSource.builder().url(dir.toUri() + "x/*").format(ObjectFormat.PROTOBUF_DELIMITED)
                .build()).hasMessageContaining("PROTOBUF_DELIMITED needs the messages' decoder: .decoder(ProtobufDecoders.messages(");
    }
}
