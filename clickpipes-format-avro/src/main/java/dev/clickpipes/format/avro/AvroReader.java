package dev.clickpipes.format.avro;

import dev.clickpipes.clickhouse.types.Column;
import dev.clickpipes.clickhouse.types.DataType;
import dev.clickpipes.clickhouse.types.ValueConversionException;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.util.Utf8;

/**
 * Reads one value of an Avro writer schema from the binary encoding straight into a column (or
 * skips it), with no object in between. A schema is compiled once into a tree of readers, one per
 * schema node; the tree is immutable and shared by every thread.
 *
 * <p>Mapping: record → Tuple (elements by name, else by position), array → Array, map → Map,
 * union → the branch's value (a union with null → NULL in a Nullable column; into a Variant, the variant of
 * the branch's type, see {@link UnionTypes}), enum → its symbol,
 * fixed/bytes → raw bytes, decimal → exact Decimal, uuid → UUID, date → Date (days),
 * timestamp-millis/-micros/-nanos and their local- forms → DateTime64 (exact fractions; a local timestamp is read as UTC), time-* → the
 * count of ms/µs (or text in a String column). A record, array or map whose column is String or
 * JSON gets the value as JSON text.
 */
abstract class AvroReader {

    final Schema schema;
    /** The type a Dynamic column keeps for this schema's values, when first needed; {@link #UNTYPED} for none. */
    private volatile DataType clickHouseType;
    private static final DataType UNTYPED = DataType.parse("Nothing");

    AvroReader(Schema schema) {
        this.schema = schema;
    }

    /** Reads a value into the column. */
    abstract void read(AvroInput in, Column c) throws IOException, ValueConversionException;

    /**
     * Reads a value into the column as {@link #read} does, except that a column that {@link Column#keepsValueTypes}
     * (Dynamic) takes it as a value of the type the engine infers for this schema ({@link AvroInferredType}), not of
     * the type JSON text would give it. A union passes its branch's value on; a recursive record is not typed.
     */
    final void readInto(AvroInput in, Column c) throws IOException, ValueConversionException {
        DataType type = c.keepsValueTypes() ? clickHouseType() : UNTYPED;
        if (type == UNTYPED) {
            read(in, c);
            return;
        }
        c.appendTyped(type, typed -> read(in, typed));
    }

    private DataType clickHouseType() {
        DataType t = clickHouseType;
        if (t == null) {
            String name = AvroInferredType.of(schema);
            t = name == null ? UNTYPED : DataType.parse(name);
            clickHouseType = t;
        }
        return t;
    }

    /** Reads past a value no column takes. */
    abstract void skip(AvroInput in) throws IOException;

    /** The fewest bytes a value takes in the binary encoding: bounds the item counts of arrays and maps. */
    int minBytes() {
        return 1;
    }

    /** Compiles the reader tree of a schema (recursive records included). */
    static AvroReader of(Schema schema) {
        return compile(schema, new IdentityHashMap<>());
    }

    private static AvroReader compile(Schema s, Map<Schema, RecordReader> records) {
        LogicalType logical = s.getLogicalType();
        return switch (s.getType()) {
            case NULL -> new NullReader(s);
            case BOOLEAN -> new BooleanReader(s);
            case INT -> logical instanceof LogicalTypes.Date ? new DateReader(s)
                    : logical instanceof LogicalTypes.TimeMillis ? new TimeReader(s, 3, false)
                    : new IntReader(s);
            case LONG -> longReader(s, logical);
            case FLOAT -> new FloatReader(s);
            case DOUBLE -> new DoubleReader(s);
            case STRING -> new StringReader(s);
            case BYTES -> logical instanceof LogicalTypes.Decimal d ? new DecimalReader(s, d.getScale(), -1)
                    : new BytesReader(s, -1);
            case FIXED -> logical instanceof LogicalTypes.Decimal d ? new DecimalReader(s, d.getScale(), s.getFixedSize())
                    : logical != null && "uuid".equals(logical.getName()) && s.getFixedSize() == 16 ? new FixedUuidReader(s)
                    : new BytesReader(s, s.getFixedSize());
            case ENUM -> new EnumReader(s);
            case ARRAY -> new ArrayReader(s, compile(s.getElementType(), records));
            case MAP -> new MapReader(s, compile(s.getValueType(), records));
            case UNION -> {
                List<Schema> types = s.getTypes();
                AvroReader[] branches = new AvroReader[types.size()];
                for (int i = 0; i < branches.length; i++) {
                    branches[i] = compile(types.get(i), records);
                }
                yield new UnionReader(s, branches);
            }
            case RECORD -> {
                RecordReader known = records.get(s);
                if (known != null) {
                    yield known; // a recursive reference: the reader being built
                }
                RecordReader r = new RecordReader(s);
                records.put(s, r);
                List<Schema.Field> fields = s.getFields();
                AvroReader[] readers = new AvroReader[fields.size()];
                for (int i = 0; i < readers.length; i++) {
                    readers[i] = compile(fields.get(i).schema(), records);
                }
                r.fields = readers;
                yield r;
            }
        };
    }

    private static AvroReader longReader(Schema s, LogicalType logical) {
        if (logical == null) {
            return new LongReader(s);
        }
        return switch (logical.getName()) {
            case "timestamp-millis", "local-timestamp-millis" -> new TimestampReader(s, 3);
            case "timestamp-micros", "local-timestamp-micros" -> new TimestampReader(s, 6);
            case "timestamp-nanos", "local-timestamp-nanos" -> new TimestampReader(s, 9);
            case "time-micros" -> new TimeReader(s, 6, true);
            default -> new LongReader(s);
        };
    }

    /** The column's type name, under Nullable: what a value must become. */
    static String target(Column c) {
        DataType t = c.type();
        return "Nullable".equals(t.name()) ? t.argument(0).name() : t.name();
    }

    /**
     * Reads the value with Avro's generic reader and writes its JSON text: for String and JSON
     * columns. The value is first skipped with the bounded readers (Avro's generic reader allocates
     * what lengths and counts say before reading), then read again from where it starts.
     */
    final void readAsJson(AvroInput in, Column c) throws IOException, ValueConversionException {
        int start = in.position();
        skip(in);
        int end = in.position();
        Object value = new GenericDatumReader<>(schema).read(null,
                DecoderFactory.get().binaryDecoder(in.data(), start, end - start, null));
        c.appendString(GenericData.get().toString(value));
    }

    // ---- primitives -----------------------------------------------------------------------------

    static final class NullReader extends AvroReader {
        NullReader(Schema s) {
            super(s);
        }

        @Override
        void read(AvroInput in, Column c) throws ValueConversionException {
            c.appendNull();
        }

        @Override
        void skip(AvroInput in) {
        }

        @Override
        int minBytes() {
            return 0;
        }
    }

    static final class BooleanReader extends AvroReader {
        BooleanReader(Schema s) {
            super(s);
        }

        @Override
        void read(AvroInput in, Column c) throws IOException, ValueConversionException {
            c.appendBoolean(in.in.readBoolean());
        }

        @Override
        void skip(AvroInput in) throws IOException {
            in.in.readBoolean();
        }
    }

    static final class IntReader extends AvroReader {
        IntReader(Schema s) {
            super(s);
        }

        @Override
        void read(AvroInput in, Column c) throws IOException, ValueConversionException {
            c.appendLong(in.in.readInt());
        }

        @Override
        void skip(AvroInput in) throws IOException {
            in.in.readInt();
        }
    }

    static final class LongReader extends AvroReader {
        LongReader(Schema s) {
            super(s);
        }

        @Override
        void read(AvroInput in, Column c) throws IOException, ValueConversionException {
            c.appendLong(in.in.readLong());
        }

        @Override
        void skip(AvroInput in) throws IOException {
            in.in.readLong();
        }
    }

    static final class FloatReader extends AvroReader {
        FloatReader(Schema s) {
            super(s);
        }

        @Override
        void read(AvroInput in, Column c) throws IOException, ValueConversionException {
            c.appendFloat(in.in.readFloat());
        }

        @Override
        void skip(AvroInput in) throws IOException {
            in.in.readFloat();
        }

        @Override
        int minBytes() {
            return 4;
        }
    }

    static final class DoubleReader extends AvroReader {
        DoubleReader(Schema s) {
            super(s);
        }

        @Override
        void read(AvroInput in, Column c) throws IOException, ValueConversionException {
            c.appendDouble(in.in.readDouble());
        }

        @Override
        void skip(AvroInput in) throws IOException {
            in.in.readDouble();
        }

        @Override
        int minBytes() {
            return 8;
        }
    }

    /** Strings (and uuid strings, which a UUID column parses) as their UTF-8 bytes. */
    static final class StringReader extends AvroReader {
        StringReader(Schema s) {
            super(s);
        }

        @Override
        void read(AvroInput in, Column c) throws IOException, ValueConversionException {
            Utf8 u = in.readUtf8();
            c.appendBytes(u.getBytes(), 0, u.getByteLength());
        }

        @Override
        void skip(AvroInput in) throws IOException {
            in.skipString();
        }
    }

    /** bytes ({@code size} -1) and fixed: raw bytes, for String and FixedString columns. */
    static final class BytesReader extends AvroReader {
        private final int size;

        BytesReader(Schema s, int size) {
            super(s);
            this.size = size;
        }

        @Override
        void read(AvroInput in, Column c) throws IOException, ValueConversionException {
            int len = size;
            if (size < 0) {
                len = in.readBytes();
            } else {
                in.readFixed(size);
            }
            c.appendBytes(in.bytes(), 0, len);
        }

        @Override
        void skip(AvroInput in) throws IOException {
            if (size < 0) {
                in.skipString();
            } else {
                in.readFixed(size);
            }
        }

        @Override
        int minBytes() {
            return size < 0 ? 1 : size;
        }
    }

    static final class EnumReader extends AvroReader {
        private final byte[][] symbols;

        EnumReader(Schema s) {
            super(s);
            List<String> names = s.getEnumSymbols();
            symbols = new byte[names.size()][];
            for (int i = 0; i < symbols.length; i++) {
                symbols[i] = names.get(i).getBytes(StandardCharsets.UTF_8);
            }
        }

        @Override
        void read(AvroInput in, Column c) throws IOException, ValueConversionException {
            int i = in.in.readEnum();
            if (i < 0 || i >= symbols.length) {
                throw new IOException("enum " + schema.getFullName() + " has no symbol number " + i);
            }
            c.appendBytes(symbols[i], 0, symbols[i].length);
        }

        @Override
        void skip(AvroInput in) throws IOException {
            in.in.readEnum();
        }
    }

    // ---- logical types --------------------------------------------------------------------------

    /** decimal on bytes ({@code size} -1) or fixed: two's-complement unscaled value, exact. */
    static final class DecimalReader extends AvroReader {
        private final int scale;
        private final int size;

        DecimalReader(Schema s, int scale, int size) {
            super(s);
            this.scale = scale;
            this.size = size;
        }

        @Override
        void read(AvroInput in, Column c) throws IOException, ValueConversionException {
            int len = size;
            if (size < 0) {
                len = in.readBytes();
            } else {
                in.readFixed(size);
            }
            BigInteger unscaled = len == 0 ? BigInteger.ZERO : new BigInteger(in.bytes(), 0, len);
            c.appendDecimal(new BigDecimal(unscaled, scale));
        }

        @Override
        void skip(AvroInput in) throws IOException {
            if (size < 0) {
                in.skipString();
            } else {
                in.readFixed(size);
            }
        }

        @Override
        int minBytes() {
            return size < 0 ? 1 : size;
        }
    }

    /** uuid on fixed(16): the 16 bytes, shown the way a UUID column parses them. */
    static final class FixedUuidReader extends AvroReader {
        FixedUuidReader(Schema s) {
            super(s);
        }

        @Override
        void read(AvroInput in, Column c) throws IOException, ValueConversionException {
            in.readFixed(16);
            byte[] b = in.bytes();
            long msb = 0;
            long lsb = 0;
            for (int i = 0; i < 8; i++) {
                msb = (msb << 8) | (b[i] & 0xff);
                lsb = (lsb << 8) | (b[8 + i] & 0xff);
            }
            c.appendString(new UUID(msb, lsb).toString());
        }

        @Override
        void skip(AvroInput in) throws IOException {
            in.readFixed(16);
        }

        @Override
        int minBytes() {
            return 16;
        }
    }

    /** date: days since 1970-01-01. */
    static final class DateReader extends AvroReader {
        DateReader(Schema s) {
            super(s);
        }

        @Override
        void read(AvroInput in, Column c) throws IOException, ValueConversionException {
            int days = in.in.readInt();
            switch (target(c)) {
                case "DateTime", "DateTime64" -> c.appendInstant(days * 86_400L, 0);
                case "String" -> c.appendString(LocalDate.ofEpochDay(days).toString());
                default -> c.appendLong(days); // Date, Date32, integers
            }
        }

        @Override
        void skip(AvroInput in) throws IOException {
            in.in.readInt();
        }
    }

    /** timestamp-* and local-timestamp-*: a count of 10^-scale seconds since the epoch. */
    static final class TimestampReader extends AvroReader {
        private final long perSecond;
        private final long nanosPerTick;

        TimestampReader(Schema s, int scale) {
            super(s);
            this.perSecond = BigDecimal.ONE.movePointRight(scale).longValueExact();
            this.nanosPerTick = 1_000_000_000L / perSecond;
        }

        @Override
        void read(AvroInput in, Column c) throws IOException, ValueConversionException {
            long ticks = in.in.readLong();
            long seconds = Math.floorDiv(ticks, perSecond);
            int nanos = (int) (Math.floorMod(ticks, perSecond) * nanosPerTick);
            switch (target(c)) {
                case "DateTime", "DateTime64", "Date" -> c.appendInstant(seconds, nanos);
                case "Date32" -> c.appendLong(Math.floorDiv(seconds, 86_400L));
                case "String" -> c.appendString(Instant.ofEpochSecond(seconds, nanos).toString());
                default -> c.appendLong(ticks); // integers: the count as it is
            }
        }

        @Override
        void skip(AvroInput in) throws IOException {
            in.in.readLong();
        }
    }

    /** time-millis (int) and time-micros (long): a count since midnight. */
    static final class TimeReader extends AvroReader {
        private final int scale;
        private final boolean isLong;

        TimeReader(Schema s, int scale, boolean isLong) {
            super(s);
            this.scale = scale;
            this.isLong = isLong;
        }

        @Override
        void read(AvroInput in, Column c) throws IOException, ValueConversionException {
            long v = isLong ? in.in.readLong() : in.in.readInt();
            if ("String".equals(target(c)) && v >= 0 && v < 86_400L * (scale == 3 ? 1_000L : 1_000_000L)) {
                c.appendString(LocalTime.ofNanoOfDay(v * (scale == 3 ? 1_000_000L : 1_000L)).toString());
            } else {
                c.appendLong(v);
            }
        }

        @Override
        void skip(AvroInput in) throws IOException {
            if (isLong) {
                in.in.readLong();
            } else {
                in.in.readInt();
            }
        }
    }

    // ---- complex types --------------------------------------------------------------------------

    static final class ArrayReader extends AvroReader {
        private final AvroReader element;

        ArrayReader(Schema s, AvroReader element) {
            super(s);
            this.element = element;
        }

        @Override
        void read(AvroInput in, Column c) throws IOException, ValueConversionException {
            if (c.wantsRawJson()) {
                readAsJson(in, c);
                return;
            }
            Column elements = c.arrayElements();
            long total = 0;
            int min = element.minBytes();
            for (long n = in.items(in.in.readArrayStart(), min); n != 0; n = in.items(in.in.arrayNext(), min)) {
                for (long i = 0; i < n; i++) {
                    element.readInto(in, elements);
                }
                total += n;
            }
            c.endArray(Math.toIntExact(total));
        }

        @Override
        void skip(AvroInput in) throws IOException {
            int min = element.minBytes();
            // Not skipArray: it jumps over blocks that give their byte size unseen, and their item count
            // must be checked too (readAsJson's generic reader allocates it).
            for (long n = in.items(in.in.readArrayStart(), min); n != 0; n = in.items(in.in.arrayNext(), min)) {
                for (long i = 0; i < n; i++) {
                    element.skip(in);
                }
            }
        }
    }

    static final class MapReader extends AvroReader {
        private final AvroReader value;

        MapReader(Schema s, AvroReader value) {
            super(s);
            this.value = value;
        }

        @Override
        void read(AvroInput in, Column c) throws IOException, ValueConversionException {
            if (c.wantsRawJson()) {
                readAsJson(in, c);
                return;
            }
            Column keys = c.mapKeys();
            Column values = c.mapValues();
            long total = 0;
            int min = 1 + value.minBytes();
            for (long n = in.items(in.in.readMapStart(), min); n != 0; n = in.items(in.in.mapNext(), min)) {
                for (long i = 0; i < n; i++) {
                    Utf8 k = in.readUtf8();
                    keys.appendBytes(k.getBytes(), 0, k.getByteLength());
                    value.readInto(in, values);
                }
                total += n;
            }
            c.endMap(Math.toIntExact(total));
        }

        @Override
        void skip(AvroInput in) throws IOException {
            int min = 1 + value.minBytes();
            for (long n = in.items(in.in.readMapStart(), min); n != 0; n = in.items(in.in.mapNext(), min)) {
                for (long i = 0; i < n; i++) {
                    in.skipString();
                    value.skip(in);
                }
            }
        }
    }

    /** A union: the branch the value names writes into the same column (null → NULL). */
    static final class UnionReader extends AvroReader {
        private final AvroReader[] branches;

        UnionReader(Schema s, AvroReader[] branches) {
            super(s);
            this.branches = branches;
        }

        private int branch(AvroInput in) throws IOException {
            int i = in.in.readIndex();
            if (i < 0 || i >= branches.length) {
                throw new IOException("union " + schema + " has no branch number " + i);
            }
            return i;
        }

        @Override
        void read(AvroInput in, Column c) throws IOException, ValueConversionException {
            int i = branch(in);
            if (!"Variant".equals(c.type().name()) || branches[i] instanceof NullReader) {
                branches[i].readInto(in, c);
                return;
            }
            int k = UnionTypes.variantOf(schema, i, c);
            branches[i].readInto(in, c.variantElement(k));
            c.endVariant(k);
        }

        @Override
        void skip(AvroInput in) throws IOException {
            branches[branch(in)].skip(in);
        }
    }

    /** A nested record: a Tuple whose elements are taken by field name, or by position in an unnamed Tuple. */
    static final class RecordReader extends AvroReader {
        AvroReader[] fields;
        private final String[] names;
        /** Computed on first use (the tree is complete only after compiling); -1 until then. */
        private volatile int minBytes = -1;
        private boolean summing;

        RecordReader(Schema s) {
            super(s);
            List<Schema.Field> f = s.getFields();
            names = new String[f.size()];
            for (int i = 0; i < names.length; i++) {
                names[i] = f.get(i).name();
            }
        }

        @Override
        void read(AvroInput in, Column c) throws IOException, ValueConversionException {
            if (c.tupleSize() == 0 && c.wantsRawJson()) {
                readAsJson(in, c);
                return;
            }
            in.enter();
            try {
                c.beginTuple();
                boolean byName = byName(c);
                for (int i = 0; i < fields.length; i++) {
                    int index = byName ? c.tupleIndex(names[i]) : i < c.tupleSize() ? i : -1;
                    if (index < 0) {
                        fields[i].skip(in);
                    } else {
                        fields[i].readInto(in, c.tupleElement(index));
                    }
                }
                c.endTuple();
            } finally {
                in.leave();
            }
        }

        /** Named tuples take fields by name; a tuple naming none of them takes them by position. */
        private boolean byName(Column c) {
            for (String n : names) {
                if (c.tupleIndex(n) >= 0) {
                    return true;
                }
            }
            return false;
        }

        @Override
        void skip(AvroInput in) throws IOException {
            in.enter();
            try {
                for (AvroReader f : fields) {
                    f.skip(in);
                }
            } finally {
                in.leave();
            }
        }

        /** The sum of the fields' (a record reached again while summing counts as none). */
        @Override
        int minBytes() {
            int m = minBytes;
            if (m < 0) {
                if (summing) {
                    return 0;
                }
                summing = true;
                long sum = 0;
                for (AvroReader f : fields) {
                    sum += f.minBytes();
                }
                summing = false;
                minBytes = m = (int) Math.min(sum, Integer.MAX_VALUE);
            }
            return m;
        }
    }
}
