package dev.clickpipes.format.text;

import dev.clickpipes.clickhouse.TabSeparated;
import dev.clickpipes.core.ErrorKind;
import dev.clickpipes.core.spi.DecodeException;
import java.util.ArrayList;
import java.util.List;

/**
 * TabSeparated as ClickHouse reads it: one row a line, fields split by tabs, special characters
 * escaped with backslashes ({@code \t \n \\ \'}), {@code \N} is NULL. Build with {@link #builder()}
 * or {@code Decoders.tsv()}.
 */
public final class TsvDecoder extends DelimitedDecoder {

    private final char delimiter;

    private TsvDecoder(Builder b) {
        super(b.withNames ? "TSVWithNames" : "TSV", b.withNames, b.columnNames, true);
        this.delimiter = b.delimiter;
    }

    /** A builder: tab-delimited, columns by position. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    RowReader reader(String text) {
        return new RowReader() {
            private int pos;
            private int line;

            @Override
            public List<TextField> next() throws DecodeException {
                if (pos >= text.length()) {
                    return null;
                }
                line++;
                int end = text.indexOf('\n', pos);
                if (end < 0) {
                    end = text.length();
                }
                int stop = end > pos && text.charAt(end - 1) == '\r' ? end - 1 : end;
                List<TextField> fields = new ArrayList<>();
                int start = pos;
                for (int i = pos; i <= stop; i++) {
                    if (i == stop || text.charAt(i) == delimiter) {
                        fields.add(field(text.substring(start, i), line));
                        start = i + 1;
                    }
                }
                pos = end + 1;
                return fields;
            }
        };
    }

    private static TextField field(String raw, int line) throws DecodeException {
        if (raw.equals("\\N")) {
            return new TextField("", true, false, false);
        }
        if (raw.indexOf('\\') < 0) {
            return new TextField(raw, false, false, false);
        }
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (++i >= raw.length()) {
                throw new DecodeException(ErrorKind.DATA_PARSING_ERROR, "TSV line " + line + ": a field ends with a lone backslash");
            }
            char e = raw.charAt(i);
            out.append(TabSeparated.unescape(e));
        }
        return new TextField(out.toString(), false, false, false, raw);
    }

    /** Builds a {@link TsvDecoder}. */
    public static final class Builder extends TextFormatBuilder<Builder> {
        private Builder() {
            super('\t');
        }

        /** The decoder; fails when the settings contradict each other. */
        public TsvDecoder build() {
            check("TSV", "\\\n");
            return new TsvDecoder(this);
        }
    }
}
