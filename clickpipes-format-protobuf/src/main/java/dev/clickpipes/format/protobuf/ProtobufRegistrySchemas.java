package dev.clickpipes.format.protobuf;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.clickpipes.format.registry.RegisteredSchema;
import dev.clickpipes.format.registry.SchemaReference;
import dev.clickpipes.format.registry.SchemaRegistry;
import dev.clickpipes.format.registry.SchemaRegistryException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds the descriptors of a registry's Protobuf schema with protobuf-java. protobuf-java cannot
 * parse {@code .proto} text, so the schema is asked for as {@code ?format=serialized}: the registry
 * (Confluent Platform and Cloud, Redpanda 25.2+) compiles its {@code .proto} and answers a base64
 * {@code FileDescriptorProto}. Each import is a schema reference, fetched the same way, or one of
 * the well-known types, which protobuf-java carries.
 */
final class ProtobufRegistrySchemas {

    static final String SERIALIZED = "serialized";

    private ProtobufRegistrySchemas() {
    }

    /**
     * The file descriptor of schema {@code id}, its imports built first.
     *
     * @throws SchemaRegistryException {@code INVALID} when it is not Protobuf, the registry gives no
     *                                 descriptor, or the descriptors do not build; as
     *                                 {@link SchemaRegistry#schema(int, String)} when it cannot be had
     */
    static FileDescriptor file(SchemaRegistry registry, int id) throws SchemaRegistryException {
        RegisteredSchema s = registry.schema(id, SERIALIZED);
        if (!"PROTOBUF".equals(s.schemaType())) {
            throw invalid(registry, s.describe() + " is a " + s.schemaType() + " schema; the Protobuf decoder reads "
                    + "only Protobuf", null);
        }
        return build(registry, s, null, new HashMap<>(), 0);
    }

    private static FileDescriptor build(SchemaRegistry registry, RegisteredSchema s, String importedAs,
            Map<String, FileDescriptor> built, int depth) throws SchemaRegistryException {
        if (depth > 32) {
            throw invalid(registry, s.describe() + ": imports nest more than 32 deep (a cycle?)", null);
        }
        FileDescriptorProto proto = descriptor(registry, s);
        if (importedAs != null) {
            // Registries name every file alike ("default"); the importing file names it by its import path.
            proto = proto.toBuilder().setName(importedAs).build();
        }
        Map<String, SchemaReference> refs = new HashMap<>();
        for (SchemaReference r : s.references()) {
            refs.put(r.name(), r);
        }
        FileDescriptor[] deps = new FileDescriptor[proto.getDependencyCount()];
        for (int i = 0; i < deps.length; i++) {
            String path = proto.getDependency(i);
            FileDescriptor d = built.get(path);
            if (d == null) {
                SchemaReference ref = refs.get(path);
                if (ref != null) {
                    d = build(registry, registry.reference(ref, SERIALIZED), path, built, depth + 1);
                } else if (WellKnownTypes.file(path) != null) {
                    d = WellKnownTypes.file(path);
                } else {
                    throw invalid(registry, s.describe() + " imports \"" + path + "\", which is neither among its "
                            + "references " + refs.keySet() + " nor a well-known type", null);
                }
                built.put(path, d);
            }
            deps[i] = d;
        }
        try {
            return FileDescriptor.buildFrom(proto, deps);
        } catch (DescriptorValidationException e) {
            throw invalid(registry, s.describe() + " does not build: " + e.getMessage(), e);
        }
    }

    private static FileDescriptorProto descriptor(SchemaRegistry registry, RegisteredSchema s)
            throws SchemaRegistryException {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(s.text().strip());
        } catch (IllegalArgumentException e) {
            throw invalid(registry, s.describe() + ": asked for ?format=serialized, the registry answered text that "
                    + "is not base64 (" + abbreviate(s.text()) + "); this registry gives no compiled descriptors "
                    + "(Confluent Schema Registry and Redpanda 25.2+ do)", e);
        }
        try {
            return FileDescriptorProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw invalid(registry, s.describe() + ": the serialized schema is not a FileDescriptorProto: "
                    + e.getMessage(), e);
        }
    }

    private static String abbreviate(String text) {
        String t = text.strip().replaceAll("\\s+", " ");
        return t.length() <= 60 ? t : t.substring(0, 60) + "...";
    }

    private static SchemaRegistryException invalid(SchemaRegistry registry, String why, Throwable cause) {
        return new SchemaRegistryException(SchemaRegistryException.Reason.INVALID, "schema registry "
                + registry.describe() + ": " + why, cause);
    }
}
