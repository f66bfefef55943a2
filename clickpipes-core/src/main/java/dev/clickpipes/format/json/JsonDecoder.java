package dev.clickpipes.format.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import dev.clickpipes.clickhouse.types.Column;
import dev.clickpipes.core.ErrorKind;
import dev.clickpipes.core.RowBuffer;
import dev.clickpipes.core.spi.DecodeException;
import dev.clickpipes.core.spi.Decoder;
import dev.clickpipes.core.spi.SourceRecord;
import java.io.IOException;

/**
 * JSON: each record is one object whose fields go to the columns of the same name (JSONEachRow);
 * nested objects reach columns named by their path ({@code a.b.c}). Reads the record's bytes
 * straight into the column buffers with our own reader ({@link JsonReader}); a record it does not
 * read exactly as Jackson would (errors among them) is read again with Jackson's streaming parser,
 * which gives the answer and the error messages. Thread-safe.
 */
public final class JsonDecoder implements Decoder {

    private final JsonFactory factory = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS) // NaN, Infinity: ClickHouse reads them too
            // Jackson would build a reference to the source per parser and per location (measured: ~4%
            // of decoding); our messages give line and column, and the raw record is in the error table.
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    /** Use {@code Decoders.json()}. */
    public JsonDecoder() {
    }

    @Override
    public String name() {
        return "JSON";
    }

    /** One reader per thread: it keeps its name cache and scratch buffers between records. */
    private final ThreadLocal<JsonReader> readers = ThreadLocal.withInitial(JsonReader::new);

    @Override
    public void decode(SourceRecord record, RowBuffer rows) throws DecodeException {
        if (readers.get().decode(record, rows)) {
            return;
        }
        rows.rollbackRecord(); // what the reader wrote before it gave up; the record is this decode's only writer
        decodeWithJackson(record, rows);
    }

    /** Decodes with Jackson alone: the reference for {@link JsonReader}, and what it falls back to. */
    void decodeWithJackson(SourceRecord record, RowBuffer rows) throws DecodeException {
        try (JsonParser p = factory.createParser(record.data(), record.offset(), record.length())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new DecodeException(ErrorKind.DATA_PARSING_ERROR,
                        "expected a JSON object, found " + describe(p.currentToken()));
            }
            rows.beginRow();
            writeFields(p, rows, record, null);
            if (p.nextToken() != null) {
                throw new DecodeException(ErrorKind.DATA_PARSING_ERROR,
                        "unexpected content after the JSON object at " + where(p.currentLocation()));
            }
            rows.endRow();
        } catch (JsonProcessingException e) {
            throw new DecodeException(ErrorKind.DATA_PARSING_ERROR,
                    "invalid JSON at " + where(e.getLocation()) + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new DecodeException(ErrorKind.DATA_PARSING_ERROR, "cannot read JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Writes an object's fields to their columns. A field with no column of its own whose value is
     * an object is walked into when some column is mapped below it ({@code a.b.c}).
     */
    private static void writeFields(JsonParser p, RowBuffer rows, SourceRecord record, String prefix)
            throws IOException, DecodeException {
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = prefix == null ? p.currentName() : prefix + p.currentName();
            Column column = rows.field(name);
            JsonToken value = p.nextToken();
            if (column != null) {
                JsonValues.write(p, value, column, record.data(), record.offset());
            } else if (value == JsonToken.START_OBJECT && rows.hasFieldsUnder(name)) {
                writeFields(p, rows, record, name + ".");
            } else {
                p.skipChildren();
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw new DecodeException(ErrorKind.DATA_PARSING_ERROR, "truncated JSON object");
        }
    }

    private static String describe(JsonToken t) {
        return t == null ? "nothing" : t.asString() != null ? "'" + t.asString() + "'" : t.name();
    }

    private static String where(JsonLocation l) {
        return l == null ? "?" : "line " + l.getLineNr() + ", column " + l.getColumnNr();
    }
}
