package dev.clickpipes.clickhouse.routing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.clickpipes.core.spi.SourceRecord;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * What names a record's target: a top-level field of a JSON record, a Kafka header, the topic, any
 * virtual column of the source, or a function of the record. A key answers null when the record
 * carries no route (the field or header is missing, the record is not a JSON object): such a record
 * goes to the router's fallback error table. Immutable and thread-safe.
 */
public final class RouteKey {

    private static final JsonFactory JSON = new JsonFactory();

    private final String description;
    private final Function<SourceRecord, String> function;

    private RouteKey(String description, Function<SourceRecord, String> function) {
        this.description = description;
        this.function = function;
    }

    /**
     * The value of the record's top-level JSON field {@code name} (a string, or a number or boolean
     * as its text). The rest of the record is skipped, not parsed into anything.
     */
    public static RouteKey field(String name) {
        Objects.requireNonNull(name, "name");
        return new RouteKey("JSON field `" + name + "`", r -> jsonField(r, name));
    }

    /** The value of the record's Kafka header {@code name} (the first one of that name), as UTF-8 text. */
    public static RouteKey header(String name) {
        Objects.requireNonNull(name, "name");
        return new RouteKey("header `" + name + "`", r -> header(r, name));
    }

    /** The record's Kafka topic (virtual column {@code _topic}). */
    public static RouteKey topic() {
        return virtualColumn("_topic");
    }

    /** The text of one of the source's virtual columns ({@code _key}, {@code _topic}, {@code _stream}, ...). */
    public static RouteKey virtualColumn(String name) {
        Objects.requireNonNull(name, "name");
        return new RouteKey("virtual column " + name, r -> {
            Object v = r.virtualColumn(name);
            return v == null ? null : v instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8)
                    : String.valueOf(v);
        });
    }

    /**
     * Any function of the record; it answers null for a record with no route, and must be
     * thread-safe and deterministic (a re-sent batch must route the same way).
     */
    public static RouteKey of(String description, Function<SourceRecord, String> function) {
        return new RouteKey(Objects.requireNonNull(description, "description"),
                Objects.requireNonNull(function, "function"));
    }

    /** The record's route, or null when it has none. */
    String routeOf(SourceRecord record) {
        return function.apply(record);
    }

    @Override
    public String toString() {
        return description;
    }

    private static String header(SourceRecord record, String name) {
        if (!(record.virtualColumn("_header_keys") instanceof List<?> keys)
                || !(record.virtualColumn("_header_values") instanceof List<?> values)) {
            return null;
        }
        for (int i = 0; i < keys.size() && i < values.size(); i++) {
            if (name.equals(keys.get(i))) {
                Object v = values.get(i);
                return v == null ? null : String.valueOf(v);
            }
        }
        return null;
    }

    private static String jsonField(SourceRecord record, String name) {
        try (JsonParser p = JSON.createParser(record.data(), record.offset(), record.length())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                boolean wanted = name.equals(p.currentName());
                JsonToken value = p.nextToken();
                if (wanted) {
                    return value.isScalarValue() && value != JsonToken.VALUE_NULL ? p.getText() : null;
                }
                p.skipChildren();
            }
            return null;
        } catch (IOException e) {
            return null; // not JSON: no route (the target's decoder would refuse it anyway)
        }
    }
}
