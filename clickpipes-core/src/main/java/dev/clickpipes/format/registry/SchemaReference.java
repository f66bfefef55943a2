package dev.clickpipes.format.registry;

/**
 * A schema's reference to one defined under another subject, as the registry gives it.
 *
 * @param name    what the referring schema calls it: an Avro full name, a {@code .proto} import path
 * @param subject the subject holding it
 * @param version that subject's version (a number, or {@code latest})
 */
public record SchemaReference(String name, String subject, String version) {
}
