package dev.clickpipes.format.text;

import dev.clickpipes.core.ErrorKind;
import dev.clickpipes.core.spi.DecodeException;
import java.util.ArrayList;
import java.util.List;

/**
 * CSV as ClickHouse reads it (RFC 4180): fields in double quotes may hold the delimiter, newlines
 * and doubled quotes; {@code \N} unquoted is NULL; an empty unquoted field takes the column's
 * default. Build with {@link #builder()} or {@code Decoders.csv()}.
 */
public final class CsvDecoder extends DelimitedDecoder {

    private final char delimiter;

    private CsvDecoder(Builder b) {
        super(b.withNames ? "CSVWithNames" : "CSV", b.withNames, b.columnNames, false);
        this.delimiter = b.delimiter;
    }

    /** The field delimiter. */
    public char delimiter() {
        return delimiter;
    }

    /** A builder: comma-delimited, columns by position. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    RowReader reader(String text) {
        return new Reader(text);
    }

    private final class Reader implements RowReader {
        private final String text;
        private int pos;
        private int line = 1;

        Reader(String text) {
            this.text = text;
        }

        @Override
        public List<TextField> next() throws DecodeException {
            while (pos < text.length() && (text.charAt(pos) == '\n' || text.charAt(pos) == '\r')) {
                if (text.charAt(pos++) == '\n') {
                    line++; // blank lines between rows are skipped
                }
            }
            if (pos >= text.length()) {
                return null;
            }
            List<TextField> fields = new ArrayList<>();
            while (true) {
                fields.add(field());
                if (pos >= text.length()) {
                    return fields;
                }
                char c = text.charAt(pos);
                if (c == delimiter) {
                    pos++;
                    if (pos >= text.length()) {
                        fields.add(new TextField("", false, true, false)); // a trailing delimiter ends with an empty field
                        return fields;
                    }
                } else {
                    pos += c == '\r' && pos + 1 < text.length() && text.charAt(pos + 1) == '\n' ? 2 : 1;
                    line++;
                    return fields;
                }
            }
        }

        private TextField field() throws DecodeException {
            if (pos < text.length() && text.charAt(pos) == '"') {
                int startLine = line;
                StringBuilder out = new StringBuilder();
                pos++;
                while (true) {
                    if (pos >= text.length()) {
                        throw new DecodeException(ErrorKind.DATA_PARSING_ERROR,
                                "CSV: a quoted field opened on line " + startLine + " is never closed");
                    }
                    char c = text.charAt(pos++);
                    if (c == '"') {
                        if (pos < text.length() && text.charAt(pos) == '"') {
                            out.append('"');
                            pos++;
                        } else {
                            break;
                        }
                    } else {
                        if (c == '\n') {
                            line++;
                        }
                        out.append(c);
                    }
                }
                if (pos < text.length() && !isEnd(text.charAt(pos))) {
                    throw new DecodeException(ErrorKind.DATA_PARSING_ERROR, "CSV line " + line
                            + ": unexpected '" + text.charAt(pos) + "' after a closing quote");
                }
                return new TextField(out.toString(), false, false, true);
            }
            int start = pos;
            while (pos < text.length() && !isEnd(text.charAt(pos))) {
                pos++;
            }
            String raw = text.substring(start, pos);
            return new TextField(raw, raw.equals("\\N"), raw.isEmpty(), false);
        }

        private boolean isEnd(char c) {
            return c == delimiter || c == '\n' || c == '\r';
        }
    }

    /** Builds a {@link CsvDecoder}. */
    public static final class Builder extends TextFormatBuilder<Builder> {
        private Builder() {
            super(',');
        }

        /** The decoder; fails when the settings contradict each other. */
        public CsvDecoder build() {
            check("CSV", "\"\n\r");
            return new CsvDecoder(this);
        }
    }
}
