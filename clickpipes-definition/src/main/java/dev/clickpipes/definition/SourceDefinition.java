package dev.clickpipes.definition;

import dev.clickpipes.core.spi.Decoder;
import dev.clickpipes.core.spi.Source;
import dev.clickpipes.source.memory.MemorySource;
import dev.clickpipes.source.memory.NdjsonFileSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Reads a {@code source} section by its {@code type}; the core's file and memory sources are read here. */
final class SourceDefinition {

    private SourceDefinition() {
    }

    static Supplier<Source> parse(String path, Object value, ConfigNode parent, Supplier<Decoder> lineDecoder) {
        String type = ConfigNode.peekType(path, value);
        switch (type == null ? "" : type) {
            case "kafka" -> {
                ConfigNode n = parent.section("source", DefinitionSchema.KAFKA);
                n.choice("type");
                Parts.requireModule(n.pathOf("type"), "dev.clickpipes.source.kafka.KafkaSource", "clickpipes-source-kafka");
                return KafkaSourceDefinition.parse(n);
            }
            case "object-store" -> {
                ConfigNode n = parent.section("source", DefinitionSchema.OBJECT_STORE);
                n.choice("type");
                Parts.requireModule(n.pathOf("type"), "dev.clickpipes.source.objectstore.ObjectStoreSource", "clickpipes-source-objectstore");
                return ObjectStoreSourceDefinition.parse(n, lineDecoder);
            }
            case "file" -> {
                return file(parent.section("source", DefinitionSchema.FILE));
            }
            case "memory" -> {
                return memory(parent.section("source", DefinitionSchema.MEMORY));
            }
            default -> throw new DefinitionException(path + ".type", (type == null ? "is required" : "unknown source '" + type + "'")
                    + "; expected one of " + List.of(DefinitionSchema.SOURCE_TYPES));
        }
    }

    private static Supplier<Source> file(ConfigNode n) {
        n.choice("type");
        String file = n.string("path");
        Long startAfter = n.longValue("start-after-line");
        String checkpoint = n.string("checkpoint");
        Long maxRecordBytes = n.size("max-record-bytes");
        n.refuseUnknownKeys();
        if (maxRecordBytes != null && maxRecordBytes > Integer.MAX_VALUE) {
            throw new DefinitionException(n.pathOf("max-record-bytes"), "must be at most " + Integer.MAX_VALUE + ", was " + maxRecordBytes);
        }
        return Parts.built(n.path(), () -> {
            NdjsonFileSource s = startAfter == null ? NdjsonFileSource.of(Path.of(file))
                    : NdjsonFileSource.startAfterLine(Path.of(file), startAfter);
            if (checkpoint != null) {
                s = s.withCheckpoint(Path.of(checkpoint));
            }
            if (maxRecordBytes != null) {
                s = s.maxRecordBytes(maxRecordBytes.intValue());
            }
            return s;
        });
    }

    private static Supplier<Source> memory(ConfigNode n) {
        n.choice("type");
        List<String> given = n.records("records");
        n.refuseUnknownKeys();
        List<String> records = given == null ? List.of() : new ArrayList<>(given);
        return () -> MemorySource.of(records);
    }
}
