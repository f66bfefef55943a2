package dev.clickpipes.format.protobuf;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;

/**
 * Confluent's Protobuf wire format, written as its serializer writes it (which is not on Maven
 * Central): magic byte 0, the schema id as 4 big-endian bytes, the message indexes as zig-zag
 * varints (the single byte 0 for the first message), then the message as protobuf-java encodes it.
 */
final class ConfluentProtobuf {

    private ConfluentProtobuf() {
    }

    /** The framed message; {@code indexes} is the message's path in its file ({@code 0} for the first). */
    static byte[] encode(int id, Message message, int... indexes) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            bytes.write(new byte[] {0, (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id});
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            if (indexes.length == 1 && indexes[0] == 0) {
                out.writeSInt32NoTag(0); // the short form of [0]
            } else {
                out.writeSInt32NoTag(indexes.length);
                for (int i : indexes) {
                    out.writeSInt32NoTag(i);
                }
            }
            message.writeTo(out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file descriptor written in protobuf's text format (what protoc would compile a .proto into). */
    static FileDescriptorProto file(String textFormat) {
        try {
            FileDescriptorProto.Builder b = FileDescriptorProto.newBuilder();
            TextFormat.merge(textFormat, b);
            return b.build();
        } catch (TextFormat.ParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The registry's {@code ?format=serialized} form: base64, under the name registries give every file. */
    static String serialized(FileDescriptorProto file) {
        return Base64.getEncoder().encodeToString(file.toBuilder().setName("default").build().toByteArray());
    }
}
