package dev.clickpipes.format.parquet;

import dev.clickpipes.format.json.JsonText;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

/**
 * One row of a Parquet file, its values already assembled (lists, maps and structs included), as
 * {@link ParquetRowReader#next()} returns it. Written into a batch's columns by
 * {@link ParquetDecoder}. Immutable once made.
 */
public final class ParquetRow {

    private final FieldType[] fields;
    /**
     * The assembled values, by top-level field or, with {@link #assembledAt}, as the assembler gave them;
     * a field read column by column has its value in {@link #flat} instead.
     */
    private final Object[] values;
    /** For each top-level field, its place in {@link #values} (-1 for a flat one); null when that is the field's index. */
    private final int[] assembledAt;
    private final long index;
    /** The window holding the values of the flat fields (null when every field is assembled). */
    private final FlatColumns.Window flat;
    /** This row's place in {@link #flat}. */
    private final int slot;

    ParquetRow(FieldType[] fields, Object[] values, long index) {
        this(fields, values, null, index, null, 0);
    }

    ParquetRow(FieldType[] fields, Object[] values, int[] assembledAt, long index, FlatColumns.Window flat, int slot) {
        this.fields = fields;
        this.values = values;
        this.assembledAt = assembledAt;
        this.index = index;
        this.flat = flat;
        this.slot = slot;
    }

    /** The row's number in its file, from 0. */
    public long index() {
        return index;
    }

    /** The number of top-level fields. */
    public int fieldCount() {
        return fields.length;
    }

    /** The name of top-level field {@code i}. */
    public String fieldName(int i) {
        return fields[i].name;
    }

    FieldType field(int i) {
        return fields[i];
    }

    /** The value of field {@code i}, as {@link FieldType.Kind} says (boxed here for a flat field). */
    Object value(int i) {
        return flat != null && flat.has(i) ? flat.value(i, slot) : assembled(i);
    }

    /** The assembled value of field {@code i}, which is not flat. */
    private Object assembled(int i) {
        return assembledAt == null ? values[i] : values[assembledAt[i]];
    }

    /** Writes field {@code i} into {@code c} the way {@link ValueWriter#write} writes {@link #value}, without boxing a flat field. */
    void write(int i, dev.clickpipes.clickhouse.types.Column c) throws dev.clickpipes.clickhouse.types.ValueConversionException {
        if (flat != null && flat.has(i)) {
            flat.write(i, slot, c);
        } else {
            ValueWriter.write(fields[i], assembled(i), c);
        }
    }

    /**
     * True when this row comes right after {@code previous} in the same file: the same fields and, when
     * some are flat, the next slot of the same window (so that a run of them is written column by column).
     */
    boolean follows(ParquetRow previous) {
        return fields == previous.fields && flat == previous.flat && (flat == null || slot == previous.slot + 1);
    }

    /**
     * Writes field {@code i} of this row and of the {@code count - 1} rows that follow it in {@code records}
     * (each a {@link ParquetRecord} whose row {@link #follows} the one before), as {@link #write} writes each.
     */
    void writeRun(int i, List<? extends dev.clickpipes.core.spi.SourceRecord> records, int from, int count,
            dev.clickpipes.clickhouse.types.Column c) throws dev.clickpipes.clickhouse.types.ValueConversionException {
        if (flat != null && flat.has(i)) {
            flat.writeRun(i, slot, count, c);
            return;
        }
        for (int j = 0; j < count; j++) {
            ParquetRow row = ((ParquetRecord) records.get(from + j)).row();
            ValueWriter.write(fields[i], row.assembled(i), c);
        }
    }

    /** The row as JSON-like text, for messages and the error table; byte arrays that are not text are shown in hex. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            quote(out, fields[i].name);
            out.append(':');
            render(out, fields[i], value(i));
        }
        return out.append('}').toString();
    }

    /** A struct's members as JSON text. */
    static String renderJson(FieldType struct, Object[] members) {
        StringBuilder out = new StringBuilder();
        render(out, struct, members);
        return out.toString();
    }

    private static void render(StringBuilder out, FieldType type, Object v) {
        if (v == null) {
            out.append("null");
            return;
        }
        switch (type.kind) {
            case STRING -> quote(out, new String((byte[]) v, StandardCharsets.UTF_8));
            case BYTES, UUID -> quote(out, HexFormat.of().formatHex((byte[]) v));
            case UINT64 -> out.append(Long.toUnsignedString((Long) v));
            case LIST -> {
                out.append('[');
                List<?> list = (List<?>) v;
                for (int i = 0; i < list.size(); i++) {
                    out.append(i > 0 ? "," : "");
                    render(out, type.children[0], list.get(i));
                }
                out.append(']');
            }
            case MAP -> {
                FieldType.MapValue map = (FieldType.MapValue) v;
                out.append('{');
                for (int i = 0; i < map.keys().size(); i++) {
                    out.append(i > 0 ? "," : "");
                    quote(out, String.valueOf(map.keys().get(i) instanceof byte[] b
                            ? new String(b, StandardCharsets.UTF_8) : map.keys().get(i)));
                    out.append(':');
                    if (type.children[1] == null) {
                        out.append("null");
                    } else {
                        render(out, type.children[1], map.values().get(i));
                    }
                }
                out.append('}');
            }
            case STRUCT -> {
                Object[] members = (Object[]) v;
                out.append('{');
                for (int i = 0; i < members.length; i++) {
                    out.append(i > 0 ? "," : "");
                    quote(out, type.children[i].name);
                    out.append(':');
                    render(out, type.children[i], members[i]);
                }
                out.append('}');
            }
            case DECIMAL, INT96 -> out.append(((BigDecimal) v).toPlainString());
            default -> out.append(v);
        }
    }

    private static void quote(StringBuilder out, String s) {
        JsonText.appendQuoted(out, s);
    }
}
