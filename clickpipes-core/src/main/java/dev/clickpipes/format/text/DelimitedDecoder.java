package dev.clickpipes.format.text;

import dev.clickpipes.clickhouse.types.Column;
import dev.clickpipes.core.ErrorKind;
import dev.clickpipes.core.RowBuffer;
import dev.clickpipes.core.spi.DecodeException;
import dev.clickpipes.core.spi.Decoder;
import dev.clickpipes.core.spi.SourceRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What CSV and TSV share: a record holds one or more rows; fields go to columns by the header's
 * names ({@code WithNames}), by names given in code, or by position in the table's column order.
 * Thread-safe; headers are remembered per source partition (a file, a Kafka partition).
 */
abstract class DelimitedDecoder implements Decoder {

    private final String name;
    private final boolean withNames;
    private final List<String> columnNames;
    private final boolean escaped;
    private final Map<String, List<String>> headers = new ConcurrentHashMap<>();

    /** {@code escaped}: fields are in the engine's Escaped serialization (TSV), which reads a few values otherwise. */
    DelimitedDecoder(String name, boolean withNames, List<String> columnNames, boolean escaped) {
        this.name = name;
        this.escaped = escaped;
        this.withNames = withNames;
        this.columnNames = columnNames == null ? null : List.copyOf(columnNames);
    }

    /** The rows of one record's text. */
    abstract RowReader reader(String text);

    /** Reads rows of fields one at a time. */
    interface RowReader {
        /** The next row's fields, or null at the end of the record. */
        List<TextField> next() throws DecodeException;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void decode(SourceRecord record, RowBuffer rows) throws DecodeException {
        String text = new String(record.data(), record.offset(), record.length(), StandardCharsets.UTF_8);
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            text = text.substring(1); // a byte order mark, as spreadsheet exports write
        }
        RowReader reader = reader(text);
        String partition = record.partition();
        List<String> names = columnNames;
        boolean headerHere = withNames && startsItsPartition(record);
        int rowNumber = 0;
        List<TextField> fields;
        while ((fields = reader.next()) != null) {
            rowNumber++;
            if (headerHere) {
                headerHere = false;
                headers.put(partition, fields.stream().map(TextField::text).toList());
                continue;
            }
            if (withNames) {
                names = headers.get(partition);
                if (names == null) {
                    throw new DecodeException(ErrorKind.DATA_PARSING_ERROR, "no header row has been read for "
                            + partition + " (" + name + " expects one as the first row)");
                }
            }
            writeRow(fields, names, rows, rowNumber);
        }
        if (rowNumber == 0) {
            // An empty message (or one of blank lines) would otherwise vanish: neither a row nor an error.
            throw new DecodeException(ErrorKind.DATA_PARSING_ERROR, "the record holds no " + name + " row ("
                    + record.length() + " bytes" + (record.length() == 0 ? "" : ", only line ends") + ")");
        }
    }

    private void writeRow(List<TextField> fields, List<String> names, RowBuffer rows, int rowNumber)
            throws DecodeException {
        rows.beginRow();
        int limit = names != null ? names.size() : rows.fieldColumnCount();
        if (fields.size() > limit) {
            throw new DecodeException(ErrorKind.DATA_PARSING_ERROR, "row " + rowNumber + " has " + fields.size()
                    + " fields, more than the " + limit + (names != null ? " names of the header" : " columns of the table"));
        }
        for (int i = 0; i < fields.size(); i++) {
            Column column = names != null ? rows.field(names.get(i)) : rows.fieldAt(i);
            if (column == null) {
                continue;
            }
            TextField f = fields.get(i);
            if (f.isNull()) {
                column.appendNull();
            } else if (f.empty()) {
                column.appendDefault();
            } else {
                TextValues.write(f, column, escaped);
            }
        }
        rows.endRow();
    }

    /** True when the record is the first of its partition: a file's line 0, a stream's offset 0. */
    private static boolean startsItsPartition(SourceRecord record) {
        Object offset = record.virtualColumn("_offset");
        if (offset == null) {
            offset = record.virtualColumn("_row");
        }
        return offset instanceof Number n && n.longValue() == 0;
    }
}
