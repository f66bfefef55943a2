package dev.clickpipes.format.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.source.memory.MemorySource;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import dev.clickpipes.testkit.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every file of apache/parquet-testing, read by our decoder into a table whose columns are what
 * the embedded engine infers for the file, compared value for value with the engine's own
 * {@code INSERT ... SELECT * FROM file(..., Parquet)} of the same file. Files either side cannot
 * read are reported with the reason. The corpus folder comes from {@code -Dclickpipes.corpus}
 * (default {@code ../shared/corpus} beside the repository).
 */
class ParquetConformanceTest {

    /** Files we read differently from the engine on purpose or by a known limit; the reason is printed. */
    static final Map<String, String> KNOWN = Map.of(
            "large_string_map.brotli.parquet", "not run: one column chunk decompresses to more than 2 GB; parquet-java "
                    + "holds a page in one byte[], so it cannot (the engine streams it)",
            "nation.dict-malformed.parquet", "a deliberately malformed dictionary page: parquet-java stops with an "
                    + "EOFException (the file goes to the error table), the engine reads past it");
    /** Files read into Dynamic columns differently from the engine on purpose or by a known limit (and {@link #KNOWN}'s). */
    static final Map<String, String> KNOWN_DYNAMIC = new java.util.HashMap<>(KNOWN);

    static {
        KNOWN_DYNAMIC.put("json_annotation.parquet", "a JSON field's values are Strings in a Dynamic column, JSON values in"
                + " the engine's read: JSON columns go to the server as text, which a Variant's part cannot be");
    }
    /** Fields whose inferred type differs from the engine's on purpose (file and field name, then the reason). */
    static final Map<String, String> KNOWN_TYPES = Map.of();
    /** Files not even tried (they would exhaust the test JVM's heap). */
    static final java.util.Set<String> SKIP = java.util.Set.of("large_string_map.brotli.parquet");

    static EmbeddedClickHouse clickhouse;
    static TestDatabase db;

    /** The files written here (see {@link #writeFiles}), beside the corpus's. */
    static Path written;

    @BeforeAll
    static void start() throws Exception {
        clickhouse = EmbeddedClickHouse.shared();
        db = clickhouse.newDatabase();
        written = Files.createTempDirectory("parquet-conformance");
        writeFiles(written);
    }

    /**
     * Three files for what the corpus lacks: every logical type annotation parquet-java writes (integer widths, times,
     * timestamps not adjusted to UTC, decimals in binary, ENUM, BSON, UUID, INTERVAL), optional and in lists, and
     * JSON in a file of its own; and the engine's own writing of its types (dates, decimals, UUID, maps, tuples, nullable and nested values).
     */
    static void writeFiles(Path dir) throws Exception {
        org.apache.parquet.schema.MessageType schema = org.apache.parquet.schema.MessageTypeParser.parseMessageType(
                "message m { required int32 id; optional int32 i8 (INTEGER(8,true)); required int32 u16 (INTEGER(16,false)); "
                + "optional int64 u64 (INTEGER(64,false)); required int32 tm (TIME(MILLIS,true)); "
                + "optional int64 tu (TIME(MICROS,false)); required int64 tn (TIME(NANOS,true)); "
                + "optional int64 tsm (TIMESTAMP(MILLIS,false)); required int64 tsn (TIMESTAMP(NANOS,true)); "
                + "optional int32 day (DATE); required int64 d18 (DECIMAL(18,3)); optional binary db (DECIMAL(20,2)); "
                + "required binary e (ENUM); required binary b (BSON); optional binary raw; "
                + "optional binary s (STRING); required fixed_len_byte_array(16) u (UUID); "
                + "optional fixed_len_byte_array(12) iv (INTERVAL); required fixed_len_byte_array(3) f3; "
                + "optional float f; required double d; optional boolean ok; "
                + "optional group days (LIST) { repeated group list { optional int32 element (DATE); } } "
                + "optional group stamps (LIST) { repeated group list { required int64 element (TIMESTAMP(MICROS,true)); } } "
                + "optional group point { required int32 x; optional binary label (STRING); } }");
        try (var w = org.apache.parquet.hadoop.example.ExampleParquetWriter.builder(
                new org.apache.parquet.io.LocalOutputFile(dir.resolve("logical_types.parquet")))
                .withConf(new org.apache.parquet.conf.PlainParquetConfiguration()).withType(schema).build()) {
            var groups = new org.apache.parquet.example.data.simple.SimpleGroupFactory(schema);
            for (int i = 0; i < 20; i++) {
                var r = groups.newGroup();
                boolean all = i % 4 != 3; // every fourth row leaves the optional fields out
                r.append("id", i).append("u16", 60_000 + i).append("tm", 3_723_004 + i).append("tn", 3_723_000_000_006L + i)
                        .append("tsn", 1_700_000_000_123_456_789L + i).append("d18", 123_456L * i - 500_000)
                        .append("e", i % 2 == 0 ? "RED" : "GREEN")
                        .append("b", org.apache.parquet.io.api.Binary.fromConstantByteArray(new byte[]{5, 0, 0, 0, 0}))
                        .append("u", org.apache.parquet.io.api.Binary.fromConstantByteArray(
                                java.nio.ByteBuffer.allocate(16).putLong(0x0123456789abcdefL * i).putLong(i).array()))
                        .append("f3", org.apache.parquet.io.api.Binary.fromString("x" + (10 + i)))
                        .append("d", i / 3.0);
                if (all) {
                    r.append("i8", -5 * i).append("u64", -1L - i).append("tu", 3_723_000_005L * i)
                            .append("tsm", 1_700_000_000_123L + i * 86_400_000L).append("day", 19_000 + i * 31)
                            .append("db", org.apache.parquet.io.api.Binary.fromConstantByteArray(
                                    java.math.BigInteger.valueOf(1_000_000_007L * (i - 9)).toByteArray()))
                            .append("raw", org.apache.parquet.io.api.Binary.fromConstantByteArray(new byte[]{65, (byte) (66 + i)}))
                            .append("s", i % 5 == 0 ? "2024-01-0" + (i % 9 + 1) : "text " + i)
                            .append("iv", org.apache.parquet.io.api.Binary.fromConstantByteArray(new byte[12]))
                            .append("f", i / 7f).append("ok", i % 2 == 0);
                    var days = r.addGroup("days");
                    var stamps = r.addGroup("stamps");
                    for (int x = 0; x < i % 3; x++) {
                        var day = days.addGroup("list");
                        if (x != 1) {
                            day.append("element", 18_000 + i + x);
                        }
                        stamps.addGroup("list").append("element", 1_600_000_000_000_000L + 1_000_001L * i * x);
                    }
                    r.addGroup("point").append("x", i).append("label", "p" + i);
                }
                w.write(r);
            }
        }
        org.apache.parquet.schema.MessageType json = org.apache.parquet.schema.MessageTypeParser.parseMessageType(
                "message m { required int32 id; optional binary j (JSON); }");
        try (var w = org.apache.parquet.hadoop.example.ExampleParquetWriter.builder(
                new org.apache.parquet.io.LocalOutputFile(dir.resolve("json_annotation.parquet")))
                .withConf(new org.apache.parquet.conf.PlainParquetConfiguration()).withType(json).build()) {
            var groups = new org.apache.parquet.example.data.simple.SimpleGroupFactory(json);
            for (int i = 0; i < 5; i++) {
                var r = groups.newGroup().append("id", i);
                w.write(i == 3 ? r : r.append("j", "{\"a\":" + i + ",\"b\":[\"" + i + "\"]}"));
            }
        }
        clickhouse.query("INSERT INTO FUNCTION file('" + dir.resolve("engine_types.parquet") + "', Parquet) SELECT "
                + "number AS id, toDate('2024-01-02') + number AS date, toDate32('1960-01-02') + number AS date32, "
                + "toDateTime('2024-01-02 03:04:05', 'UTC') + number AS datetime, "
                + "toDateTime64('2024-01-02 03:04:05.123', 3, 'UTC') + number AS datetime64, "
                + "toDecimal32(number / 3, 2) AS dec32, toDecimal128(number / 3, 10) AS dec128, "
                + "toUUID('6d7e2c1a-0b2f-4c3e-9a41-' || leftPad(toString(number), 12, '0')) AS uuid, "
                + "toFixedString('ab', 2) AS fixed, toLowCardinality(toString(number)) AS low, "
                + "if(number % 2 = 0, NULL, toInt32(number)) AS maybe, toUInt8(number) AS u8, toInt16(number) - 3 AS i16, "
                + "toFloat32(number / 3) AS f32, number % 2 = 0 AS flag, toString(number) AS text, '2024-01-01' AS datelike, "
                + "toIPv4('1.2.3.4') AS ip, map('a', toInt32(number), 'b', NULL) AS m, tuple(toInt32(number), 'x') AS t, "
                + "[toDate('2024-01-01') + number, NULL] AS dates, CAST('a', 'Enum8(\\'a\\' = 1, \\'b\\' = 2)') AS enum, "
                + "toUInt64(number) + 18446744073709551000 AS big, [[number, number + 1], []] AS nested "
                + "FROM numbers(6)");
    }

    @AfterAll
    static void stop() throws Exception {
        // Not db.close(): its DROP DATABASE ... SYNC hangs in the embedded engine here; the shared
        // engine's temporary folder is deleted when the JVM exits.
        try (Stream<Path> s = Files.list(written)) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(written);
    }

    static Path corpus() {
        String dir = System.getProperty("clickpipes.corpus", "../../shared/corpus");
        return Path.of(dir).resolve("parquet-testing").toAbsolutePath().normalize();
    }

    @Test
    void everyCorpusFileMatchesTheEngine() throws Exception {
        compareEveryFile(Into.OWN_TYPES);
    }

    /**
     * Every column of every file into a Dynamic column, against the engine's own read of the file into the same
     * table ({@code INSERT ... SELECT * FROM file(...)} with the file's own types, which the engine's Dynamic keeps):
     * the same values of the same types, as {@code dynamicType()} shows them.
     */
    @Test
    void everyCorpusFileIntoDynamicColumnsMatchesTheEngine() throws Exception {
        compareEveryFile(Into.DYNAMIC);
    }

    /** The same with every list into an Array(Dynamic) column: each element keeps the list's element type. */
    @Test
    void everyCorpusListIntoArraysOfDynamicMatchesTheEngine() throws Exception {
        compareEveryFile(Into.ARRAY_OF_DYNAMIC);
    }

    /** The table each file goes into: its own types, Dynamic columns, or Dynamic columns with lists as Array(Dynamic). */
    private enum Into {
        OWN_TYPES, DYNAMIC, ARRAY_OF_DYNAMIC
    }

    /** Each top-level field's {@link InferredType} (Nullable when optional) is what {@code DESCRIBE file(...)} says. */
    @Test
    void everyCorpusFieldHasTheTypeTheEngineInfers() throws Exception {
        List<String> different = new ArrayList<>();
        int compared = 0;
        for (Path file : corpusFiles()) {
            List<List<String>> described;
            try {
                described = clickhouse.queryRows("DESCRIBE file('" + file.toString().replace("'", "\\'")
                        + "', Parquet) SETTINGS print_pretty_type_names = 0");
            } catch (Exception e) {
                continue; // the engine cannot read it: the file test above says why
            }
            org.apache.parquet.schema.MessageType schema;
            try (var reader = ListColumnTest.open(file)) {
                schema = reader.getFooter().getFileMetaData().getSchema();
            }
            FieldType[] fields = new RowAssembler(schema).fields();
            for (int i = 0; i < fields.length && i < described.size(); i++) {
                boolean optional = schema.getType(i).isRepetition(org.apache.parquet.schema.Type.Repetition.OPTIONAL);
                String ours = optional ? dev.clickpipes.clickhouse.types.TypeText.nullable(fields[i].clickHouseType) : fields[i].clickHouseType;
                compared++;
                if (!ours.equals(described.get(i).get(1))) {
                    different.add(file.getFileName() + " " + fields[i].name + " (" + fields[i].parquetType + "): ours "
                            + ours + ", the engine's " + described.get(i).get(1));
                }
            }
        }
        System.out.println("Parquet inferred types: " + compared + " fields compared, " + different.size() + " differ:\n  "
                + String.join("\n  ", different));
        assertThat(compared).isGreaterThan(100);
        different.removeIf(d -> KNOWN_TYPES.keySet().stream().anyMatch(d::startsWith));
        assertThat(different).isEmpty();
    }

    private static List<Path> corpusFiles() throws Exception {
        Path folder = corpus();
        Assumptions.assumeTrue(Files.isDirectory(folder), "the Parquet corpus is not at " + folder
                + " (set -Dclickpipes.corpus to the folder holding parquet-testing/)");
        List<Path> files = new ArrayList<>();
        for (Path dir : List.of(folder, written)) {
            try (Stream<Path> s = Files.list(dir)) {
                files.addAll(s.filter(p -> p.toString().endsWith(".parquet")).sorted().toList());
            }
        }
        return files;
    }

    private void compareEveryFile(Into into) throws Exception {
        boolean dynamic = into != Into.OWN_TYPES;
        List<Path> files = corpusFiles();
        Map<String, String> results = new LinkedHashMap<>();
        int matched = 0;
        List<String> unexpected = new ArrayList<>();
        int n = 0;
        for (Path file : files) {
            String result = compare(file, (dynamic ? "d" : "t") + (n++), into);
            results.put(file.getFileName().toString(), result);
            if (result.equals("match")) {
                matched++;
            } else if (result.startsWith("DIFFERENT") || result.startsWith("OURS FAILED")) {
                unexpected.add(file.getFileName() + ": " + result);
            }
        }
        StringBuilder report = new StringBuilder("Parquet conformance" + (into == Into.DYNAMIC ? " into Dynamic columns, "
                : into == Into.ARRAY_OF_DYNAMIC ? " into Dynamic and Array(Dynamic) columns, " : ", ")
                + files.size() + " files, " + matched + " match:\n");
        results.forEach((f, r) -> report.append(String.format("  %-50s %s%n", f, r.length() > 1200 ? r.substring(0, 1200) + "…" : r)));
        System.out.println(report);
        Map<String, String> known = dynamic ? KNOWN_DYNAMIC : KNOWN;
        unexpected.removeIf(u -> known.containsKey(u.substring(0, u.indexOf(':'))));
        assertThat(unexpected).as(report.toString()).isEmpty();
    }

    private String compare(Path file, String name, Into into) throws Exception {
        String ours = db.table(name + "_ours");
        String theirs = db.table(name + "_engine");
        String path = file.toString().replace("'", "\\'");
        String rows = "toString(tuple(*))";
        try {
            if (into != Into.OWN_TYPES) {
                List<String> columns = new ArrayList<>();
                List<String> types = new ArrayList<>();
                for (List<String> c : clickhouse.queryRows("DESCRIBE file('" + path + "', Parquet)")) {
                    String quoted = "`" + c.get(0).replace("`", "\\`") + "`";
                    boolean list = into == Into.ARRAY_OF_DYNAMIC && c.get(1).startsWith("Array(");
                    columns.add(quoted + (list ? " Array(Dynamic)" : " Dynamic"));
                    types.add(list ? "arrayMap(x -> dynamicType(x), " + quoted + ")" : "dynamicType(" + quoted + ")");
                }
                clickhouse.query("CREATE TABLE " + theirs + " (" + String.join(", ", columns)
                        + ") ENGINE = MergeTree ORDER BY tuple()");
                clickhouse.query("INSERT INTO " + theirs + " SELECT * FROM file('" + path + "', Parquet)"
                        + " SETTINGS use_structure_from_insertion_table_in_table_functions = 0");
                rows = "concat(toString(tuple(*)), ' ', toString(tuple(" + String.join(", ", types) + ")))";
            } else {
                clickhouse.query("CREATE TABLE " + theirs + " ENGINE = MergeTree ORDER BY tuple() AS SELECT * FROM file('"
                        + path + "', Parquet)");
            }
        } catch (Exception e) {
            return "ENGINE CANNOT READ: " + firstLine(e.getMessage());
        }
        clickhouse.query("CREATE TABLE " + ours + " AS " + theirs);
        if (SKIP.contains(file.getFileName().toString())) {
            return "OURS FAILED (not run): " + KNOWN.get(file.getFileName().toString());
        }
        Pipe pipe = Pipe.builder()
                .name("conformance")
                .source(bytesSource(Files.readAllBytes(file)))
                .decoder(ParquetDecoder.create())
                .sink(ClickHouseSink.builder().transport(clickhouse).table(ours).errorTable(true).build())
                .build();
        try {
            pipe.run();
        } catch (RuntimeException e) {
            return "OURS FAILED: " + firstLine(e.getMessage());
        }
        List<List<String>> errors = clickhouse.queryRows("SELECT error_kind, message FROM " + ours + "_clickpipes_error LIMIT 1");
        if (!errors.isEmpty()) {
            return "OURS FAILED: " + errors.get(0);
        }
        long rowsTheirs = clickhouse.queryLong("SELECT count() FROM " + theirs);
        long rowsOurs = clickhouse.queryLong("SELECT count() FROM " + ours);
        String a = clickhouse.query("SELECT " + rows + " AS s FROM " + ours + " ORDER BY s");
        String b = clickhouse.query("SELECT " + rows + " AS s FROM " + theirs + " ORDER BY s");
        if (rowsOurs == rowsTheirs && a.equals(b)) {
            return "match";
        }
        String[] la = a.split("\n");
        String[] lb = b.split("\n");
        for (int i = 0; i < Math.min(la.length, lb.length); i++) {
            if (!la[i].equals(lb[i])) {
                return "DIFFERENT (" + rowsOurs + " vs " + rowsTheirs + " rows; types "
                        + clickhouse.query("SELECT groupArray(type) FROM system.columns WHERE database = '" + db.name()
                        + "' AND table = '" + name + "_engine'").trim() + "): ours " + la[i] + " | engine " + lb[i];
            }
        }
        return "DIFFERENT: " + rowsOurs + " rows vs the engine's " + rowsTheirs;
    }

    private static MemorySource bytesSource(byte[] bytes) {
        MemorySource s = MemorySource.open();
        s.offer(bytes);
        s.end();
        return s;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "null";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
