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
    /** Files not even tried (they would exhaust the test JVM's heap). */
    static final java.util.Set<String> SKIP = java.util.Set.of("large_string_map.brotli.parquet");

    static EmbeddedClickHouse clickhouse;
    static TestDatabase db;

    @BeforeAll
    static void start() throws Exception {
        clickhouse = EmbeddedClickHouse.shared();
        db = clickhouse.newDatabase();
    }

    @AfterAll
    static void stop() {
        // Not db.close(): its DROP DATABASE ... SYNC hangs in the embedded engine here; the shared
        // engine's temporary folder is deleted when the JVM exits.
    }

    static Path corpus() {
        String dir = System.getProperty("clickpipes.corpus", "../../shared/corpus");
        return Path.of(dir).resolve("parquet-testing").toAbsolutePath().normalize();
    }

    @Test
    void everyCorpusFileMatchesTheEngine() throws Exception {
        Path folder = corpus();
        Assumptions.assumeTrue(Files.isDirectory(folder), "the Parquet corpus is not at " + folder
                + " (set -Dclickpipes.corpus to the folder holding parquet-testing/)");
        List<Path> files;
        try (Stream<Path> s = Files.list(folder)) {
            files = s.filter(p -> p.toString().endsWith(".parquet")).sorted().toList();
        }
        Map<String, String> results = new LinkedHashMap<>();
        int matched = 0;
        List<String> unexpected = new ArrayList<>();
        int n = 0;
        for (Path file : files) {
            String result = compare(file, "t" + (n++));
            results.put(file.getFileName().toString(), result);
            if (result.equals("match")) {
                matched++;
            } else if (result.startsWith("DIFFERENT") || result.startsWith("OURS FAILED")) {
                unexpected.add(file.getFileName() + ": " + result);
            }
        }
        StringBuilder report = new StringBuilder("Parquet conformance, " + files.size() + " files, " + matched + " match:\n");
        results.forEach((f, r) -> report.append(String.format("  %-50s %s%n", f, r.length() > 400 ? r.substring(0, 400) + "…" : r)));
        System.out.println(report);
        unexpected.removeIf(u -> KNOWN.containsKey(u.substring(0, u.indexOf(':'))));
        assertThat(unexpected).as(report.toString()).isEmpty();
    }

    private String compare(Path file, String name) throws Exception {
        String ours = db.table(name + "_ours");
        String theirs = db.table(name + "_engine");
        String path = file.toString().replace("'", "\\'");
        try {
            clickhouse.query("CREATE TABLE " + theirs + " ENGINE = MergeTree ORDER BY tuple() AS SELECT * FROM file('"
                    + path + "', Parquet)");
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
        String a = clickhouse.query("SELECT toString(tuple(*)) AS s FROM " + ours + " ORDER BY s");
        String b = clickhouse.query("SELECT toString(tuple(*)) AS s FROM " + theirs + " ORDER BY s");
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
