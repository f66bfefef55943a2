package dev.clickpipes.format.protobuf;

import com.google.protobuf.AnyProto;
import com.google.protobuf.ApiProto;
import com.google.protobuf.DescriptorProtos;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DurationProto;
import com.google.protobuf.EmptyProto;
import com.google.protobuf.FieldMaskProto;
import com.google.protobuf.SourceContextProto;
import com.google.protobuf.StructProto;
import com.google.protobuf.TimestampProto;
import com.google.protobuf.TypeProto;
import com.google.protobuf.WrappersProto;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The files of the well-known types ({@code google/protobuf/timestamp.proto} and the others) as
 * protobuf-java carries them: a schema may import them without a registry reference or a
 * descriptor set holding them.
 */
final class WellKnownTypes {

    private static final Map<String, FileDescriptor> FILES = List.of(AnyProto.getDescriptor(),
            ApiProto.getDescriptor(), DurationProto.getDescriptor(), EmptyProto.getDescriptor(),
            FieldMaskProto.getDescriptor(), SourceContextProto.getDescriptor(), StructProto.getDescriptor(),
            TimestampProto.getDescriptor(), TypeProto.getDescriptor(), WrappersProto.getDescriptor(),
            DescriptorProtos.getDescriptor())
            .stream().collect(Collectors.toUnmodifiableMap(FileDescriptor::getName, f -> f));

    private WellKnownTypes() {
    }

    /** The file at this import path, or null when it is not a well-known type's. */
    static FileDescriptor file(String path) {
        return FILES.get(path);
    }
}
