package dev.clickpipes.format.avro;

import dev.clickpipes.core.ErrorKind;
import dev.clickpipes.core.RowBuffer;
import dev.clickpipes.core.spi.DecodeException;
import dev.clickpipes.core.spi.Decoder;
import dev.clickpipes.core.spi.SourceRecord;
import dev.clickpipes.format.registry.ConfluentHeader;
import dev.clickpipes.format.registry.FailedLookups;
import dev.clickpipes.format.registry.RegisteredSchema;
import dev.clickpipes.format.registry.SchemaRegistry;
import dev.clickpipes.format.registry.SchemaRegistryException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * AvroConfluent: each record is a Confluent-framed Avro datum, magic byte 0, the writer schema's
 * registry id as 4 big-endian bytes, then the Avro binary encoding. The id in the message wins; a
 * new id is fetched from the registry the first time it appears and kept (so a producer moving to a
 * new schema version mid-stream just works: fields map to columns by name, new fields find their
 * columns, removed fields leave theirs at the default). Messages without the header are read with
 * the schema the registry URL names, if it names one.
 *
 * <p>An id the registry does not have sends the record to the error table as
 * {@code SOURCE_SCHEMA_ERROR}; bytes that do not decode with their schema as
 * {@code DATA_PARSING_ERROR}. Thread-safe.
 */
public final class AvroConfluentDecoder implements Decoder {

    private final SchemaRegistry registry;
    private final Map<Integer, RecordPlan> plans = new ConcurrentHashMap<>();
    private final FailedLookups failures = new FailedLookups();
    private volatile RecordPlan configured;

    AvroConfluentDecoder(SchemaRegistry registry) {
        this.registry = registry;
    }

    @Override
    public String name() {
        return "AvroConfluent";
    }

    @Override
    public void decode(SourceRecord record, RowBuffer rows) throws DecodeException {
        byte[] data = record.data();
        int offset = record.offset();
        int length = record.length();
        RecordPlan plan;
        if (length >= ConfluentHeader.LENGTH && data[offset] == 0) {
            plan = plan(ConfluentHeader.schemaId(data, offset));
            offset += ConfluentHeader.LENGTH;
            length -= ConfluentHeader.LENGTH;
        } else if (registry.namesSchema()) {
            plan = configuredPlan();
        } else {
            throw ConfluentHeader.missing(data, offset, length, "magic byte 0 and a 4-byte schema id", registry);
        }
        AvroInput in = AvroInput.over(data, offset, length);
        try {
            plan.decode(in, rows);
            if (!in.in.isEnd()) {
                throw new DecodeException(ErrorKind.DATA_PARSING_ERROR, "bytes left after the record: the message "
                        + "does not match schema id " + plan.schemaId);
            }
        } catch (IOException e) {
            throw new DecodeException(ErrorKind.DATA_PARSING_ERROR, "cannot decode with schema id " + plan.schemaId
                    + ": " + e.getMessage());
        }
    }

    private RecordPlan plan(int id) throws DecodeException {
        RecordPlan plan = plans.get(id);
        if (plan != null) {
            return plan;
        }
        failures.check(id);
        try {
            plan = compile(registry.schema(id), registry);
        } catch (SchemaRegistryException e) {
            throw failures.failed(id, e);
        }
        RecordPlan previous = plans.putIfAbsent(id, plan);
        return previous != null ? previous : plan;
    }

    private RecordPlan configuredPlan() throws DecodeException {
        RecordPlan plan = configured;
        if (plan != null) {
            return plan;
        }
        try {
            RegisteredSchema s = registry.configuredSchema();
            plan = plans.get(s.id());
            if (plan == null) {
                plan = compile(s, registry);
                plans.putIfAbsent(s.id(), plan);
            }
        } catch (SchemaRegistryException e) {
            throw FailedLookups.decodeError(e);
        }
        configured = plan;
        return plan;
    }

    private static RecordPlan compile(RegisteredSchema s, SchemaRegistry registry)
            throws DecodeException, SchemaRegistryException {
        Schema schema = AvroRegistrySchemas.parse(registry, s);
        if (schema.getType() != Schema.Type.RECORD) {
            throw new DecodeException(ErrorKind.SOURCE_SCHEMA_ERROR, "schema id " + s.id() + " is a "
                    + schema.getType().getName() + ", not a record: its fields are what map to columns");
        }
        return new RecordPlan(s.id(), schema);
    }

    @Override
    public String toString() {
        return "AvroConfluent[" + registry.describe() + "]";
    }
}
