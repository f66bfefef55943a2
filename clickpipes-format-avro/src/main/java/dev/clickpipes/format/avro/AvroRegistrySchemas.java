package dev.clickpipes.format.avro;

import dev.clickpipes.format.registry.RegisteredSchema;
import dev.clickpipes.format.registry.SchemaReference;
import dev.clickpipes.format.registry.SchemaRegistry;
import dev.clickpipes.format.registry.SchemaRegistryException;
import java.util.HashSet;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/** Parses a registry's schema text as Avro, with the types its references define. */
public final class AvroRegistrySchemas {

    private AvroRegistrySchemas() {
    }

    /**
     * The Avro schema of {@code s}: its references (and theirs) are fetched from {@code registry} and
     * parsed first into the same parser, so the schema can name their types.
     *
     * @throws SchemaRegistryException {@code INVALID} when it is not an Avro schema or does not parse;
     *                                 as {@link SchemaRegistry#reference} when a reference cannot be had
     */
    public static Schema parse(SchemaRegistry registry, RegisteredSchema s) throws SchemaRegistryException {
        if (!"AVRO".equals(s.schemaType())) {
            throw invalid(registry, s.describe() + " is a " + s.schemaType() + " schema; the Avro decoder reads "
                    + "only Avro", null);
        }
        Schema.Parser parser = new Schema.Parser();
        parseReferences(registry, s, parser, new HashSet<>(), s.describe());
        try {
            return parser.parse(s.text());
        } catch (SchemaParseException e) {
            throw invalid(registry, s.describe() + " is not a valid Avro schema: " + e.getMessage(), e);
        }
    }

    private static void parseReferences(SchemaRegistry registry, RegisteredSchema s, Schema.Parser parser,
            Set<SchemaReference> seen, String what) throws SchemaRegistryException {
        for (SchemaReference ref : s.references()) {
            if (!seen.add(ref)) {
                continue;
            }
            RegisteredSchema referenced = registry.reference(ref);
            parseReferences(registry, referenced, parser, seen, what);
            try {
                parser.parse(referenced.text());
            } catch (SchemaParseException e) {
                throw invalid(registry, what + " is not a valid Avro schema: " + e.getMessage(), e);
            }
        }
    }

    private static SchemaRegistryException invalid(SchemaRegistry registry, String why, Throwable cause) {
        return new SchemaRegistryException(SchemaRegistryException.Reason.INVALID, "schema registry "
                + registry.describe() + ": " + why, cause);
    }
}
