package dev.clickpipes.clickhouse.sink;

import dev.clickpipes.clickhouse.ClickHouseException;
import dev.clickpipes.clickhouse.ClickHouseTransport;
import dev.clickpipes.clickhouse.TabSeparated;
import dev.clickpipes.core.Batching;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.core.RetryPolicy;
import dev.clickpipes.core.spi.Decoder;
import dev.clickpipes.source.memory.MemorySource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares our pipe with a ClickHouse's own parser of the same format: values go (a) through the
 * pipe and (b) through {@code INSERT ... FORMAT} into identical tables {@code (id UInt32, v T)},
 * one insert per value so each is accepted or refused on its own. Returns every difference not
 * listed as deliberate.
 */
public final class TypeOracle {

    private final ClickHouseTransport clickhouse;
    private final String database;
    private final String tableSettings;
    private int tableNumber;

    /** An oracle on this server and database; {@code tableSettings} ends each CREATE TABLE (may be empty). */
    public TypeOracle(ClickHouseTransport clickhouse, String database, String tableSettings) {
        this.clickhouse = clickhouse;
        this.database = database;
        this.tableSettings = tableSettings;
    }

    /**
     * The differences for one type.
     *
     * @param stricter  values ClickHouse accepts and we refuse on purpose ("Type value" keys)
     * @param different values both accept but read differently on purpose
     */
    public List<String> differences(String type, List<String> values, List<String> records, Decoder decoder,
                                    String format, Map<String, String> stricter, Map<String, String> different)
            throws Exception {
        return differences(type, values, records, decoder, format, stricter, different, Batching.defaults(),
                RetryPolicy.defaults());
    }

    /**
     * The differences for one type, the pipe's records cut into batches by {@code batching}; an insert
     * the server refuses fails the pipe after two tries instead of being retried forever.
     */
    public List<String> differences(String type, List<String> values, List<String> records, Decoder decoder,
                                    String format, Map<String, String> stricter, Map<String, String> different,
                                    Batching batching) throws Exception {
        return differences(type, values, records, decoder, format, stricter, different, batching,
                RetryPolicy.of(Duration.ofMillis(10), Duration.ofMillis(50), 2));
    }

    private List<String> differences(String type, List<String> values, List<String> records, Decoder decoder,
                                     String format, Map<String, String> stricter, Map<String, String> different,
                                     Batching batching, RetryPolicy retry) throws Exception {
        String piped = database + ".piped_" + (++tableNumber);
        String oracle = database + ".oracle_" + tableNumber;
        for (String t : List.of(piped, oracle)) {
            clickhouse.query("CREATE TABLE " + t + " (id UInt32, v " + type + ") ENGINE = MergeTree ORDER BY id"
                    + tableSettings);
        }
        Pipe.builder().name("oracle").source(MemorySource.of(records)).decoder(decoder).batching(batching)
                .retry(retry)
                .sink(ClickHouseSink.builder().transport(clickhouse).table(piped).build()).build().run();

        Set<Integer> oracleRejected = new TreeSet<>();
        for (int i = 0; i < records.size(); i++) {
            byte[] body = records.get(i).getBytes(StandardCharsets.UTF_8);
            try {
                clickhouse.insert("INSERT INTO " + oracle + " FORMAT " + format, body, body.length);
            } catch (ClickHouseException e) {
                oracleRejected.add(i);
            }
        }
        Map<Integer, String> ours = rows(piped, type);
        Map<Integer, String> theirs = rows(oracle, type);
        Map<Integer, String> errors = new TreeMap<>();
        for (List<String> r : TabSeparated.rows(clickhouse.query("SELECT position, message FROM " + piped
                + "_clickpipes_error"))) {
            errors.put(Integer.parseInt(r.get(0).substring(r.get(0).indexOf('@') + 1)), r.get(1));
        }

        List<String> problems = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            String key = type + " " + values.get(i);
            boolean weRejected = errors.containsKey(i);
            if (oracleRejected.contains(i)) {
                if (!weRejected) {
                    problems.add(key + ": ClickHouse rejects it, we inserted " + ours.get(i));
                }
            } else if (weRejected) {
                if (!stricter.containsKey(key)) {
                    problems.add(key + ": ClickHouse reads it as " + theirs.get(i) + ", we refused: " + errors.get(i));
                }
            } else if (!String.valueOf(theirs.get(i)).equals(String.valueOf(ours.get(i))) && !different.containsKey(key)) {
                problems.add(key + ": ClickHouse reads " + theirs.get(i) + ", we wrote " + ours.get(i));
            }
        }
        if (ours.size() + errors.size() != values.size()) {
            problems.add(type + ": " + ours.size() + " rows and " + errors.size() + " errors for " + values.size() + " values");
        }
        return problems;
    }

    private Map<Integer, String> rows(String table, String type) throws Exception {
        Map<Integer, String> out = new TreeMap<>();
        for (List<String> r : TabSeparated.rows(clickhouse.query("SELECT id, " + readBack(type) + " FROM " + table
                + " ORDER BY id"))) {
            out.put(Integer.parseInt(r.get(0)), r.get(1));
        }
        return out;
    }

    /**
     * By the start of a type, what to read back beside its value: the variant of each Variant in it, as equal text
     * may sit in different variants. Nested Variants in the few shapes tests use: arrays, arrays of arrays, maps of
     * arrays, and a tuple's array element {@code a}.
     */
    private static final Map<String, String> VARIANT_TYPES = new java.util.LinkedHashMap<>();

    static {
        VARIANT_TYPES.put("Variant(", "variantType(v)");
        VARIANT_TYPES.put("Dynamic", "dynamicType(v)");
        VARIANT_TYPES.put("Array(Variant(", "arrayMap(x -> variantType(x), v)");
        VARIANT_TYPES.put("Array(Array(Variant(", "arrayMap(a -> arrayMap(x -> variantType(x), a), v)");
        VARIANT_TYPES.put("Map(String, Array(Variant(", "mapApply((k, a) -> (k, arrayMap(x -> variantType(x), a)), v)");
        VARIANT_TYPES.put("Tuple(a Array(Variant(", "arrayMap(x -> variantType(x), v.a)");
    }

    /** The value as read back; with the variants that hold it, for the types {@link #VARIANT_TYPES} knows. */
    private static String readBack(String type) {
        return VARIANT_TYPES.entrySet().stream().filter(e -> type.startsWith(e.getKey()))
                .map(e -> "(v, " + e.getValue() + ")").findFirst().orElse("v");
    }
}
