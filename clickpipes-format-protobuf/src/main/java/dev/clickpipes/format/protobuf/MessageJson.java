package dev.clickpipes.format.protobuf;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

/**
 * A message as JSON text, for String and JSON columns: the fields the message has, by their
 * {@code .proto} names (as columns map them); 64-bit integers as numbers (a JSON column keeps them
 * exact), bytes as base64, enums by name, repeated fields as arrays, map fields as objects.
 * {@code Timestamp} is RFC 3339 text, the wrappers their value, {@code Struct}, {@code Value} and
 * {@code ListValue} the JSON they stand for.
 */
final class MessageJson {

    private static final JsonFactory JSON = new JsonFactory();

    private MessageJson() {
    }

    /** The message whose fields {@code o} indexes. */
    static String of(MessageReader m, byte[] data, MessageReader.Occurrences o) throws IOException {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            message(m, data, o, g);
        }
        return out.toString();
    }

    /** Field {@code i} of the message {@code o} indexes: a repeated field's array, a map field's object. */
    static String field(MessageReader m, int i, byte[] data, MessageReader.Occurrences o) throws IOException {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            value(m, i, data, o, g);
        }
        return out.toString();
    }

    private static void message(MessageReader m, byte[] data, MessageReader.Occurrences o, JsonGenerator g)
            throws IOException {
        switch (m.type.getFullName()) {
            case "google.protobuf.Timestamp" -> {
                long seconds = o.last[0] < 0 ? 0 : wire(data, o, o.last[0]).varint();
                int nanos = o.last[1] < 0 ? 0 : (int) wire(data, o, o.last[1]).varint();
                g.writeString(Instant.ofEpochSecond(seconds, nanos).toString());
                return;
            }
            case "google.protobuf.Struct" -> {
                value(m, 0, data, o, g); // map<string, Value> fields = 1
                return;
            }
            case "google.protobuf.ListValue" -> {
                value(m, 0, data, o, g); // repeated Value values = 1
                return;
            }
            case "google.protobuf.Value" -> {
                int set = -1;
                for (int i = 0; i < m.fields.length; i++) {
                    if (o.last[i] >= 0 && (set < 0 || o.last[i] > o.last[set])) {
                        set = i;
                    }
                }
                if (set < 0 || m.fields[set].getName().equals("null_value")) {
                    g.writeNull();
                } else {
                    value(m, set, data, o, g);
                }
                return;
            }
            default -> {
                if (MessageReader.isWrapper(m.type)) {
                    value(m, 0, data, o, g);
                    return;
                }
            }
        }
        g.writeStartObject();
        for (int i = 0; i < m.fields.length; i++) {
            if (o.last[i] >= 0) {
                g.writeFieldName(m.fields[i].getName());
                value(m, i, data, o, g);
            }
        }
        g.writeEndObject();
    }

    /** Field {@code i}'s value: an array when repeated, an object when a map, else its last occurrence. */
    private static void value(MessageReader m, int i, byte[] data, MessageReader.Occurrences o, JsonGenerator g)
            throws IOException {
        FieldDescriptor f = m.fields[i];
        MessageReader nested = m.messages[i];
        if (f.isMapField()) {
            g.writeStartObject();
            for (int k = o.first[i]; k >= 0; k = o.next[k]) {
                MessageReader.Occurrences e = nested.index(data, o.start[k], o.end[k], null);
                g.writeFieldName(e.last[0] < 0 ? "" : keyText(nested.fields[0], wire(data, e, e.last[0])));
                if (e.last[1] < 0) {
                    g.writeNull();
                } else {
                    value(nested, 1, data, e, g);
                }
            }
            g.writeEndObject();
        } else if (f.isRepeated()) {
            g.writeStartArray();
            for (int k = o.first[i]; k >= 0; k = o.next[k]) {
                if (nested != null) {
                    message(nested, data, nested.index(data, o.start[k], o.end[k], null), g);
                } else if (o.wire[k] == Wire.LEN && f.isPackable()) {
                    Wire w = wire(data, o, k);
                    while (!w.atEnd()) {
                        scalar(f, w, g);
                    }
                } else {
                    scalar(f, wire(data, o, k), g);
                }
            }
            g.writeEndArray();
        } else if (nested != null) {
            MessageReader.Occurrences merged = null;
            for (int k = o.first[i]; k >= 0; k = o.next[k]) {
                merged = nested.index(data, o.start[k], o.end[k], merged);
            }
            message(nested, data, merged != null ? merged : new MessageReader.Occurrences(nested.fields.length), g);
        } else {
            scalar(f, wire(data, o, o.last[i]), g);
        }
    }

    private static Wire wire(byte[] data, MessageReader.Occurrences o, int k) {
        return new Wire(data, o.start[k], o.end[k]);
    }

    private static void scalar(FieldDescriptor f, Wire w, JsonGenerator g) throws IOException {
        switch (f.getType()) {
            case INT32 -> g.writeNumber((int) w.varint());
            case INT64 -> g.writeNumber(w.varint());
            case UINT32 -> g.writeNumber(w.varint() & 0xffffffffL);
            case UINT64 -> unsigned(w.varint(), g);
            case SINT32 -> g.writeNumber((int) Wire.zigZag(w.varint() & 0xffffffffL));
            case SINT64 -> g.writeNumber(Wire.zigZag(w.varint()));
            case FIXED32 -> g.writeNumber(w.fixed32() & 0xffffffffL);
            case FIXED64 -> unsigned(w.fixed64(), g);
            case SFIXED32 -> g.writeNumber(w.fixed32());
            case SFIXED64 -> g.writeNumber(w.fixed64());
            case BOOL -> g.writeBoolean(w.varint() != 0);
            case FLOAT -> number(Float.intBitsToFloat(w.fixed32()), g);
            case DOUBLE -> number(Double.longBitsToDouble(w.fixed64()), g);
            case STRING -> {
                g.writeString(new String(w.data, w.pos, w.end - w.pos, StandardCharsets.UTF_8));
                w.pos = w.end;
            }
            case BYTES -> {
                g.writeString(Base64.getEncoder().encodeToString(Arrays.copyOfRange(w.data, w.pos, w.end)));
                w.pos = w.end;
            }
            case ENUM -> {
                int n = (int) w.varint();
                EnumValueDescriptor v = f.getEnumType().findValueByNumber(n);
                if (v == null) {
                    g.writeNumber(n);
                } else {
                    g.writeString(v.getName());
                }
            }
            default -> throw new IOException("type " + f.getType() + " is not a scalar");
        }
    }

    private static void number(double v, JsonGenerator g) throws IOException {
        if (Double.isFinite(v)) {
            g.writeNumber(v);
        } else {
            g.writeString(Double.toString(v)); // as protobuf's JSON mapping: "NaN", "Infinity"
        }
    }

    private static void number(float v, JsonGenerator g) throws IOException {
        if (Float.isFinite(v)) {
            g.writeNumber(v);
        } else {
            g.writeString(Float.toString(v));
        }
    }

    private static void unsigned(long v, JsonGenerator g) throws IOException {
        if (v >= 0) {
            g.writeNumber(v);
        } else {
            g.writeNumber(new BigInteger(Long.toUnsignedString(v)));
        }
    }

    /** A map key as the object's field name. */
    private static String keyText(FieldDescriptor key, Wire w) throws IOException {
        return switch (key.getType()) {
            case STRING -> new String(w.data, w.pos, w.end - w.pos, StandardCharsets.UTF_8);
            case BOOL -> Boolean.toString(w.varint() != 0);
            default -> { // an integer: its JSON text is its decimal text
                StringWriter out = new StringWriter();
                try (JsonGenerator g = JSON.createGenerator(out)) {
                    scalar(key, w, g);
                }
                yield out.toString();
            }
        };
    }
}
