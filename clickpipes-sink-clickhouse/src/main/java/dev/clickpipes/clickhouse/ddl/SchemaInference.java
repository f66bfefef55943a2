package dev.clickpipes.clickhouse.ddl;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Infers a table from sample records: for each field the narrowest ClickHouse type that holds
 * every sample value (UInt8 before UInt16, Date before DateTime, ...), Nullable where a null was
 * seen, nested objects as named Tuples, arrays as Arrays, and optionally LowCardinality for
 * repetitive strings. The result is a {@link TableDefinition} builder to adjust in code.
 *
 * <pre>{@code
 * TableDefinition t = SchemaInference.fromJson(samples, SchemaInference.Options.defaults())
 *     .orderBy("ts").build();
 * }</pre>
 */
public final class SchemaInference {

    private static final JsonFactory JSON = new JsonFactory();

    private SchemaInference() {
    }

    /**
     * Inference settings.
     *
     * @param lowCardinality      whether repetitive string columns become LowCardinality; default false
     * @param lowCardinalityRatio at most this many distinct values per value seen makes a string
     *                            column repetitive; default 0.1
     */
    public record Options(boolean lowCardinality, double lowCardinalityRatio) {

        /** No LowCardinality. */
        public static Options defaults() {
            return new Options(false, 0.1);
        }

        /** LowCardinality for string columns with at most one distinct value in ten. */
        public static Options withLowCardinality() {
            return new Options(true, 0.1);
        }
    }

    /**
     * Columns from JSON objects, one per sample, in the order fields first appear.
     *
     * @throws IllegalArgumentException naming the sample that is not a JSON object
     */
    public static TableDefinition.Builder fromJson(Collection<String> samples, Options options) {
        Map<String, ValueShape> fields = new LinkedHashMap<>();
        int n = 0;
        for (String sample : samples) {
            n++;
            try (JsonParser p = JSON.createParser(sample)) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    throw new IllegalArgumentException("sample " + n + " is not a JSON object: " + abbreviate(sample));
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    observe(p, p.nextToken(), fields.computeIfAbsent(name, k -> new ValueShape()));
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("sample " + n + " is not valid JSON (" + e.getMessage() + "): "
                        + abbreviate(sample), e);
            }
        }
        return toBuilder(fields, options);
    }

    /** Columns from CSV lines whose first line is the header; fields split at {@code delimiter}, quotes honoured. */
    public static TableDefinition.Builder fromCsv(List<String> linesWithHeader, char delimiter, Options options) {
        if (linesWithHeader.isEmpty()) {
            throw new IllegalArgumentException("no CSV lines to infer from: the first line must be the header");
        }
        List<String> header = CsvLine.split(linesWithHeader.get(0), delimiter);
        Map<String, ValueShape> fields = new LinkedHashMap<>();
        header.forEach(h -> fields.put(h, new ValueShape()));
        for (String line : linesWithHeader.subList(1, linesWithHeader.size())) {
            List<String> values = CsvLine.split(line, delimiter);
            for (int i = 0; i < header.size(); i++) {
                fields.get(header.get(i)).observeTextField(i < values.size() ? values.get(i) : "");
            }
        }
        return toBuilder(fields, options);
    }

    private static TableDefinition.Builder toBuilder(Map<String, ValueShape> fields, Options options) {
        TableDefinition.Builder b = TableDefinition.builder();
        fields.forEach((name, shape) -> b.column(name, shape.type(options)));
        return b;
    }

    private static void observe(JsonParser p, JsonToken t, ValueShape shape) throws IOException {
        switch (t) {
            case VALUE_NULL -> shape.observeNull();
            case VALUE_TRUE, VALUE_FALSE -> shape.observeBoolean();
            case VALUE_NUMBER_INT -> shape.observeInteger(p.getBigIntegerValue());
            case VALUE_NUMBER_FLOAT -> shape.observeFloat();
            case VALUE_STRING -> shape.observeText(p.getText());
            case START_ARRAY -> {
                ValueShape element = shape.arrayElement();
                JsonToken e;
                while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                    observe(p, e, element);
                }
            }
            case START_OBJECT -> {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    observe(p, p.nextToken(), shape.objectField(name));
                }
            }
            default -> throw new IllegalStateException("unexpected JSON token " + t);
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "…" : s;
    }
}
