package dev.clickpipes.core;

import dev.clickpipes.clickhouse.TableSchema;
import dev.clickpipes.clickhouse.types.Column;
import dev.clickpipes.core.spi.Decoder;
import dev.clickpipes.core.spi.SourceRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Decodes sample records into a table's columns exactly as a pipe would, without inserting
 * anything, and tells for each record which columns it fills, which get their default, or why it
 * would be filed in the error table: the preview step before a pipe runs ({@code clickpipes check}).
 *
 * <pre>{@code
 * DecodePreview preview = new DecodePreview("orders", schema, FieldMapping.byName(), source.virtualColumns(), decoder);
 * DecodePreview.Outcome o = preview.decode(record);   // o.rejected() ? o.reason() : o.filled()
 * }</pre>
 *
 * <p>Not thread-safe: one preview decodes on one thread.
 */
public final class DecodePreview {

    private final RowBuffer rows;
    private final RecordEncoder encoder;

    /**
     * @param pipeName       the pipe's name, as its error records would carry it
     * @param schema         the target table's columns, as the sink read them
     * @param mapping        the pipe's field mapping
     * @param virtualColumns the virtual columns the source gives
     * @param decoder        the pipe's decoder
     */
    public DecodePreview(String pipeName, TableSchema schema, FieldMapping mapping, Set<String> virtualColumns, Decoder decoder) {
        this.rows = new RowBuffer(schema, mapping, virtualColumns);
        // No retries: a decoder that asks to be retried (a registry outage) is reported, not waited for.
        this.encoder = new RecordEncoder(Objects.requireNonNull(pipeName, "pipeName"), "preview", decoder,
                RetryPolicy.of(Duration.ofMillis(1), Duration.ofMillis(1), 1), () -> true);
    }

    /**
     * What a pipe would make of one record.
     *
     * @param position    the record's position, as the source names it
     * @param rows        how many rows it became (0 when rejected; a record holding a whole file may be many)
     * @param filled      the columns its last row took from the record (fields and virtual columns), in table order
     * @param defaulted   the columns its last row left to their default, in table order
     * @param rejectedAs  why it would go to the error table, or null when it became rows
     * @param reason      the error table's message for it, or null
     */
    public record Outcome(String position, int rows, List<String> filled, List<String> defaulted, ErrorKind rejectedAs,
                          String reason) {

        /** Copies the lists. */
        public Outcome {
            filled = List.copyOf(filled);
            defaulted = List.copyOf(defaulted);
        }

        /** True when the record would be filed in the error table. */
        public boolean rejected() {
            return rejectedAs != null;
        }
    }

    /**
     * Decodes one record into a scratch buffer (cleared first) and reports what became of it.
     *
     * @throws PipeException when the decoder cannot decode it yet (it asked to be retried: a schema registry outage)
     */
    public Outcome decode(SourceRecord record) throws InterruptedException {
        rows.clear();
        String position = String.valueOf(record.position());
        ErrorRecord error = encoder.encode(record, rows);
        if (error != null) {
            return new Outcome(position, 0, List.of(), List.of(), error.kind(), error.message());
        }
        List<String> filled = new ArrayList<>();
        List<String> defaulted = new ArrayList<>();
        List<Column> columns = rows.columns();
        for (int i = 0; i < columns.size(); i++) {
            (rows.lastRowFilled(i) ? filled : defaulted).add(columns.get(i).name());
        }
        return new Outcome(position, rows.rows(), filled, defaulted, null, null);
    }
}
