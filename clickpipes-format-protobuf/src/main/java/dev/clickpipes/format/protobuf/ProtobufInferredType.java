package dev.clickpipes.format.protobuf;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import dev.clickpipes.clickhouse.types.TypeText;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The ClickHouse type the engine's Protobuf schema inference gives a field ({@code DESCRIBE file(..., Protobuf)}):
 * what a Dynamic column keeps as the type of the field's values, instead of inferring one from the value as JSON
 * text would. Integers keep their width and sign, bool is UInt8, a message a Tuple of its fields, repeated an Array,
 * a map a Map; presence adds no Nullable. Null for a field holding a well-known type (Timestamp, Duration, the
 * wrappers), which this library reads as the value it stands for, and for a recursive message.
 */
final class ProtobufInferredType {

    private ProtobufInferredType() {
    }

    /** A message met again inside itself, or a well-known type: no type to keep. */
    private static final class Untyped extends RuntimeException {
        Untyped() {
            super(null, null, false, false);
        }
    }

    static String of(FieldDescriptor f) {
        try {
            return field(f, new HashSet<>());
        } catch (Untyped e) {
            return null;
        }
    }

    private static String field(FieldDescriptor f, Set<Descriptor> messages) {
        if (f.isMapField()) {
            List<FieldDescriptor> entry = f.getMessageType().getFields();
            return "Map(" + single(entry.get(0), messages) + ", " + single(entry.get(1), messages) + ")";
        }
        String t = single(f, messages);
        return f.isRepeated() ? "Array(" + t + ")" : t;
    }

    private static String single(FieldDescriptor f, Set<Descriptor> messages) {
        return switch (f.getType()) {
            case INT32, SINT32, SFIXED32 -> "Int32";
            case UINT32, FIXED32 -> "UInt32";
            case INT64, SINT64, SFIXED64 -> "Int64";
            case UINT64, FIXED64 -> "UInt64";
            case FLOAT -> "Float32";
            case DOUBLE -> "Float64";
            case BOOL -> "UInt8";
            case STRING, BYTES -> "String";
            case ENUM -> enumType(f.getEnumType().getValues());
            case MESSAGE, GROUP -> tuple(f.getMessageType(), messages);
        };
    }

    private static String enumType(List<EnumValueDescriptor> values) {
        return TypeText.enumOf(values.stream().map(EnumValueDescriptor::getName).toList(),
                values.stream().map(EnumValueDescriptor::getNumber).toList());
    }

    private static String tuple(Descriptor message, Set<Descriptor> messages) {
        if (message.getFullName().startsWith("google.protobuf.") || !messages.add(message)) {
            throw new Untyped();
        }
        List<String> names = new ArrayList<>();
        List<String> types = new ArrayList<>();
        for (FieldDescriptor f : message.getFields()) {
            names.add(f.getName());
            types.add(field(f, messages));
        }
        messages.remove(message);
        return TypeText.tuple(names, types);
    }
}
