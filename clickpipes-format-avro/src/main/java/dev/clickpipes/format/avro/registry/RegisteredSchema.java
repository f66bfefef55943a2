package dev.clickpipes.format.avro.registry;

import org.apache.avro.Schema;

/**
 * A schema as the registry holds it.
 *
 * @param id      the registry's global id, the one Confluent-framed messages carry
 * @param schema  the parsed Avro schema
 * @param subject the subject it was looked up under, or null when looked up by id
 * @param version the subject version, or 0 when looked up by id
 */
public record RegisteredSchema(int id, Schema schema, String subject, int version) {
}
