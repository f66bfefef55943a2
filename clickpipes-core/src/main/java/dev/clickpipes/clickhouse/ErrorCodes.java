package dev.clickpipes.clickhouse;

import dev.clickpipes.core.spi.SinkException.Kind;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * ClickHouse's error codes (src/Common/ErrorCodes.cpp) and what the pipe does about each.
 *
 * <p>The table itself is the resource {@code error-codes.tsv} next to this class: one row per code
 * (code, name, kind, why), sorted by code, so a newcomer finds a code with a text search and a new
 * ClickHouse release is one diff against ErrorCodes.cpp. 700-odd rows would bury the few rules
 * below if they were Java; parsed once, at class load, they cost a few hundred microseconds.
 */
final class ErrorCodes {

    static final String RESOURCE = "error-codes.tsv";

    /** One row of the table. */
    record Entry(int code, String name, Kind kind, String why) {
    }

    private static final Map<Integer, Entry> TABLE = load();

    private ErrorCodes() {
    }

    /**
     * The kind of a failure with this code and message. Codes not in the table are
     * {@link Kind#UNKNOWN}: retried a few times, then split like a data error, so every row ends
     * somewhere and nothing loops forever.
     */
    static Kind classify(int code, String message) {
        if (code == 252 && message != null && message.contains("Too many partitions for single INSERT block")) {
            // TOO_MANY_PARTS' twin: the same batch would fail again; smaller ones, spanning fewer
            // partitions, pass. The other 252 ("Too many parts") waits for merges: RETRYABLE.
            return Kind.TOO_BIG;
        }
        Entry e = TABLE.get(code);
        return e == null ? Kind.UNKNOWN : e.kind();
    }

    /** ClickHouse's name of the code, such as {@code UNKNOWN_TABLE}, or null when unknown. */
    static String name(int code) {
        Entry e = TABLE.get(code);
        return e == null ? null : e.name();
    }

    /** Every row of the table, by code. */
    static Map<Integer, Entry> table() {
        return TABLE;
    }

    private static Map<Integer, Entry> load() {
        try (InputStream in = ErrorCodes.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /**
     * Parses the table: {@code #} comments and blank lines skipped; rows must be sorted by code,
     * each code once, each with a known kind.
     */
    static Map<Integer, Entry> parse(BufferedReader reader) throws IOException {
        Map<Integer, Entry> table = new TreeMap<>();
        int previous = -1;
        int lineNumber = 0;
        for (String line; (line = reader.readLine()) != null; ) {
            lineNumber++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length < 3 || f.length > 4) {
                throw new IllegalStateException(RESOURCE + " line " + lineNumber
                        + ": expected code, name, kind[, why] separated by tabs: " + line);
            }
            int code = Integer.parseInt(f[0]);
            if (code <= previous) {
                throw new IllegalStateException(RESOURCE + " line " + lineNumber + ": code " + code
                        + (code == previous ? " appears twice" : " is out of order (after " + previous + ")"));
            }
            previous = code;
            Kind kind = Kind.valueOf(f[2]);
            if (kind == Kind.UNKNOWN) {
                throw new IllegalStateException(RESOURCE + " line " + lineNumber + ": code " + code
                        + " is UNKNOWN; a code in the table must say what it is");
            }
            table.put(code, new Entry(code, f[1], kind, f.length == 4 ? f[3] : ""));
        }
        return Collections.unmodifiableMap(table);
    }
}
