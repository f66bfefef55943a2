package dev.clickpipes.format.protobuf;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import dev.clickpipes.clickhouse.types.Column;
import dev.clickpipes.clickhouse.types.DataType;
import dev.clickpipes.clickhouse.types.ValueConversionException;
import dev.clickpipes.core.RowBuffer;
import dev.clickpipes.core.spi.DecodeException;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the binary encoding of one message type straight into columns: each field goes to the
 * column of its name (the top-level message) or the Tuple element of its name (a nested one).
 * Compiled once per message type; immutable and shared by every thread.
 *
 * <p>Protobuf writes fields in any order, may repeat them (the last value wins, a repeated field's
 * elements may be spread out, a message given twice is merged), and leaves out fields at their
 * default. So a message is first indexed (where each field's values are), then written field by
 * field in declaration order; no message object is built.
 *
 * <p>Mapping: scalars → numbers, Bool, String (bytes as they are), enums → their name (a number
 * into integer columns), messages → Tuple (or JSON text in JSON and String columns, see
 * {@link MessageJson}), repeated → Array, map fields → Map, a oneof → its set
 * member (the others NULL) and the oneof's own name → the name of the set member,
 * {@code google.protobuf.Timestamp} → DateTime64, {@code Duration} → Interval, Decimal, Float or String, the wrappers ({@code Int64Value} ...) → their value
 * or NULL. A field left out takes its default (0, "", the first enum value), or NULL when the field
 * tracks presence ({@code optional}, messages, oneof members).
 */
final class MessageReader {

    private static final String TIMESTAMP = "google.protobuf.Timestamp";
    private static final String DURATION = "google.protobuf.Duration";
    private static final List<String> WRAPPERS = List.of("google.protobuf.DoubleValue", "google.protobuf.FloatValue",
            "google.protobuf.Int64Value", "google.protobuf.UInt64Value", "google.protobuf.Int32Value",
            "google.protobuf.UInt32Value", "google.protobuf.BoolValue", "google.protobuf.StringValue",
            "google.protobuf.BytesValue");

    private static final long MAX_FIELD_NUMBER = (1 << 29) - 1;

    final Descriptor type;
    final FieldDescriptor[] fields;
    private final String[] names;
    /** Field index by field number: an array when the numbers are small (the usual case), else a map. */
    private final int[] indexByNumber;
    private final Map<Integer, Integer> indexBySparseNumber = new HashMap<>();
    /** Per field, the reader of the message it holds (its map entry for map fields), or null for scalars. */
    final MessageReader[] messages;
    /** The real oneofs (not proto3 {@code optional}'s synthetic ones), as field indexes. */
    private final int[][] oneofs;
    private final String[] oneofNames;
    /** Per field, its oneof's position in {@link #oneofs}, or -1. */
    private final int[] oneofOf;
    /** Per field, the type a Dynamic column keeps for its values ({@link ProtobufInferredType}), or null for none. */
    private final DataType[] valueTypes;

    private MessageReader(Descriptor type) {
        this.type = type;
        List<FieldDescriptor> fs = type.getFields();
        fields = fs.toArray(FieldDescriptor[]::new);
        names = new String[fields.length];
        messages = new MessageReader[fields.length];
        valueTypes = new DataType[fields.length];
        oneofOf = new int[fields.length];
        Arrays.fill(oneofOf, -1);
        int maxNumber = fs.stream().mapToInt(FieldDescriptor::getNumber).max().orElse(0);
        indexByNumber = maxNumber <= 4096 ? new int[maxNumber + 1] : null;
        if (indexByNumber != null) {
            Arrays.fill(indexByNumber, -1);
        }
        for (int i = 0; i < fields.length; i++) {
            names[i] = fields[i].getName().intern(); // RowBuffer looks names up by identity first
            String inferred = ProtobufInferredType.of(fields[i]);
            valueTypes[i] = inferred == null ? null : DataType.parse(inferred);
            if (indexByNumber != null) {
                indexByNumber[fields[i].getNumber()] = i;
            } else {
                indexBySparseNumber.put(fields[i].getNumber(), i);
            }
        }
        List<OneofDescriptor> real = type.getRealOneofs();
        oneofs = new int[real.size()][];
        oneofNames = new String[real.size()];
        for (int k = 0; k < oneofs.length; k++) {
            oneofNames[k] = real.get(k).getName().intern();
            oneofs[k] = real.get(k).getFields().stream().mapToInt(FieldDescriptor::getIndex).toArray();
            for (int i : oneofs[k]) {
                oneofOf[i] = k;
            }
        }
    }

    /** Compiles the reader of a message type and of every message type it holds (recursive ones included). */
    static MessageReader of(Descriptor type) {
        return compile(type, new HashMap<>());
    }

    private static MessageReader compile(Descriptor type, Map<Descriptor, MessageReader> done) {
        MessageReader known = done.get(type);
        if (known != null) {
            return known;
        }
        MessageReader r = new MessageReader(type);
        done.put(type, r);
        for (int i = 0; i < r.fields.length; i++) {
            if (r.fields[i].getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                r.messages[i] = compile(r.fields[i].getMessageType(), done);
            }
        }
        return r;
    }

    // ---- indexing ---------------------------------------------------------------------------------

    /** Where each field's values are in a message's bytes: per field a chain of occurrences, in wire order. */
    static final class Occurrences {
        final int[] first;
        final int[] last;
        int[] next = new int[8];
        int[] start = new int[8];
        int[] end = new int[8];
        int[] wire = new int[8];
        int count;

        Occurrences(int fields) {
            first = new int[fields];
            last = new int[fields];
            Arrays.fill(first, -1);
            Arrays.fill(last, -1);
        }

        void add(int field, int wireType, int from, int to) {
            if (count == next.length) {
                int n = count * 2;
                next = Arrays.copyOf(next, n);
                start = Arrays.copyOf(start, n);
                end = Arrays.copyOf(end, n);
                wire = Arrays.copyOf(wire, n);
            }
            next[count] = -1;
            start[count] = from;
            end[count] = to;
            wire[count] = wireType;
            if (last[field] < 0) {
                first[field] = count;
            } else {
                next[last[field]] = count;
            }
            last[field] = count++;
        }
    }

    /** Indexes {@code data[from, to)} into {@code into} (again for a message given twice: that is a merge). */
    Occurrences index(byte[] data, int from, int to, Occurrences into) throws IOException {
        Occurrences o = into != null ? into : new Occurrences(fields.length);
        Wire w = new Wire(data, from, to);
        while (!w.atEnd()) {
            long tag = w.varint();
            int wireType = (int) (tag & 7);
            long number = tag >>> 3;
            if (number == 0 || number > MAX_FIELD_NUMBER) {
                throw new IOException("field number " + number + " before byte " + w.pos + ": not a " + type.getFullName()
                        + " message");
            }
            int field = fieldIndex((int) number);
            int valueStart = w.pos;
            if (wireType == Wire.LEN) {
                int n = w.length();
                valueStart = w.pos;
                w.pos += n;
            } else {
                w.skip(wireType);
            }
            if (field >= 0 && wireType != Wire.START_GROUP) {
                o.add(field, wireType, valueStart, w.pos);
            }
        }
        return o;
    }

    private int fieldIndex(int number) {
        if (indexByNumber != null) {
            return number < indexByNumber.length ? indexByNumber[number] : -1;
        }
        return indexBySparseNumber.getOrDefault(number, -1);
    }

    // ---- writing ------------------------------------------------------------------------------

    /** Where a field's value goes: a column, or null when no column takes it. */
    private interface Targets {
        Column column(String name) throws DecodeException;
    }

    /** Reads one top-level message into a row. */
    void readRow(byte[] data, int from, int to, RowBuffer rows) throws DecodeException, IOException {
        Occurrences o = index(data, from, to, null);
        rows.beginRow();
        write(data, o, rows::field);
        rows.endRow();
    }

    private void write(byte[] data, Occurrences o, Targets targets) throws DecodeException, IOException {
        for (int i = 0; i < fields.length; i++) {
            Column c = targets.column(names[i]);
            if (c == null) {
                continue;
            }
            try {
                writeField(i, data, o, c);
            } catch (ValueConversionException e) {
                throw e;
            } catch (IOException | RuntimeException | DecodeException e) {
                throw new IOException("field `" + names[i] + "`: " + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
            }
        }
        for (int k = 0; k < oneofs.length; k++) {
            Column c = targets.column(oneofNames[k]);
            if (c != null) {
                int set = setMember(k, o);
                if (set < 0) {
                    c.appendNull();
                } else {
                    c.appendString(names[set]);
                }
            }
        }
    }

    /** The member of a oneof that is set: the one given last on the wire, or -1. */
    private int setMember(int oneof, Occurrences o) {
        int set = -1;
        for (int i : oneofs[oneof]) {
            if (o.last[i] >= 0 && (set < 0 || o.last[i] > o.last[set])) {
                set = i;
            }
        }
        return set;
    }

    private void writeField(int i, byte[] data, Occurrences o, Column c) throws DecodeException, IOException {
        if (valueTypes[i] != null && c.keepsValueTypes()) {
            writeTyped(i, data, o, c);
            return;
        }
        FieldDescriptor f = fields[i];
        if (f.isRepeated() && c.wantsRawJson()) {
            c.appendString(MessageJson.field(this, i, data, o));
        } else if (f.isMapField()) {
            writeMap(i, data, o, c);
        } else if (f.isRepeated()) {
            writeRepeated(i, data, o, c);
        } else if (o.last[i] < 0 || oneofOf[i] >= 0 && setMember(oneofOf[i], o) != i) {
            if (f.hasPresence()) {
                c.appendNull();
            } else {
                writeDefault(f, c);
            }
        } else if (messages[i] != null) {
            MessageReader m = messages[i];
            Occurrences merged = null;
            for (int k = o.first[i]; k >= 0; k = o.next[k]) {
                checkWireType(f, o.wire[k]);
                merged = m.index(data, o.start[k], o.end[k], merged);
            }
            m.writeMessage(data, merged, c);
        } else {
            int k = o.last[i];
            checkWireType(f, o.wire[k]);
            readScalar(f, new Wire(data, o.start[k], o.end[k]), c);
        }
    }

    /** Field {@code i} into a column that {@link Column#keepsValueTypes} (Dynamic): as a value of its inferred type. */
    private void writeTyped(int i, byte[] data, Occurrences o, Column c) throws DecodeException, IOException {
        writeAs(valueTypes[i], c, typed -> writeField(i, data, o, typed));
    }

    /** A write of one value into a column, which may fail as a reader of this message does. */
    @FunctionalInterface
    private interface MessageWrite {
        void into(Column c) throws DecodeException, IOException;
    }

    /**
     * One value into {@code c}: as a value of {@code type} ({@link Column#appendTyped}) where the type is known, else as
     * it is. {@code type} is null where no type was inferred: a well-known type, a recursive message.
     */
    private static void writeAs(DataType type, Column c, MessageWrite write) throws DecodeException, IOException {
        if (type == null) {
            write.into(c);
            return;
        }
        try {
            c.appendTyped(type, typed -> {
                try {
                    write.into(typed);
                } catch (DecodeException e) {
                    throw new CarriedDecodeException(e); // a write passes one checked type through: IOException
                }
            });
        } catch (CarriedDecodeException e) {
            throw (DecodeException) e.getCause();
        }
    }

    /** A {@link DecodeException} carried out of a {@link Column.ValueWrite}, which passes IOException through. */
    private static final class CarriedDecodeException extends RuntimeException {
        CarriedDecodeException(DecodeException cause) {
            super(cause);
        }
    }

    /** A value given with another wire type than its field's is another message's, not a value to guess at. */
    private static void checkWireType(FieldDescriptor f, int wireType) throws IOException {
        int expected = f.getLiteType().getWireType();
        if (wireType != expected) {
            throw new IOException("wire type " + wireType + " where a " + f.getType().name().toLowerCase(java.util.Locale.ROOT)
                    + " has wire type " + expected + ": the message is not a " + f.getContainingType().getFullName());
        }
    }

    private void writeRepeated(int i, byte[] data, Occurrences o, Column c) throws DecodeException, IOException {
        FieldDescriptor f = fields[i];
        Column elements = c.arrayElements();
        // into Array(Dynamic): each element as a value of the field's element type, as the engine keeps it
        DataType elementType = elements.keepsValueTypes() && valueTypes[i] != null ? valueTypes[i].argument(0) : null;
        int count = 0;
        for (int k = o.first[i]; k >= 0; k = o.next[k]) {
            if (messages[i] != null) {
                checkWireType(f, o.wire[k]);
                MessageReader m = messages[i];
                Occurrences element = m.index(data, o.start[k], o.end[k], null);
                writeAs(elementType, elements, e -> m.writeMessage(data, element, e));
                count++;
            } else if (o.wire[k] == Wire.LEN && f.isPackable()) {
                Wire w = new Wire(data, o.start[k], o.end[k]);
                while (!w.atEnd()) {
                    writeAs(elementType, elements, e -> readScalar(f, w, e));
                    count++;
                }
            } else {
                checkWireType(f, o.wire[k]);
                Wire w = new Wire(data, o.start[k], o.end[k]);
                writeAs(elementType, elements, e -> readScalar(f, w, e));
                count++;
            }
        }
        c.endArray(count);
    }

    private void writeMap(int i, byte[] data, Occurrences o, Column c) throws DecodeException, IOException {
        MessageReader entry = messages[i];
        Column keys = c.mapKeys();
        Column values = c.mapValues();
        int count = 0;
        for (int k = o.first[i]; k >= 0; k = o.next[k]) {
            checkWireType(fields[i], o.wire[k]);
            Occurrences e = entry.index(data, o.start[k], o.end[k], null);
            entry.writeField(0, data, e, keys);
            entry.writeField(1, data, e, values);
            count++;
        }
        c.endMap(count);
    }

    /** A message into a column: Timestamp, Duration ({@link DurationValue}), a wrapper, or a Tuple taking its fields by name (else by position). */
    void writeMessage(byte[] data, Occurrences o, Column c) throws DecodeException, IOException {
        String name = type.getFullName();
        if (name.equals(TIMESTAMP)) {
            long seconds = varintField(data, o, 0);
            int nanos = (int) varintField(data, o, 1);
            if ("String".equals(target(c))) {
                c.appendString(Instant.ofEpochSecond(seconds, nanos).toString());
            } else {
                c.appendInstant(seconds, nanos);
            }
            return;
        }
        if (name.equals(DURATION) && c.tupleSize() == 0) {
            DurationValue.write(varintField(data, o, 0), (int) varintField(data, o, 1), c, target(c));
            return;
        }
        if (isWrapper(type)) {
            writeField(0, data, o, c);
            return;
        }
        if (c.tupleSize() == 0) {
            if (!c.wantsRawJson()) {
                throw new IOException("a " + name + " message goes into a Tuple column (with elements named as its "
                        + "fields), a JSON or a String column; column " + c.name() + " is " + c.type().text());
            }
            c.appendString(MessageJson.of(this, data, o));
            return;
        }
        c.beginTuple();
        boolean byName = false;
        for (String n : names) {
            byName |= c.tupleIndex(n) >= 0;
        }
        if (byName) {
            write(data, o, n -> {
                int index = c.tupleIndex(n);
                return index < 0 ? null : c.tupleElement(index);
            });
        } else {
            int[] position = {0};
            write(data, o, n -> position[0] < c.tupleSize() ? c.tupleElement(position[0]++) : null);
        }
        c.endTuple();
    }

    /** The last value of the field at this index (a varint: Timestamp's and Duration's seconds and nanos), 0 when absent. */
    private static long varintField(byte[] data, Occurrences o, int index) throws IOException {
        return o.last[index] < 0 ? 0 : new Wire(data, o.start[o.last[index]], o.end[o.last[index]]).varint();
    }

    /** {@code google.protobuf.Int64Value} and its kin: a message around one value, for a nullable one. */
    static boolean isWrapper(Descriptor d) {
        return WRAPPERS.contains(d.getFullName());
    }

    // ---- scalars --------------------------------------------------------------------------------

    /** Reads one scalar value at the cursor (moving past it) into the column. */
    private static void readScalar(FieldDescriptor f, Wire w, Column c) throws IOException, ValueConversionException {
        switch (f.getType()) {
            case INT32 -> c.appendLong((int) w.varint());
            case INT64 -> c.appendLong(w.varint());
            case UINT32 -> c.appendLong(w.varint() & 0xffffffffL);
            case UINT64 -> appendUnsigned(w.varint(), c);
            case SINT32 -> c.appendLong((int) Wire.zigZag(w.varint() & 0xffffffffL));
            case SINT64 -> c.appendLong(Wire.zigZag(w.varint()));
            case FIXED32 -> c.appendLong(w.fixed32() & 0xffffffffL);
            case FIXED64 -> appendUnsigned(w.fixed64(), c);
            case SFIXED32 -> c.appendLong(w.fixed32());
            case SFIXED64 -> c.appendLong(w.fixed64());
            case BOOL -> c.appendBoolean(w.varint() != 0);
            case FLOAT -> c.appendFloat(Float.intBitsToFloat(w.fixed32()));
            case DOUBLE -> c.appendDouble(Double.longBitsToDouble(w.fixed64()));
            case STRING, BYTES -> {
                c.appendBytes(w.data, w.pos, w.end - w.pos);
                w.pos = w.end;
            }
            case ENUM -> appendEnum(f, (int) w.varint(), c);
            default -> throw new IOException("type " + f.getType() + " is not a scalar");
        }
    }

    private static void appendUnsigned(long v, Column c) throws ValueConversionException {
        if (v >= 0) {
            c.appendLong(v);
        } else {
            c.appendBigInteger(new BigInteger(Long.toUnsignedString(v)));
        }
    }

    /** An enum: its number into integer columns, its name elsewhere (a number the type lacks, as text). */
    private static void appendEnum(FieldDescriptor f, int number, Column c) throws ValueConversionException {
        String t = target(c);
        if (t.startsWith("Int") || t.startsWith("UInt")) {
            c.appendLong(number);
            return;
        }
        EnumValueDescriptor v = f.getEnumType().findValueByNumber(number);
        c.appendString(v != null ? v.getName() : Integer.toString(number));
    }

    /** A field left out of the message: its default (proto2's declared one, else the type's zero). */
    private static void writeDefault(FieldDescriptor f, Column c) throws ValueConversionException {
        Object d = f.getDefaultValue();
        switch (f.getType()) {
            case UINT32, FIXED32 -> c.appendLong(((Integer) d) & 0xffffffffL);
            case UINT64, FIXED64 -> appendUnsigned((Long) d, c);
            case BOOL -> c.appendBoolean((Boolean) d);
            case FLOAT -> c.appendFloat((Float) d);
            case DOUBLE -> c.appendDouble((Double) d);
            case STRING -> c.appendString((String) d);
            case BYTES -> {
                byte[] b = ((ByteString) d).toByteArray();
                c.appendBytes(b, 0, b.length);
            }
            case ENUM -> appendEnum(f, ((EnumValueDescriptor) d).getNumber(), c);
            default -> c.appendLong(((Number) d).longValue());
        }
    }

    /** The column's type name, under Nullable. */
    private static String target(Column c) {
        var t = c.type();
        return "Nullable".equals(t.name()) ? t.argument(0).name() : t.name();
    }
}
