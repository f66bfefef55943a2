package dev.clickpipes.definition;

import dev.clickpipes.core.spi.Decoder;
import dev.clickpipes.format.avro.AvroDecoders;
import dev.clickpipes.format.protobuf.ProtobufDecoders;
import dev.clickpipes.format.registry.SchemaRegistry;

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

    static Decoder protobufConfluent(SchemaRegistry registry) {
        return ProtobufDecoders.confluent(registry);
    }
}
