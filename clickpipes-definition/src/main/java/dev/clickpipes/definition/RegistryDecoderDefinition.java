package dev.clickpipes.definition;

import dev.clickpipes.core.spi.Decoder;
import dev.clickpipes.format.registry.SchemaRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Reads a {@code decoder} whose schemas come from a registry ({@code avro-confluent},
 * {@code protobuf-confluent}): its {@code schema-registry} section onto {@link SchemaRegistry#builder()}.
 */
final class RegistryDecoderDefinition {

    private RegistryDecoderDefinition() {
    }

    /** The decoder's supplier; {@code decoder} makes it from the registry (only called once the format's module is known present). */
    static Supplier<Decoder> parse(ConfigNode n, String type, Function<SchemaRegistry, Decoder> decoder) {
        ConfigNode r = n.section("schema-registry", DefinitionSchema.REGISTRY);
        n.refuseUnknownKeys();
        if (r == null) {
            throw new DefinitionException(n.pathOf("schema-registry"), "is required for type: " + type + " (its url at least)");
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
            return decoder.apply(b.build());
        });
    }
}
