package dev.clickpipes.format.protobuf;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import dev.clickpipes.core.ErrorKind;
import dev.clickpipes.core.RowBuffer;
import dev.clickpipes.core.spi.DecodeException;
import dev.clickpipes.core.spi.Decoder;
import dev.clickpipes.core.spi.SourceRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Bare Protobuf: each record is one message of a type given up front, described by a descriptor
 * set (what {@code protoc --include_imports --descriptor_set_out=FILE} writes); no header, no
 * registry. Fields map to columns as in {@link ProtobufConfluentDecoder}; bytes that do not decode
 * as the message go to the error table as {@code DATA_PARSING_ERROR}. Immutable and thread-safe.
 */
public final class ProtobufMessageDecoder implements Decoder {

    private final MessageReader reader;

    ProtobufMessageDecoder(FileDescriptorSet descriptors, String messageType) {
        Map<String, FileDescriptor> built = new HashMap<>();
        Map<String, FileDescriptorProto> protos = new HashMap<>();
        for (FileDescriptorProto f : descriptors.getFileList()) {
            protos.put(f.getName(), f);
        }
        Descriptor found = null;
        TreeSet<String> messages = new TreeSet<>();
        for (FileDescriptorProto f : descriptors.getFileList()) {
            FileDescriptor file = build(f.getName(), protos, built, new ArrayList<>());
            for (Descriptor d : file.getMessageTypes()) {
                messages.add(d.getFullName());
            }
            found = found != null ? found : findNested(file, messageType);
        }
        if (found == null) {
            throw new IllegalArgumentException("ProtobufDecoders.messages: the descriptor set has no message type '"
                    + messageType + "'; give its full name, one of " + messages);
        }
        reader = MessageReader.of(found);
    }

    /** A top-level or nested message type of the file by its full name, or null. */
    private static Descriptor findNested(FileDescriptor file, String fullName) {
        List<Descriptor> level = file.getMessageTypes();
        for (boolean more = true; more; ) {
            more = false;
            for (Descriptor d : level) {
                if (d.getFullName().equals(fullName)) {
                    return d;
                }
                if (fullName.startsWith(d.getFullName() + ".")) {
                    level = d.getNestedTypes();
                    more = true;
                    break;
                }
            }
        }
        return null;
    }

    /** Builds a file after its imports (from the set, else the well-known types); {@code path} finds cycles. */
    private static FileDescriptor build(String name, Map<String, FileDescriptorProto> protos,
            Map<String, FileDescriptor> built, List<String> path) {
        FileDescriptor done = built.get(name);
        if (done != null) {
            return done;
        }
        FileDescriptorProto proto = protos.get(name);
        if (proto == null) {
            FileDescriptor wellKnown = WellKnownTypes.file(name);
            if (wellKnown == null) {
                throw new IllegalArgumentException("ProtobufDecoders.messages: " + path.get(path.size() - 1)
                        + " imports \"" + name + "\", which the descriptor set lacks: write it with "
                        + "protoc --include_imports");
            }
            return wellKnown;
        }
        if (path.contains(name)) {
            throw new IllegalArgumentException("ProtobufDecoders.messages: files import each other: " + path + " -> " + name);
        }
        path.add(name);
        FileDescriptor[] deps = new FileDescriptor[proto.getDependencyCount()];
        for (int i = 0; i < deps.length; i++) {
            deps[i] = build(proto.getDependency(i), protos, built, path);
        }
        path.remove(path.size() - 1);
        try {
            FileDescriptor file = FileDescriptor.buildFrom(proto, deps);
            built.put(name, file);
            return file;
        } catch (DescriptorValidationException e) {
            throw new IllegalArgumentException("ProtobufDecoders.messages: " + name + " does not build: " + e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return "Protobuf";
    }

    @Override
    public void decode(SourceRecord record, RowBuffer rows) throws DecodeException {
        try {
            reader.readRow(record.data(), record.offset(), record.offset() + record.length(), rows);
        } catch (IOException e) {
            throw new DecodeException(ErrorKind.DATA_PARSING_ERROR, "cannot decode as " + reader.type.getFullName()
                    + ": " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "Protobuf[" + reader.type.getFullName() + "]";
    }
}
