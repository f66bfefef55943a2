package dev.clickpipes.format.parquet;

import dev.clickpipes.clickhouse.types.TypeText;
import dev.clickpipes.format.parquet.FieldType.Kind;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Assembles parquet-java's column values into one Object[] per row, with the values described in
 * {@link FieldType.Kind}. Follows the Parquet spec's rules for lists (three-level, and the legacy
 * two-level forms), maps (MAP and MAP_KEY_VALUE, with or without values) and unannotated repeated
 * fields (lists of required elements). Dictionary-encoded byte arrays are converted once per
 * dictionary entry, not once per value.
 */
final class RowAssembler extends RecordMaterializer<Object[]> {

    private static final long JULIAN_EPOCH_DAY = 2_440_588L;
    private static final BigDecimal SECONDS_PER_DAY = BigDecimal.valueOf(86_400);

    private final FieldType[] fields;
    private final Root root;

    RowAssembler(MessageType schema) {
        root = new Root(schema);
        fields = root.types;
    }

    /** The top-level fields, in the file's order. */
    FieldType[] fields() {
        return fields;
    }

    @Override
    public Object[] getCurrentRecord() {
        return root.current;
    }

    @Override
    public GroupConverter getRootConverter() {
        return root;
    }

    // ---- where a converted value goes ---------------------------------------------------------

    /** Receives one converted value. */
    private interface Slot {
        void set(Object value);
    }

    /** Holds the value array of the record or struct being assembled. */
    private abstract static class Members extends GroupConverter {
        Object[] current;
        final Converter[] converters;
        final FieldType[] types;

        Members(GroupType group) {
            int n = group.getFieldCount();
            converters = new Converter[n];
            types = new FieldType[n];
            for (int i = 0; i < n; i++) {
                Type member = group.getType(i);
                int index = i;
                Slot slot = member.isRepetition(Type.Repetition.REPEATED)
                        ? value -> append(index, value) // unannotated repeated field: a list
                        : value -> current[index] = value;
                Node node = node(member, slot, member.isRepetition(Type.Repetition.REPEATED));
                converters[i] = node.converter;
                types[i] = node.type;
            }
        }

        @SuppressWarnings("unchecked")
        private void append(int index, Object value) {
            Object list = current[index];
            if (list == null) {
                list = new ArrayList<>();
                current[index] = list;
            }
            ((List<Object>) list).add(value);
        }

        @Override
        public Converter getConverter(int fieldIndex) {
            return converters[fieldIndex];
        }
    }

    private static final class Root extends Members {
        Root(MessageType schema) {
            super(schema);
        }

        @Override
        public void start() {
            current = new Object[converters.length];
        }

        @Override
        public void end() {
        }
    }

    private static final class Struct extends Members {
        private final Slot out;

        Struct(GroupType group, Slot out) {
            super(group);
            this.out = out;
        }

        @Override
        public void start() {
            current = new Object[converters.length];
        }

        @Override
        public void end() {
            out.set(current);
        }
    }

    /** A LIST-annotated group; its one repeated child yields the elements. */
    private static final class ListGroup extends GroupConverter {
        private final Slot out;
        private final Converter repeated;
        private List<Object> list;

        ListGroup(Slot out, Type repeatedType, Type element, boolean threeLevel) {
            this.out = out;
            Slot add = value -> list.add(value);
            repeated = threeLevel
                    ? new Element(repeatedType.asGroupType(), element, add)
                    : node(element, add, false).converter;
        }

        @Override
        public Converter getConverter(int fieldIndex) {
            return repeated;
        }

        @Override
        public void start() {
            list = new ArrayList<>();
        }

        @Override
        public void end() {
            out.set(list);
        }
    }

    /** The repeated middle level of a three-level list: one element each time, null when absent. */
    private static final class Element extends GroupConverter {
        private final Converter element;
        private final Slot add;
        private Object value;

        Element(GroupType repeated, Type elementType, Slot add) {
            this.add = add;
            this.element = node(elementType, v -> value = v, false).converter;
        }

        @Override
        public Converter getConverter(int fieldIndex) {
            return element;
        }

        @Override
        public void start() {
            value = null;
        }

        @Override
        public void end() {
            add.set(value);
        }
    }

    /** A MAP group; its repeated key_value child yields the entries. */
    private static final class MapGroup extends GroupConverter {
        private final Slot out;
        private final KeyValue entries;
        private List<Object> keys;
        private List<Object> values;

        MapGroup(GroupType keyValue, Slot out) {
            this.out = out;
            this.entries = new KeyValue(keyValue);
        }

        @Override
        public Converter getConverter(int fieldIndex) {
            return entries;
        }

        @Override
        public void start() {
            keys = new ArrayList<>();
            values = new ArrayList<>();
        }

        @Override
        public void end() {
            out.set(new FieldType.MapValue(keys, values));
        }

        private final class KeyValue extends GroupConverter {
            private final Converter[] converters;
            private Object key;
            private Object value;

            KeyValue(GroupType group) {
                converters = new Converter[group.getFieldCount()];
                converters[0] = node(group.getType(0), v -> key = v, false).converter;
                if (converters.length > 1) {
                    converters[1] = node(group.getType(1), v -> value = v, false).converter;
                }
            }

            @Override
            public Converter getConverter(int fieldIndex) {
                return converters[fieldIndex];
            }

            @Override
            public void start() {
                key = null;
                value = null;
            }

            @Override
            public void end() {
                keys.add(key);
                values.add(value);
            }
        }
    }

    // ---- building the tree --------------------------------------------------------------------

    /** A field's converter and the type of the values it yields. */
    private record Node(Converter converter, FieldType type) {
    }

    /**
     * The converter and type for {@code type}, writing into {@code out}. When {@code listOfSelf},
     * the field is an unannotated repeated one: its values are elements, so its type is a LIST.
     */
    private static Node node(Type type, Slot out, boolean listOfSelf) {
        Node single = type.isPrimitive() ? primitive(type.asPrimitiveType(), out) : group(type.asGroupType(), out);
        if (!listOfSelf) {
            return single;
        }
        FieldType list = new FieldType(type.getName(), Kind.LIST, 0, new FieldType[]{single.type},
                "repeated " + single.type.parquetType, InferredType.array(single.type.clickHouseType));
        return new Node(single.converter, list);
    }

    private static Node group(GroupType group, Slot out) {
        LogicalTypeAnnotation logical = group.getLogicalTypeAnnotation();
        if (logical instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation && isListShape(group)) {
            Type repeated = group.getType(0);
            boolean threeLevel = !repeated.isPrimitive() && repeated.asGroupType().getFieldCount() == 1
                    && !repeated.getName().equals("array") && !repeated.getName().equals(group.getName() + "_tuple");
            Type element = threeLevel ? repeated.asGroupType().getType(0) : repeated;
            ListGroup converter = new ListGroup(out, repeated, element, threeLevel);
            FieldType elementType = node(element, v -> { }, false).type;
            return new Node(converter, new FieldType(group.getName(), Kind.LIST, 0, new FieldType[]{elementType},
                    "LIST<" + elementType.parquetType + ">", InferredType.array(InferredType.member(element, elementType))));
        }
        if ((logical instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation
                || logical instanceof LogicalTypeAnnotation.MapKeyValueTypeAnnotation) && isMapShape(group)) {
            GroupType keyValue = group.getType(0).asGroupType();
            FieldType key = node(keyValue.getType(0), v -> { }, false).type;
            FieldType value = keyValue.getFieldCount() > 1 ? node(keyValue.getType(1), v -> { }, false).type : null;
            return new Node(new MapGroup(keyValue, out), new FieldType(group.getName(), Kind.MAP, 0,
                    new FieldType[]{key, value}, "MAP<" + key.parquetType + ", "
                    + (value == null ? "(none)" : value.parquetType) + ">",
                    InferredType.map(key.clickHouseType, InferredType.member(keyValue.getType(1), value))));
        }
        Struct struct = new Struct(group, out);
        StringBuilder text = new StringBuilder("STRUCT<");
        List<String> names = new ArrayList<>();
        List<String> members = new ArrayList<>();
        for (int i = 0; i < struct.types.length; i++) {
            FieldType t = struct.types[i];
            text.append(i > 0 ? ", " : "").append(t.name).append(' ').append(t.parquetType);
            names.add(t.name);
            members.add(InferredType.member(group.getType(i), t, group.isRepetition(Type.Repetition.OPTIONAL)));
        }
        return new Node(struct, new FieldType(group.getName(), Kind.STRUCT, 0, struct.types, text + ">",
                TypeText.tuple(names, members)));
    }

    private static boolean isListShape(GroupType group) {
        return group.getFieldCount() == 1 && group.getType(0).isRepetition(Type.Repetition.REPEATED);
    }

    private static boolean isMapShape(GroupType group) {
        if (group.getFieldCount() != 1 || !group.getType(0).isRepetition(Type.Repetition.REPEATED)
                || group.getType(0).isPrimitive()) {
            return false;
        }
        // A map without values (key_value with only a key) is read as a struct of a list, as ClickHouse does.
        return group.getType(0).asGroupType().getFieldCount() == 2;
    }

    /**
     * The converter of one primitive column that hands each of its values, as a row would hold it,
     * to {@code out}: for {@link FlatColumns}, which keeps the values of a top-level column apart
     * from any row.
     */
    static PrimitiveConverter primitiveConverter(PrimitiveType type, java.util.function.Consumer<Object> out) {
        return primitive(type, out::accept).converter().asPrimitiveConverter();
    }

    /** The type of the values {@code type}'s column yields, as {@link #fields()} gives it for a top-level field. */
    static FieldType primitiveType(PrimitiveType type) {
        return primitive(type, v -> { }).type();
    }

    private static Node primitive(PrimitiveType type, Slot out) {
        LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
        String text = type.getPrimitiveTypeName() + (logical == null ? "" : " " + logical);
        String name = type.getName();
        switch (type.getPrimitiveTypeName()) {
            case BOOLEAN:
                return new Node(new Primitive(out) {
                    @Override
                    public void addBoolean(boolean value) {
                        out.set(value);
                    }
                }, new FieldType(name, Kind.BOOLEAN, 0, null, text, InferredType.of(type)));
            case FLOAT:
                return new Node(new Primitive(out) {
                    @Override
                    public void addFloat(float value) {
                        out.set(value);
                    }
                }, new FieldType(name, Kind.FLOAT, 0, null, text, InferredType.of(type)));
            case DOUBLE:
                return new Node(new Primitive(out) {
                    @Override
                    public void addDouble(double value) {
                        out.set(value);
                    }
                }, new FieldType(name, Kind.FLOAT, 0, null, text, InferredType.of(type)));
            case INT32:
                return int32(type, logical, out, text);
            case INT64:
                return int64(type, logical, out, text);
            case INT96:
                return new Node(new BinaryValues(out, RowAssembler::int96),
                        new FieldType(name, Kind.INT96, 9, null, text, InferredType.of(type)));
            case BINARY:
            case FIXED_LEN_BYTE_ARRAY:
            default:
                return binary(type, logical, out, text);
        }
    }

    private static Node int32(PrimitiveType type, LogicalTypeAnnotation logical, Slot out, String text) {
        String name = type.getName();
        if (logical instanceof DecimalLogicalTypeAnnotation d) {
            int scale = d.getScale();
            return new Node(new Primitive(out) {
                @Override
                public void addInt(int value) {
                    out.set(BigDecimal.valueOf(value, scale));
                }
            }, new FieldType(name, Kind.DECIMAL, scale, null, text, InferredType.of(type)));
        }
        Kind kind = Kind.INT;
        int scale = 0;
        if (logical instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
            kind = Kind.DATE;
        } else if (logical instanceof TimeLogicalTypeAnnotation) {
            kind = Kind.TIME;
            scale = 3;
        }
        boolean unsigned = logical instanceof IntLogicalTypeAnnotation i && !i.isSigned();
        return new Node(unsigned ? new Primitive(out) {
            @Override
            public void addInt(int value) {
                out.set(Integer.toUnsignedLong(value));
            }
        } : new Primitive(out) {
            @Override
            public void addInt(int value) {
                out.set((long) value);
            }
        }, new FieldType(name, kind, scale, null, text, InferredType.of(type)));
    }

    private static Node int64(PrimitiveType type, LogicalTypeAnnotation logical, Slot out, String text) {
        String name = type.getName();
        if (logical instanceof DecimalLogicalTypeAnnotation d) {
            int scale = d.getScale();
            return new Node(new Primitive(out) {
                @Override
                public void addLong(long value) {
                    out.set(BigDecimal.valueOf(value, scale));
                }
            }, new FieldType(name, Kind.DECIMAL, scale, null, text, InferredType.of(type)));
        }
        Kind kind = Kind.INT;
        int scale = 0;
        if (logical instanceof TimestampLogicalTypeAnnotation t) {
            kind = Kind.TIMESTAMP;
            scale = digits(t.getUnit());
        } else if (logical instanceof TimeLogicalTypeAnnotation t) {
            kind = Kind.TIME;
            scale = digits(t.getUnit());
        } else if (logical instanceof IntLogicalTypeAnnotation i && !i.isSigned()) {
            kind = Kind.UINT64;
        }
        return new Node(new Primitive(out) {
            @Override
            public void addLong(long value) {
                out.set(value);
            }
        }, new FieldType(name, kind, scale, null, text, InferredType.of(type)));
    }

    private static int digits(LogicalTypeAnnotation.TimeUnit unit) {
        return switch (unit) {
            case MILLIS -> 3;
            case MICROS -> 6;
            case NANOS -> 9;
        };
    }

    private static Node binary(PrimitiveType type, LogicalTypeAnnotation logical, Slot out, String text) {
        String name = type.getName();
        if (logical instanceof DecimalLogicalTypeAnnotation d) {
            int scale = d.getScale();
            return new Node(new BinaryValues(out, b -> decimal(b, scale)),
                    new FieldType(name, Kind.DECIMAL, scale, null, text, InferredType.of(type)));
        }
        if (logical instanceof LogicalTypeAnnotation.Float16LogicalTypeAnnotation) {
            return new Node(new BinaryValues(out, RowAssembler::float16), new FieldType(name, Kind.FLOAT, 0, null, text, InferredType.of(type)));
        }
        Kind kind;
        if (logical instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
                || logical instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
                || logical instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation) {
            kind = Kind.STRING;
        } else if (logical instanceof LogicalTypeAnnotation.UUIDLogicalTypeAnnotation) {
            kind = Kind.UUID;
        } else {
            kind = Kind.BYTES;
        }
        return new Node(new BinaryValues(out, Binary::getBytes), new FieldType(name, kind, 0, null, text, InferredType.of(type)));
    }

    /**
     * A big-endian two's-complement unscaled value; up to 8 bytes (every Decimal up to 18 digits)
     * straight into a long, without copying the bytes or building a BigInteger.
     */
    static BigDecimal decimal(Binary value, int scale) {
        int n = value.length();
        if (n == 0 || n > 8) {
            return new BigDecimal(new BigInteger(value.getBytes()), scale);
        }
        ByteBuffer b = value.toByteBuffer();
        int p = b.position();
        long v = b.get(p); // the sign byte, sign-extended
        for (int i = 1; i < n; i++) {
            v = v << 8 | (b.get(p + i) & 0xFF);
        }
        return BigDecimal.valueOf(v, scale);
    }

    /** INT96: 8 bytes of nanoseconds in the day, then 4 of the Julian day, little-endian. */
    private static Object int96(Binary value) {
        ByteBuffer buf = value.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        long nanos = buf.getLong(buf.position());
        long julianDay = Integer.toUnsignedLong(buf.getInt(buf.position() + 8));
        return BigDecimal.valueOf(julianDay - JULIAN_EPOCH_DAY).multiply(SECONDS_PER_DAY)
                .add(BigDecimal.valueOf(nanos, 9));
    }

    /** IEEE 754 half precision, little-endian, to a float (Float.float16ToFloat is Java 20+). */
    private static Object float16(Binary value) {
        byte[] b = value.getBytes();
        int bits = (b[0] & 0xFF) | (b[1] & 0xFF) << 8;
        int sign = bits >>> 15;
        int exponent = (bits >>> 10) & 0x1F;
        int mantissa = bits & 0x3FF;
        float magnitude;
        if (exponent == 0) {
            magnitude = mantissa * 0x1p-24f;
        } else if (exponent == 0x1F) {
            magnitude = mantissa == 0 ? Float.POSITIVE_INFINITY : Float.NaN;
        } else {
            magnitude = Float.intBitsToFloat((exponent + 112) << 23 | mantissa << 13);
        }
        return sign == 0 ? magnitude : -magnitude;
    }

    /** A primitive converter that sends its values to a slot. */
    private abstract static class Primitive extends PrimitiveConverter {
        final Slot out;

        Primitive(Slot out) {
            this.out = out;
        }
    }

    /** Converts a byte array once per value, or once per dictionary entry when the page is dictionary-encoded. */
    private static final class BinaryValues extends Primitive {
        private final java.util.function.Function<Binary, Object> convert;
        private Object[] dictionary;

        BinaryValues(Slot out, java.util.function.Function<Binary, Object> convert) {
            super(out);
            this.convert = convert;
        }

        @Override
        public boolean hasDictionarySupport() {
            return true;
        }

        @Override
        public void setDictionary(Dictionary dict) {
            dictionary = new Object[dict.getMaxId() + 1];
            long total = 0;
            for (int i = 0; i < dictionary.length; i++) {
                Binary b = dict.decodeToBinary(i);
                // parquet-java takes an entry's length as the page gives it, unchecked: check it before copying
                total += b.length();
                if (b.length() < 0 || total > ParquetCodecs.MAX_PAGE_BYTES) {
                    throw new org.apache.parquet.io.ParquetDecodingException("dictionary entry " + i + " of "
                            + b.length() + " bytes: the entries pass the " + ParquetCodecs.MAX_PAGE_BYTES
                            + " bytes a page may hold");
                }
                b.toByteBuffer(); // a view, no copy: throws when the entry runs past the page's bytes
                dictionary[i] = convert.apply(b);
            }
        }

        @Override
        public void addValueFromDictionary(int dictionaryId) {
            out.set(dictionary[dictionaryId]);
        }

        @Override
        public void addBinary(Binary value) {
            out.set(convert.apply(value));
        }
    }
}
