package dev.clickpipes.format.avro;

import dev.clickpipes.core.spi.Decoder;
import dev.clickpipes.format.registry.SchemaRegistry;
import java.util.Objects;

/** The Avro decoders, the way {@code dev.clickpipes.format.Decoders} gives the core ones. */
public final class AvroDecoders {

    private AvroDecoders() {
    }

    /**
     * AvroConfluent: Confluent-framed Avro (magic byte 0, 4-byte schema id, datum), schemas from
     * this registry. See {@link AvroConfluentDecoder}.
     */
    public static Decoder confluent(SchemaRegistry registry) {
        return new AvroConfluentDecoder(Objects.requireNonNull(registry, "AvroDecoders.confluent: registry is null"));
    }

    /** AvroConfluent with a registry at this URL, without credentials. */
    public static Decoder confluent(String registryUrl) {
        return confluent(SchemaRegistry.of(registryUrl));
    }
}
