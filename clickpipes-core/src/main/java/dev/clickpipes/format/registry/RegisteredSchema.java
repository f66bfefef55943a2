package dev.clickpipes.format.registry;

import java.util.List;

/**
 * A schema as the registry holds it: its text, not yet parsed (each format parses its own kind).
 *
 * @param id         the registry's global id, the one Confluent-framed messages carry (-1 for a
 *                   reference looked up by subject version whose answer gave none)
 * @param schemaType {@code AVRO} (the registry's default when it names none), {@code PROTOBUF} or {@code JSON}
 * @param text       the schema text: Avro JSON, a {@code .proto} file, a JSON schema
 * @param references the schemas this one names, defined under other subjects
 * @param subject    the subject it was looked up under, or null when looked up by id
 * @param version    the subject version, or 0 when looked up by id
 */
public record RegisteredSchema(int id, String schemaType, String text, List<SchemaReference> references,
                               String subject, int version) {

    /** Makes the record; the list is copied. */
    public RegisteredSchema {
        references = List.copyOf(references);
    }

    /** "subject S" or "schema id N", for messages. */
    public String describe() {
        return subject != null ? "subject " + subject : "schema id " + id;
    }
}
