package dev.clickpipes.format.protobuf;

import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.clickpipes.core.spi.Decoder;
import dev.clickpipes.format.registry.SchemaRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/** The Protobuf decoders, the way {@code dev.clickpipes.format.Decoders} gives the core ones. */
public final class ProtobufDecoders {

    private ProtobufDecoders() {
    }

    /**
     * ProtobufConfluent: Confluent-framed Protobuf (magic byte 0, 4-byte schema id, message indexes,
     * message), schemas from this registry. See {@link ProtobufConfluentDecoder}.
     */
    public static Decoder confluent(SchemaRegistry registry) {
        return new ProtobufConfluentDecoder(Objects.requireNonNull(registry, "ProtobufDecoders.confluent: registry is null"));
    }

    /** ProtobufConfluent with a registry at this URL, without credentials. */
    public static Decoder confluent(String registryUrl) {
        return confluent(SchemaRegistry.of(registryUrl));
    }

    /**
     * Bare Protobuf: each record one message of {@code messageType} (its full name, {@code shop.Order}),
     * from a descriptor set. See {@link ProtobufMessageDecoder}.
     *
     * @throws IllegalArgumentException when the set lacks the type or an import, or does not build
     */
    public static Decoder messages(FileDescriptorSet descriptors, String messageType) {
        return new ProtobufMessageDecoder(Objects.requireNonNull(descriptors, "ProtobufDecoders.messages: descriptors is null"),
                Objects.requireNonNull(messageType, "ProtobufDecoders.messages: messageType is null"));
    }

    /**
     * Bare Protobuf with the descriptor set in this file ({@code protoc --include_imports --descriptor_set_out=FILE}).
     *
     * @throws UncheckedIOException when the file cannot be read
     * @throws IllegalArgumentException when it is not a descriptor set, or as {@link #messages(FileDescriptorSet, String)}
     */
    public static Decoder messages(Path descriptorSet, String messageType) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(descriptorSet);
        } catch (IOException e) {
            throw new UncheckedIOException("ProtobufDecoders.messages: cannot read " + descriptorSet + ": " + e.getMessage(), e);
        }
        try {
            return messages(FileDescriptorSet.parseFrom(bytes), messageType);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("ProtobufDecoders.messages: " + descriptorSet + " is not a descriptor set ("
                    + e.getMessage() + "); write one with protoc --include_imports --descriptor_set_out=FILE", e);
        }
    }
}
