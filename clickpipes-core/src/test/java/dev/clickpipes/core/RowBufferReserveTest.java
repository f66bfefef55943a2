package dev.clickpipes.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.clickpipes.clickhouse.TableColumn;
import dev.clickpipes.clickhouse.TableSchema;
import dev.clickpipes.clickhouse.types.Column;
import dev.clickpipes.clickhouse.types.NativeBuffer;
import dev.clickpipes.clickhouse.types.ValueConversionException;
import dev.clickpipes.core.spi.DecodeException;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A buffer reserved by another's sizes takes as many rows without growing, and holds the same bytes. */
class RowBufferReserveTest {

    private static final TableSchema SCHEMA = new TableSchema("db", "t", List.of(
            TableColumn.of("id", "UInt64"),
            TableColumn.of("name", "Nullable(String)"),
            TableColumn.of("tags", "Array(String)"),
            TableColumn.of("point", "Tuple(x Float64, label String)")), ZoneOffset.UTC);

    @Test
    void aReservedBufferTakesTheRowsOfItsModelWithoutGrowing() throws Exception {
        RowBuffer model = buffer();
        fill(model, 5000);
        int[] sizes = model.bufferSizes();
        // Nullable: null map and strings; Array: offsets and strings; Tuple: itself and its two members
        assertEquals(1 + 2 + 2 + 3, sizes.length);

        RowBuffer reserved = buffer();
        reserved.reserve(sizes);
        List<byte[]> before = arrays(reserved);
        fill(reserved, 5000);
        List<byte[]> after = arrays(reserved);
        for (int i = 0; i < before.size(); i++) {
            assertSame(before.get(i), after.get(i), "buffer " + i + " grew (was reserved " + sizes[i] + " bytes)");
        }
        assertArrayEquals(sizes, reserved.bufferSizes());
        assertArrayEquals(body(model), body(reserved));
    }

    private static RowBuffer buffer() {
        return new RowBuffer(SCHEMA, FieldMapping.byName(), Set.of());
    }

    private static void fill(RowBuffer rows, int n) throws ValueConversionException, DecodeException {
        for (int i = 0; i < n; i++) {
            rows.beginRow();
            rows.field("id").appendLong(i);
            Column name = rows.field("name");
            if (i % 3 == 0) {
                name.appendNull();
            } else {
                name.appendString("name-" + i);
            }
            Column tags = rows.field("tags");
            for (int t = 0; t < i % 4; t++) {
                tags.arrayElements().appendString("tag" + t);
            }
            tags.endArray(i % 4);
            Column point = rows.field("point");
            point.beginTuple();
            point.tupleElement(point.tupleIndex("x")).appendDouble(i / 2.0);
            point.tupleElement(point.tupleIndex("label")).appendString("p" + i);
            point.endTuple();
            rows.endRow();
        }
    }

    private static List<byte[]> arrays(RowBuffer rows) {
        List<byte[]> arrays = new ArrayList<>();
        for (Column c : rows.columns()) {
            c.eachBuffer(b -> arrays.add(b.array()));
        }
        return arrays;
    }

    private static byte[] body(RowBuffer rows) {
        NativeBuffer out = new NativeBuffer();
        for (Column c : rows.columns()) {
            c.writeTo(out);
        }
        return java.util.Arrays.copyOf(out.array(), out.size());
    }
}
