package dev.clickpipes.clickhouse.sink;

import dev.clickpipes.clickhouse.SqlNames;
import dev.clickpipes.clickhouse.types.Column;
import dev.clickpipes.clickhouse.types.NativeBuffer;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes columns as one block of ClickHouse's Native format: varint column count, varint row
 * count, then per column its name, its type, its serialization prefix and its data. The server reads Native about 3x
 * cheaper than RowBinary and 8x cheaper than JSONEachRow (DESIGN.md), and the column buffers
 * already hold their data in this layout, so encoding is a copy.
 */
final class NativeBlock {

    private NativeBlock() {
    }

    /** Encodes {@code rows} rows of {@code columns} into {@code out} (cleared first). */
    static void encode(List<Column> columns, int rows, NativeBuffer out) {
        out.clear();
        append(columns, rows, out);
    }

    /** Writes one more block after what {@code out} holds: a Native body may hold several, read in order. */
    static void append(List<Column> columns, int rows, NativeBuffer out) {
        out.writeVarUInt(columns.size());
        out.writeVarUInt(rows);
        for (Column c : columns) {
            out.writeString(c.name());
            out.writeString(c.nativeTypeName());
            c.writePrefix(out);
            c.writeTo(out);
        }
    }

    /** {@code INSERT INTO table (a, b, ...) FORMAT Native}: columns left out take their DEFAULT. */
    static String insertSql(String qualifiedTable, List<Column> columns) {
        return "INSERT INTO " + qualifiedTable + " ("
                + columns.stream().map(c -> SqlNames.quote(c.name())).collect(Collectors.joining(", "))
                + ") FORMAT Native";
    }
}
