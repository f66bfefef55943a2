package dev.clickpipes.format.registry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The registry's answer for a schema ({@code GET /schemas/ids/N} or
 * {@code GET /subjects/S/versions/V}): {@code {"id", "version", "schemaType", "schema", "references"}}.
 */
final class SchemaResponse {

    private static final JsonFactory JSON = new JsonFactory();

    String schema;
    String schemaType;
    int id = -1;
    int version;
    final List<SchemaReference> references = new ArrayList<>();

    static SchemaResponse read(byte[] body, RegistryUrl url) throws SchemaRegistryException {
        SchemaResponse r = new SchemaResponse();
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw invalid(url, "expected a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "schema" -> r.schema = t == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "schemaType" -> r.schemaType = t == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "id" -> r.id = t == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : -1;
                    case "version" -> r.version = t == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : 0;
                    case "references" -> readReferences(p, t, r.references);
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw invalid(url, "not JSON: " + e.getMessage());
        }
        return r;
    }

    private static void readReferences(JsonParser p, JsonToken t, List<SchemaReference> out) throws IOException {
        if (t != JsonToken.START_ARRAY) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.START_OBJECT) {
            String name = null;
            String subject = null;
            String version = "latest";
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "name" -> name = p.getText();
                    case "subject" -> subject = p.getText();
                    case "version" -> version = p.getText();
                    default -> p.skipChildren();
                }
            }
            if (subject != null) {
                out.add(new SchemaReference(name, subject, version));
            }
        }
    }

    private static SchemaRegistryException invalid(RegistryUrl url, String why) {
        return new SchemaRegistryException(SchemaRegistryException.Reason.INVALID,
                "schema registry " + url.base + " answered with something that is not a schema: " + why, null);
    }
}
