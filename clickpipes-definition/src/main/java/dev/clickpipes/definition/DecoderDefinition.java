package dev.clickpipes.definition;

import dev.clickpipes.core.spi.Decoder;
import dev.clickpipes.format.Decoders;
import dev.clickpipes.format.text.CsvDecoder;
import dev.clickpipes.format.text.TextFormatBuilder;
import dev.clickpipes.format.text.TsvDecoder;
import java.util.List;
import java.util.function.Supplier;

/** Reads a {@code decoder} section by its {@code type}. */
final class DecoderDefinition {

    private DecoderDefinition() {
    }

    static Supplier<Decoder> parse(String path, Object value, ConfigNode parent) {
        String type = ConfigNode.peekType(path, value);
        switch (type == null ? "" : type) {
            case "json" -> {
                ConfigNode n = parent.section("decoder", DefinitionSchema.JSON);
                n.choice("type");
                n.refuseUnknownKeys();
                return Decoders::json;
            }
            case "csv" -> {
                ConfigNode n = parent.section("decoder", DefinitionSchema.CSV);
                return text(n, true);
            }
            case "tsv" -> {
                ConfigNode n = parent.section("decoder", DefinitionSchema.TSV);
                return text(n, false);
            }
            case "avro-confluent" -> {
                ConfigNode n = parent.section("decoder", DefinitionSchema.AVRO);
                n.choice("type");
                Parts.requireModule(n.pathOf("type"), "dev.clickpipes.format.avro.AvroDecoders", "clickpipes-format-avro");
                return RegistryDecoderDefinition.parse(n, type, FormatModules::avroConfluent);
            }
            case "protobuf-confluent" -> {
                ConfigNode n = parent.section("decoder", DefinitionSchema.PROTOBUF);
                n.choice("type");
                Parts.requireModule(n.pathOf("type"), "dev.clickpipes.format.protobuf.ProtobufDecoders",
                        "clickpipes-format-protobuf");
                return RegistryDecoderDefinition.parse(n, type, FormatModules::protobufConfluent);
            }
            case "protobuf" -> {
                ConfigNode n = parent.section("decoder", DefinitionSchema.PROTOBUF_MESSAGES);
                n.choice("type");
                Parts.requireModule(n.pathOf("type"), "dev.clickpipes.format.protobuf.ProtobufDecoders",
                        "clickpipes-format-protobuf");
                String descriptors = n.string("descriptor-set");
                String messageType = n.string("message-type");
                n.refuseUnknownKeys();
                // read now: an unreadable file or a type it lacks fails at start, naming its key
                Parts.built(n.pathOf("descriptor-set"), () -> FormatModules.descriptorSet(descriptors)).get();
                Parts.built(n.pathOf("message-type"), () -> FormatModules.protobufMessages(descriptors, messageType)).get();
                return Parts.built(n.path(), () -> FormatModules.protobufMessages(descriptors, messageType));
            }
            default -> throw new DefinitionException(path + ".type", (type == null ? "is required" : "unknown decoder '" + type + "'")
                    + "; expected one of " + List.of(DefinitionSchema.DECODER_TYPES));
        }
    }

    private static Supplier<Decoder> text(ConfigNode n, boolean csv) {
        n.choice("type");
        Boolean withNames = n.bool("with-names");
        String delimiter = n.string("delimiter");
        List<String> columns = n.list("column-names");
        n.refuseUnknownKeys();
        Character d = delimiter == null ? null : Parts.oneChar(n.pathOf("delimiter"), delimiter.equals("\\t") ? "\t" : delimiter);
        return Parts.built(n.path(), () -> csv
                ? configured(CsvDecoder.builder(), withNames, d, columns).build()
                : configured(TsvDecoder.builder(), withNames, d, columns).build());
    }

    /** Sets on a CSV or TSV builder the keys the definition gave; the others keep the builder's defaults. */
    private static <B extends TextFormatBuilder<B>> B configured(B b, Boolean withNames, Character d, List<String> columns) {
        if (withNames != null) {
            b.withNames(withNames);
        }
        if (d != null) {
            b.delimiter(d);
        }
        if (columns != null) {
            b.columnNames(columns);
        }
        return b;
    }
}
