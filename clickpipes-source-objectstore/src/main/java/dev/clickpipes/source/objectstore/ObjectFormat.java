package dev.clickpipes.source.objectstore;

import java.util.Locale;

/** How an object's bytes become records. */
public enum ObjectFormat {
    /** One JSON object per line (JSONEachRow); {@code .ndjson}, {@code .jsonl}, {@code .json}. */
    NDJSON,
    /** One CSV record per line; {@code .csv}. */
    CSV,
    /** One TSV record per line; {@code .tsv}. */
    TSV,
    /** Parquet, read by row groups with ranged requests; {@code .parquet}. Needs clickpipes-format-parquet. */
    PARQUET,
    /**
     * Protobuf messages, each after its length as a varint (protobuf-java's {@code writeDelimitedTo}),
     * one record a message; never taken from an extension. Give the decoder:
     * {@code .decoder(ProtobufDecoders.messages(descriptorSet, "shop.Order"))} (clickpipes-format-protobuf).
     */
    PROTOBUF_DELIMITED;

    /** True for the formats read line by line. */
    public boolean lineBased() {
        return this == NDJSON || this == CSV || this == TSV;
    }

    /** The format a name's extension says (after any compression extension), or null. */
    static ObjectFormat fromName(String name) {
        String n = Compression.stripExtension(name).toLowerCase(Locale.ROOT);
        if (n.endsWith(".ndjson") || n.endsWith(".jsonl") || n.endsWith(".json")) {
            return NDJSON;
        }
        if (n.endsWith(".csv")) {
            return CSV;
        }
        if (n.endsWith(".tsv") || n.endsWith(".tab")) {
            return TSV;
        }
        if (n.endsWith(".parquet") || n.endsWith(".pq")) {
            return PARQUET;
        }
        return null;
    }
}
