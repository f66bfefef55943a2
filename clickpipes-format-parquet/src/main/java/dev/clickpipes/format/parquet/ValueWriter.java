package dev.clickpipes.format.parquet;

import dev.clickpipes.clickhouse.types.Column;
import dev.clickpipes.clickhouse.types.DataType;
import dev.clickpipes.clickhouse.types.ValueConversionException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/**
 * Writes an assembled Parquet value into a column, the way ClickHouse reads the same Parquet type
 * into that column type: dates and timestamps become day numbers, epoch seconds or text as the
 * column wants; lists, maps and structs go through Array, Map and Tuple.
 */
final class ValueWriter {

    private static final long[] POW10 = {1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L,
        100_000_000L, 1_000_000_000L};

    private ValueWriter() {
    }

    static void write(FieldType type, Object v, Column c) throws ValueConversionException {
        if (!c.keepsValueTypes()) {
            writeInto(type, v, c);
        } else if (v == null) {
            writeNull(type, c);
        } else {
            c.appendTyped(type.dataType(), typed -> writeInto(type, v, typed));
        }
    }

    /** {@link #write} into a column known not to {@link Column#keepsValueTypes} (checked once for a run of values). */
    static void writeInto(FieldType type, Object v, Column c) throws ValueConversionException {
        if (v == null) {
            c.appendNull();
            return;
        }
        switch (type.kind) {
            case BOOLEAN -> c.appendBoolean((Boolean) v);
            case INT -> c.appendLong((Long) v);
            case UINT64 -> uint64((Long) v, c);
            case FLOAT -> c.appendDouble(((Number) v).doubleValue());
            case DECIMAL -> c.appendDecimal((BigDecimal) v);
            case DATE -> date(type, c, (Long) v);
            case TIME -> time(type, c, (Long) v);
            case TIMESTAMP -> timestamp(type, c, (Long) v);
            case INT96 -> timestamp(type, c, (BigDecimal) v);
            case STRING, BYTES -> {
                byte[] b = (byte[]) v;
                c.appendBytes(b, 0, b.length);
            }
            case UUID -> uuid(c, (byte[]) v);
            case LIST -> list(type, (List<?>) v, c);
            case MAP -> map(type, (FieldType.MapValue) v, c);
            case STRUCT -> struct(type, (Object[]) v, c);
            default -> throw new IllegalStateException("unknown kind " + type.kind);
        }
    }

    /**
     * Writes a value of a kind a row holds as a Long or Boolean (BOOLEAN as 0 or 1; DECIMAL as its
     * unscaled value) without boxing it, the same as {@link #write} would.
     */
    static void writeLong(FieldType type, long v, Column c) throws ValueConversionException {
        if (c.keepsValueTypes()) {
            c.appendTyped(type.dataType(), typed -> writeLongInto(type, v, typed));
        } else {
            writeLongInto(type, v, c);
        }
    }

    /** {@link #writeLong} into a column known not to {@link Column#keepsValueTypes} (checked once for a run of values). */
    static void writeLongInto(FieldType type, long v, Column c) throws ValueConversionException {
        switch (type.kind) {
            case BOOLEAN -> c.appendBoolean(v != 0);
            case INT -> c.appendLong(v);
            case UINT64 -> uint64(v, c);
            case DECIMAL -> c.appendDecimal(v, type.scale);
            case DATE -> date(type, c, v);
            case TIME -> time(type, c, v);
            case TIMESTAMP -> timestamp(type, c, v);
            default -> write(type, v, c);
        }
    }

    /**
     * An absent value: NULL, except that into a column that {@link Column#keepsValueTypes} (Dynamic) an absent list,
     * map or struct is the field type's default (an empty list or map, a tuple of its members' defaults), as the
     * engine reads it: ClickHouse has no Nullable Array, Map or Tuple.
     */
    static void writeNull(FieldType type, Column c) throws ValueConversionException {
        if (c.keepsValueTypes() && (type.kind == FieldType.Kind.LIST || type.kind == FieldType.Kind.MAP
                || type.kind == FieldType.Kind.STRUCT)) {
            c.appendTyped(type.dataType(), Column::appendDefault);
        } else {
            c.appendNull();
        }
    }

    /** An unsigned 64-bit value held in a long. */
    private static void uint64(long x, Column c) throws ValueConversionException {
        if (x >= 0) {
            c.appendLong(x);
        } else {
            c.appendBigInteger(new BigInteger(Long.toUnsignedString(x)));
        }
    }

    private static void list(FieldType type, List<?> values, Column c) throws ValueConversionException {
        Column elements = c.arrayElements();
        for (Object e : values) {
            write(type.children[0], e, elements);
        }
        c.endArray(values.size());
    }

    private static void map(FieldType type, FieldType.MapValue map, Column c) throws ValueConversionException {
        int n = map.keys().size();
        for (int i = 0; i < n; i++) {
            write(type.children[0], map.keys().get(i), c.mapKeys());
            Object value = map.values().get(i);
            if (type.children[1] == null) {
                c.mapValues().appendNull();
            } else {
                write(type.children[1], value, c.mapValues());
            }
        }
        c.endMap(n);
    }

    private static void struct(FieldType type, Object[] members, Column c) throws ValueConversionException {
        if (c.tupleSize() == 0 && c.wantsRawJson()) {
            // A struct into a String or JSON column: its JSON text, as ClickHouse writes it.
            byte[] json = ParquetRow.renderJson(type, members).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            c.appendBytes(json, 0, json.length);
            return;
        }
        c.beginTuple();
        for (int i = 0; i < members.length; i++) {
            int index = c.tupleIndex(type.children[i].name);
            if (index < 0 && i < c.tupleSize() && !c.tupleNamed()) {
                index = i; // an unnamed Tuple takes members by position
            }
            if (index >= 0) {
                write(type.children[i], members[i], c.tupleElement(index));
            }
        }
        c.endTuple();
    }

    private static void date(FieldType type, Column c, long days) throws ValueConversionException {
        switch (baseName(type, c)) {
            case "DateTime", "DateTime64" -> instant(c, days * 86_400L, 0);
            case "String", "FixedString" -> c.appendString(LocalDate.ofEpochDay(days).toString());
            default -> c.appendLong(days);
        }
    }

    private static void time(FieldType type, Column c, long value) throws ValueConversionException {
        int digits = type.scale;
        String name = baseName(type, c);
        if (name.equals("String")) {
            long unit = POW10[digits];
            long seconds = Math.floorDiv(value, unit);
            String text = String.format("%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
            long fraction = Math.floorMod(value, unit);
            c.appendString(text + (digits > 0 ? "." + String.format("%0" + digits + "d", fraction) : ""));
        } else if (name.startsWith("Time") || name.startsWith("Decimal") || name.startsWith("Float")) {
            c.appendDecimal(BigDecimal.valueOf(value, digits));
        } else {
            c.appendLong(value);
        }
    }

    /** {@code raw} units of 10^-{@code type.scale} s since the epoch (3, 6 or 9 digits). */
    private static void timestamp(FieldType type, Column c, long raw) throws ValueConversionException {
        int digits = type.scale;
        long unit = POW10[digits];
        long seconds = Math.floorDiv(raw, unit);
        int nanos = (int) (Math.floorMod(raw, unit) * POW10[9 - digits]);
        FieldType.Target target = target(type, c);
        if (target.pointInTime()) {
            instant(c, seconds, nanos);
        } else if (target.baseName().equals("String")) {
            c.appendString(LocalDateTime.ofEpochSecond(seconds, nanos, ZoneOffset.UTC).toString().replace('T', ' '));
        } else {
            c.appendLong(raw);
        }
    }

    /** {@code seconds} since the epoch (a legacy INT96 timestamp). */
    private static void timestamp(FieldType type, Column c, BigDecimal seconds) throws ValueConversionException {
        switch (baseName(type, c)) {
            case "DateTime64", "DateTime", "Date", "Date32" -> {
                BigDecimal whole = seconds.setScale(0, RoundingMode.FLOOR);
                instant(c, whole.longValueExact(), seconds.subtract(whole).movePointRight(9).intValue());
            }
            case "String" -> {
                BigDecimal whole = seconds.setScale(0, RoundingMode.FLOOR);
                LocalDateTime t = LocalDateTime.ofEpochSecond(whole.longValueExact(),
                        seconds.subtract(whole).movePointRight(9).intValue(), ZoneOffset.UTC);
                c.appendString(t.toString().replace('T', ' '));
            }
            default -> c.appendDecimal(seconds);
        }
    }

    private static final java.time.format.DateTimeFormatter ISO_NANOS =
            java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'");

    /**
     * A point in time. The core's Nullable column does not pass appendInstant on to its inner
     * column (yet); there the same instant goes as ISO-8601 text with its zone, which is exact.
     */
    private static void instant(Column c, long epochSecond, int nanos) throws ValueConversionException {
        try {
            c.appendInstant(epochSecond, nanos);
        } catch (ValueConversionException e) {
            if (!c.type().name().equals("Nullable")) {
                throw e;
            }
            c.appendString(ISO_NANOS.format(LocalDateTime.ofEpochSecond(epochSecond, nanos, ZoneOffset.UTC)));
        }
    }

    private static void uuid(Column c, byte[] b) throws ValueConversionException {
        if (base(c.type()).name().equals("UUID") && b.length == 16) {
            long hi = 0;
            long lo = 0;
            for (int i = 0; i < 8; i++) {
                hi = hi << 8 | (b[i] & 0xFF);
                lo = lo << 8 | (b[i + 8] & 0xFF);
            }
            c.appendString(new UUID(hi, lo).toString());
        } else {
            c.appendBytes(b, 0, b.length);
        }
    }

    /**
     * The name of the type under Nullable and LowCardinality of {@code c}, kept on the field for the
     * last column type it went to: a field's values mostly all go into one column.
     */
    private static String baseName(FieldType type, Column c) {
        return target(type, c).baseName();
    }

    /** The column type {@code type}'s values go into, as {@link #baseName} keeps it. */
    private static FieldType.Target target(FieldType type, Column c) {
        FieldType.Target target = type.target;
        if (target == null || target.type() != c.type()) {
            target = new FieldType.Target(c.type(), base(c.type()).name());
            type.target = target;
        }
        return target;
    }

    /** The type under Nullable and LowCardinality. */
    static DataType base(DataType t) {
        while ((t.name().equals("Nullable") || t.name().equals("LowCardinality")) && !t.arguments().isEmpty()) {
            t = t.arguments().get(0);
        }
        return t;
    }
}
