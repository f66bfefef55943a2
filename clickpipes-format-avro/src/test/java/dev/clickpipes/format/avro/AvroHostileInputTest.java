package dev.clickpipes.format.avro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.clickpipes.clickhouse.TableColumn;
import dev.clickpipes.clickhouse.TableSchema;
import dev.clickpipes.core.FieldMapping;
import dev.clickpipes.core.RowBuffer;
import dev.clickpipes.core.spi.ByteSliceRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * Messages of a few bytes that declare huge lengths or counts: each must fail as a bad record
 * (an IOException the decoder files in the error table), quickly and without allocating what
 * it declares. Before the bounds: an OutOfMemoryError, a loop of 2^62 turns, a StackOverflowError.
 */
class AvroHostileInputTest {

    /** Decodes {@code message} (no header) with {@code schema} into a table of {@code columns} (name, type pairs). */
    static void decode(String schema, byte[] message, String... columns) throws Exception {
        List<TableColumn> cols = new ArrayList<>();
        for (int i = 0; i < columns.length; i += 2) {
            cols.add(TableColumn.of(columns[i], columns[i + 1]));
        }
        RowBuffer rows = new RowBuffer(new TableSchema("db", "t", cols, ZoneOffset.UTC), FieldMapping.byName(), Set.of());
        RecordPlan plan = new RecordPlan(1, new Schema.Parser().parse(schema));
        rows.beginRecord(new ByteSliceRecord(message, 0, message.length) {
            @Override
            public dev.clickpipes.core.spi.SourcePosition position() {
                return null;
            }
        });
        assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> plan.decode(AvroInput.over(message, 0, message.length), rows));
    }

    /** Avro's zig-zag varint. */
    static void varlong(ByteArrayOutputStream out, long v) {
        long z = (v << 1) ^ (v >> 63);
        while ((z & ~0x7fL) != 0) {
            out.write((int) ((z & 0x7f) | 0x80));
            z >>>= 7;
        }
        out.write((int) z);
    }

    static byte[] bytes(long... varlongs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (long v : varlongs) {
            varlong(out, v);
        }
        return out.toByteArray();
    }

    @Test
    void aStringDeclaringTwoGigabytesIsABadRecordNotAnOutOfMemoryError() {
        String schema = "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"s\",\"type\":\"string\"}]}";
        assertThatThrownBy(() -> decode(schema, bytes(Integer.MAX_VALUE - 16), "s", "String"))
                .isInstanceOf(IOException.class).hasMessageContaining("invalid string length");
        // skipped too (no column takes it)
        assertThatThrownBy(() -> decode(schema, bytes(Integer.MAX_VALUE - 16), "other", "String"))
                .isInstanceOf(IOException.class).hasMessageContaining("invalid string length");
    }

    @Test
    void aMapKeyDeclaringTwoGigabytesIsABadRecord() {
        String schema = "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"m\",\"type\":{\"type\":\"map\",\"values\":\"long\"}}]}";
        assertThatThrownBy(() -> decode(schema, bytes(1, Integer.MAX_VALUE - 16), "m", "Map(String, Int64)"))
                .isInstanceOf(IOException.class).hasMessageContaining("invalid string length");
    }

    @Test
    void anArrayOfTwoBillionNullsIsABadRecordNotAnEndlessLoop() {
        String schema = "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":{\"type\":\"array\",\"items\":\"null\"}}]}";
        assertThatThrownBy(() -> decode(schema, bytes(Integer.MAX_VALUE - 16, 0), "a", "Array(Nullable(Int32))"))
                .isInstanceOf(IOException.class).hasMessageContaining("zero bytes each");
        assertThatThrownBy(() -> decode(schema, bytes(Integer.MAX_VALUE - 16, 0), "other", "String"))
                .isInstanceOf(IOException.class).hasMessageContaining("zero bytes each");
        // (Avro itself refuses counts over 2^31 - 8 since 1.11.4; under that it loops.) A map of 2^31 entries whose keys would each take a byte
        String map = "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"m\",\"type\":{\"type\":\"map\",\"values\":\"null\"}}]}";
        assertThatThrownBy(() -> decode(map, bytes(Integer.MAX_VALUE - 16, 0), "m", "Map(String, Nullable(Int32))"))
                .isInstanceOf(IOException.class).hasMessageContaining("items of at least 1 bytes");
    }

    @Test
    void anArrayAsJsonTextIsBoundedBeforeAvrosGenericReaderAllocates() {
        // A String column takes the array as JSON text, through Avro's generic reader.
        String schema = "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":{\"type\":\"array\",\"items\":\"string\"}}]}";
        assertThatThrownBy(() -> decode(schema, bytes(1, Integer.MAX_VALUE - 16), "a", "String"))
                .isInstanceOf(IOException.class).hasMessageContaining("invalid string length");
        assertThatThrownBy(() -> decode(schema, bytes(Integer.MAX_VALUE - 16, 0), "a", "String"))
                .isInstanceOf(IOException.class).hasMessageContaining("items of at least 1 bytes");
    }

    @Test
    void aRecursiveValueNestedTooDeepIsABadRecordNotAStackOverflow() {
        String schema = "{\"type\":\"record\",\"name\":\"Node\",\"fields\":[{\"name\":\"v\",\"type\":\"long\"},"
                + "{\"name\":\"next\",\"type\":[\"null\",\"Node\"]}]}";
        long[] chain = new long[400_000];
        for (int i = 0; i < chain.length; i += 2) {
            chain[i] = 0;      // v
            chain[i + 1] = 1;  // the Node branch
        }
        assertThatThrownBy(() -> decode(schema, bytes(chain), "next", "String"))
                .isInstanceOf(IOException.class).hasMessageContaining("nested more than");
    }

    @Test
    void validValuesStillDecode() throws Exception {
        String schema = "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":{\"type\":\"array\",\"items\":\"null\"}},"
                + "{\"name\":\"s\",\"type\":\"string\"},{\"name\":\"j\",\"type\":{\"type\":\"array\",\"items\":\"long\"}}]}";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        varlong(out, 1000); // 1000 nulls: under the zero-byte budget of a short message
        varlong(out, 0);
        varlong(out, 2);
        out.write('h');
        out.write('i');
        varlong(out, 2);
        varlong(out, 7);
        varlong(out, 8);
        varlong(out, 0);
        byte[] m = out.toByteArray();
        decode(schema, m, "a", "Array(Nullable(Int32))", "s", "String", "j", "String");
        assertThat(m.length).isLessThan(20);
    }
}
