package dev.clickpipes.source.objectstore;

import dev.clickpipes.core.spi.Decoder;
import dev.clickpipes.format.Decoders;

/**
 * Which decoder reads a format's records: the builder's own for line formats when one is set, else
 * the format's default. Parquet is looked up by name so that this module does not depend on the
 * Parquet module, which only a Parquet load needs.
 */
final class ObjectDecoderResolution {

    private ObjectDecoderResolution() {
    }

    /** The decoder of {@code format}; {@code lineDecoder} is the one set with the builder's {@code decoder}, or null. */
    static Decoder of(ObjectFormat format, Decoder lineDecoder) {
        if (format == ObjectFormat.PARQUET) {
            try {
                Class<?> c = Class.forName("dev.clickpipes.format.parquet.ParquetDecoder");
                return (Decoder) c.getMethod("create").invoke(null);
            } catch (ReflectiveOperationException | LinkageError e) {
                throw new IllegalStateException("reading Parquet needs dev.clickpipes:clickpipes-format-parquet on "
                        + "the class path; add it as a dependency", e);
            }
        }
        if (lineDecoder != null) {
            return lineDecoder;
        }
        if (format == ObjectFormat.PROTOBUF_DELIMITED) {
            throw new IllegalArgumentException("ObjectStoreSource: format PROTOBUF_DELIMITED needs the messages'"
                    + " decoder: .decoder(ProtobufDecoders.messages(descriptorSet, \"package.Message\")) from"
                    + " clickpipes-format-protobuf");
        }
        return switch (format) {
            case CSV -> Decoders.csv();
            case TSV -> Decoders.tsv();
            default -> Decoders.json();
        };
    }
}
