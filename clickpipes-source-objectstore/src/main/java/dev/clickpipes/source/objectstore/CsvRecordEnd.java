package dev.clickpipes.source.objectstore;

import dev.clickpipes.format.text.Lines;

/**
 * Where a CSV record ends in a run of bytes: at the first newline outside a quoted field, as
 * ClickHouse reads CSV (a field is quoted when it starts with {@code "}; inside, {@code ""} is a
 * quote). A quote that is never closed does not swallow the rest of the object: the record then
 * ends at its first newline, and the decoder reports the unclosed quote for it.
 */
final class CsvRecordEnd {

    /** A quoted field longer than this is taken for an unclosed quote (and memory stays bounded). */
    static final int MAX_QUOTED_RECORD = 16 << 20;

    private final int delimiter;

    /** @param delimiter the field delimiter; a non-ASCII one never matches a single byte */
    CsvRecordEnd(char delimiter) {
        this.delimiter = delimiter < 0x80 ? delimiter : -1;
    }

    /**
     * The index of the newline that ends the record starting at {@code from}, or -1 when the bytes
     * up to {@code to} do not say yet (more are coming unless {@code eof}).
     */
    int find(byte[] bytes, int from, int to, boolean eof) {
        boolean fieldStart = true;
        boolean quoted = false;
        for (int i = from; i < to; i++) {
            int b = bytes[i];
            if (quoted) {
                if (b == '"') {
                    if (i + 1 < to && bytes[i + 1] == '"') {
                        i++; // a doubled quote inside the field
                    } else if (i + 1 < to || eof) {
                        quoted = false;
                    } else {
                        return -1; // "" or a closing quote: the next bytes decide
                    }
                }
                continue;
            }
            if (b == '\n') {
                return i;
            }
            quoted = fieldStart && b == '"';
            fieldStart = b == delimiter;
        }
        if (quoted && (eof || to - from > MAX_QUOTED_RECORD)) {
            return Lines.indexOfNewline(bytes, from, to); // never closed
        }
        return -1;
    }
}
