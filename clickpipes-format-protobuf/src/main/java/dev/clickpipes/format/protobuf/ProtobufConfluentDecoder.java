package dev.clickpipes.format.protobuf;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import dev.clickpipes.core.ErrorKind;
import dev.clickpipes.core.RowBuffer;
import dev.clickpipes.core.spi.DecodeException;
import dev.clickpipes.core.spi.Decoder;
import dev.clickpipes.core.spi.SourceRecord;
import dev.clickpipes.format.registry.ConfluentHeader;
import dev.clickpipes.format.registry.FailedLookups;
import dev.clickpipes.format.registry.SchemaRegistry;
import dev.clickpipes.format.registry.SchemaRegistryException;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Confluent-framed Protobuf: magic byte 0, the schema's registry id as 4 big-endian bytes, the
 * message indexes (which message of the {@code .proto} file: a zig-zag varint count, then that many
 * zig-zag varint indexes into the file's messages and their nested ones; the single byte 0 means the
 * first message), then the message's binary encoding. A new id is fetched from the registry the
 * first time it appears, its descriptors built and kept with the reader of each message used (a
 * producer moving to a new schema version mid-stream just works: fields map to columns by name).
 * Messages without the header are read as the first message of the schema the registry URL names,
 * if it names one.
 *
 * <p>An id the registry does not have, or whose schema is not Protobuf, sends the record to the
 * error table as {@code SOURCE_SCHEMA_ERROR}; bytes that do not decode as their message as
 * {@code DATA_PARSING_ERROR}. Thread-safe.
 */
public final class ProtobufConfluentDecoder implements Decoder {

    private static final int[] FIRST = {0};

    private final SchemaRegistry registry;
    private final Map<Integer, FileDescriptor> files = new ConcurrentHashMap<>();
    private final Map<Plan, MessageReader> readers = new ConcurrentHashMap<>();
    private final Map<Integer, MessageReader> firstMessages = new ConcurrentHashMap<>();
    private final FailedLookups failures = new FailedLookups();

    /** A message of a schema: its id and message-index path. */
    private record Plan(int id, List<Integer> path) {
    }

    ProtobufConfluentDecoder(SchemaRegistry registry) {
        this.registry = registry;
    }

    @Override
    public String name() {
        return "ProtobufConfluent";
    }

    @Override
    public void decode(SourceRecord record, RowBuffer rows) throws DecodeException {
        byte[] data = record.data();
        int offset = record.offset();
        int end = offset + record.length();
        int id;
        int[] path;
        if (record.length() >= ConfluentHeader.LENGTH + 1 && data[offset] == 0) { // + at least one message-index byte
            // A message never starts with byte 0 (field number 0 does not exist): 0 is the magic byte.
            id = ConfluentHeader.schemaId(data, offset);
            Wire w = new Wire(data, offset + ConfluentHeader.LENGTH, end);
            path = messageIndexes(w, id);
            offset = w.pos;
        } else if (registry.namesSchema()) {
            id = configuredId();
            path = FIRST;
        } else {
            throw ConfluentHeader.missing(data, offset, record.length(),
                    "magic byte 0, a 4-byte schema id and the message indexes", registry);
        }
        MessageReader reader = reader(id, path);
        try {
            reader.readRow(data, offset, end, rows);
        } catch (IOException e) {
            throw new DecodeException(ErrorKind.DATA_PARSING_ERROR, "cannot decode as " + reader.type.getFullName()
                    + " of schema id " + id + ": " + e.getMessage());
        }
    }

    private static int[] messageIndexes(Wire w, int id) throws DecodeException {
        try {
            long count = Wire.zigZag(w.varint());
            if (count == 0) {
                return FIRST;
            }
            if (count < 0 || count > 32) {
                throw new IOException("a message-index count of " + count);
            }
            int[] path = new int[(int) count];
            for (int i = 0; i < path.length; i++) {
                path[i] = (int) Wire.zigZag(w.varint());
            }
            return path;
        } catch (IOException e) {
            throw new DecodeException(ErrorKind.DATA_PARSING_ERROR, "schema id " + id + ": bad message indexes after the "
                    + "Confluent header (" + e.getMessage() + ")");
        }
    }

    private int configuredId() throws DecodeException {
        try {
            return registry.configuredSchema().id();
        } catch (SchemaRegistryException e) {
            throw FailedLookups.decodeError(e);
        }
    }

    private MessageReader reader(int id, int[] path) throws DecodeException {
        boolean first = path.length == 1 && path[0] == 0;
        MessageReader r = first ? firstMessages.get(id) : null; // the common case, without a key to build
        if (r != null) {
            return r;
        }
        Plan plan = new Plan(id, Arrays.stream(path).boxed().toList());
        r = readers.get(plan);
        if (r == null) {
            r = MessageReader.of(message(file(id), path, id));
            MessageReader previous = readers.putIfAbsent(plan, r);
            r = previous != null ? previous : r;
        }
        if (first) {
            firstMessages.putIfAbsent(id, r);
        }
        return r;
    }

    private FileDescriptor file(int id) throws DecodeException {
        FileDescriptor f = files.get(id);
        if (f != null) {
            return f;
        }
        failures.check(id);
        try {
            f = ProtobufRegistrySchemas.file(registry, id);
        } catch (SchemaRegistryException e) {
            throw failures.failed(id, e);
        }
        FileDescriptor previous = files.putIfAbsent(id, f);
        return previous != null ? previous : f;
    }

    /** The message a message-index path names: the first index into the file's messages, the next ones into nested ones. */
    private static Descriptor message(FileDescriptor file, int[] path, int id) throws DecodeException {
        List<Descriptor> candidates = file.getMessageTypes();
        Descriptor d = null;
        for (int index : path) {
            if (index < 0 || index >= candidates.size()) {
                throw new DecodeException(ErrorKind.SOURCE_SCHEMA_ERROR, "schema id " + id + " has no message at "
                        + "index path " + Arrays.toString(path) + " (" + (d == null ? "the file" : d.getFullName())
                        + " has " + candidates.size() + " message types)");
            }
            d = candidates.get(index);
            candidates = d.getNestedTypes();
        }
        return d;
    }

    @Override
    public String toString() {
        return "ProtobufConfluent[" + registry.describe() + "]";
    }
}
