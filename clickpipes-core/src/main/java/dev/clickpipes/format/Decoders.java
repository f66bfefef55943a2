package dev.clickpipes.format;

import dev.clickpipes.core.spi.Decoder;
import dev.clickpipes.format.json.JsonDecoder;

/** The decoders that come with clickpipes-core. Formats in other modules have their own factories. */
public final class Decoders {

    private static final JsonDecoder JSON = new JsonDecoder();

    private Decoders() {
    }

    /** JSON objects, one per record (JSONEachRow); fields map to columns by name. */
    public static Decoder json() {
        return JSON;
    }
}
