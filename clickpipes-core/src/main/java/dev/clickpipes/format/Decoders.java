package dev.clickpipes.format;

import dev.clickpipes.core.spi.Decoder;
import dev.clickpipes.format.json.JsonDecoder;
import dev.clickpipes.format.text.CsvDecoder;
import dev.clickpipes.format.text.TsvDecoder;

/** The decoders that come with clickpipes-core. Formats in other modules have their own factories. */
public final class Decoders {

    private static final JsonDecoder JSON = new JsonDecoder();

    private Decoders() {
    }

    /** JSON objects, one per record (JSONEachRow); fields map to columns by name. */
    public static Decoder json() {
        return JSON;
    }

    /** CSV, comma-delimited, fields in the table's column order. See {@link CsvDecoder#builder()} for the options. */
    public static Decoder csv() {
        return CsvDecoder.builder().build();
    }

    /** CSVWithNames: the first row of each file names the columns. */
    public static Decoder csvWithNames() {
        return CsvDecoder.builder().withNames(true).build();
    }

    /** TabSeparated, fields in the table's column order. See {@link TsvDecoder#builder()} for the options. */
    public static Decoder tsv() {
        return TsvDecoder.builder().build();
    }

    /** TabSeparatedWithNames: the first row of each file names the columns. */
    public static Decoder tsvWithNames() {
        return TsvDecoder.builder().withNames(true).build();
    }
}
