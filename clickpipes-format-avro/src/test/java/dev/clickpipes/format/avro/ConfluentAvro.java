package dev.clickpipes.format.avro;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * Confluent's wire format, written the way its serializer writes it (which is not on Maven
 * Central): magic byte 0, the schema id as 4 big-endian bytes, then Avro's binary encoding by
 * {@link GenericDatumWriter}.
 */
public final class ConfluentAvro {

    private ConfluentAvro() {
    }

    /** The framed message for a datum of {@code schema}, registered as {@code id}. */
    public static byte[] encode(int id, Schema schema, Object datum) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(id >>> 24);
        out.write(id >>> 16);
        out.write(id >>> 8);
        out.write(id);
        writeDatum(schema, datum, out);
        return out.toByteArray();
    }

    /** The datum's binary encoding alone, without the header. */
    public static byte[] encodeBare(Schema schema, Object datum) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeDatum(schema, datum, out);
        return out.toByteArray();
    }

    private static void writeDatum(Schema schema, Object datum, ByteArrayOutputStream out) {
        try {
            BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<Object>(schema).write(datum, enc);
            enc.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
