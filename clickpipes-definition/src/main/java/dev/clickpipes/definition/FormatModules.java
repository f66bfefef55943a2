package dev.clickpipes.definition;

import dev.clickpipes.core.spi.Decoder;
import dev.clickpipes.format.avro.AvroDecoders;
import dev.clickpipes.format.protobuf.ProtobufDecoders;
import dev.clickpipes.format.registry.SchemaRegistry;
import java.nio.file.Path;

/**
 * The decoders of the optional format modules, behind methods: this class names their classes, so
 * a method runs only once {@code Parts.requireModule} found its module on the class path (the JVM
 * resolves each call's class when it first runs).
 */
final class FormatModules {

    private FormatModules() {
    }

    static Decoder avroConfluent(SchemaRegistry registry) {
        return AvroDecoders.confluent(registry);
    }

    /** Reads a descriptor set file, or fails saying why (unreadable, not a descriptor set). */
    static Object descriptorSet(String file) {
        try {
            return com.google.protobuf.DescriptorProtos.FileDescriptorSet.parseFrom(java.nio.file.Files.readAllBytes(Path.of(file)));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot read the descriptor set " + file + " (" + e + "); write one with"
                    + " protoc --include_imports --descriptor_set_out=FILE", e);
        }
    }

    static Decoder protobufMessages(String descriptorSet, String messageType) {
        return ProtobufDecoders.messages(Path.of(descriptorSet), messageType);
    }

    static Decoder protobufConfluent(SchemaRegistry registry) {
        return ProtobufDecoders.confluent(registry);
    }
}
