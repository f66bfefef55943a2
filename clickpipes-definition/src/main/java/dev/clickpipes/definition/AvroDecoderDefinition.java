package dev.clickpipes.definition;

import dev.clickpipes.core.spi.Decoder;
import dev.clickpipes.format.avro.AvroDecoders;
import dev.clickpipes.format.registry.SchemaRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;

/** Reads a {@code decoder} of type {@code avro-confluent}. Loaded only for that type. */
final class AvroDecoderDefinition {

    private AvroDecoderDefinition() {
    }

    static Supplier<Decoder> parse(ConfigNode n) {
        ConfigNode r = n.section("schema-registry", DefinitionSchema.REGISTRY);
        n.refuseUnknownKeys();
        if (r == null) {
            throw new DefinitionException(n.pathOf("schema-registry"), "is required for type: avro-confluent (its url at least)");
        }
        String url = r.string("url");
        String user = r.string("username");
        String password = r.secret("password");
        String ca = r.string("ca-pem-file");
        Duration timeout = r.duration("timeout");
        Integer maxResponse = r.integer("max-response-bytes");
        r.refuseUnknownKeys();
        if ((user == null) != (password == null)) {
            throw new DefinitionException(r.pathOf(user == null ? "username" : "password"), "is required with "
                    + (user == null ? "password" : "username") + " (HTTP basic authentication takes both)");
        }
        return Parts.built(r.path(), () -> {
            SchemaRegistry.Builder b = SchemaRegistry.builder().url(url);
            if (user != null) {
                b.basicAuth(user, password);
            }
            if (ca != null) {
                b.caPem(Path.of(ca));
            }
            if (timeout != null) {
                b.timeout(timeout);
            }
            if (maxResponse != null) {
                b.maxResponseBytes(maxResponse);
            }
            return AvroDecoders.confluent(b.build());
        });
    }
}
