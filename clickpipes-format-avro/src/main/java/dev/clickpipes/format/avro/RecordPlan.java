package dev.clickpipes.format.avro;

import dev.clickpipes.clickhouse.types.Column;
import dev.clickpipes.clickhouse.types.ValueConversionException;
import dev.clickpipes.core.RowBuffer;
import dev.clickpipes.core.spi.DecodeException;
import java.io.IOException;
import java.util.List;
import org.apache.avro.Schema;

/**
 * How one writer schema (a top-level record) becomes a row: each field goes to the column of its
 * name, fields without a column are skipped. Immutable and shared by every thread.
 */
final class RecordPlan {

    final int schemaId;
    private final String[] names;
    private final AvroReader[] readers;

    RecordPlan(int schemaId, Schema schema) {
        this.schemaId = schemaId;
        List<Schema.Field> fields = schema.getFields();
        names = new String[fields.size()];
        readers = new AvroReader[names.length];
        for (int i = 0; i < names.length; i++) {
            names[i] = fields.get(i).name();
            readers[i] = AvroReader.of(fields.get(i).schema());
        }
    }

    /** Reads one record into a row; {@code in} is positioned after the header. */
    void decode(AvroInput in, RowBuffer rows) throws DecodeException, IOException {
        rows.beginRow();
        for (int i = 0; i < names.length; i++) {
            Column c = rows.field(names[i]);
            try {
                if (c == null) {
                    readers[i].skip(in);
                } else {
                    readers[i].readInto(in, c);
                }
            } catch (ValueConversionException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                throw new IOException("field `" + names[i] + "`: " + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
            }
        }
        rows.endRow();
    }
}
