package dev.clickpipes.format.protobuf;

import dev.clickpipes.core.spi.Decoder;
import dev.clickpipes.format.registry.SchemaRegistry;
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
}
