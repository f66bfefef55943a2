package dev.clickpipes.samples;

import dev.clickpipes.clickhouse.ClickHouseException;
import dev.clickpipes.clickhouse.ForwardingTransport;
import dev.clickpipes.clickhouse.TableSchema;
import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.core.Batching;
import dev.clickpipes.core.FieldMapping;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.core.PipeMetrics;
import dev.clickpipes.core.RowBuffer;
import dev.clickpipes.core.spi.Decoder;
import dev.clickpipes.format.Decoders;
import dev.clickpipes.source.memory.NdjsonFileSource;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The ClickHouse engine's own CPU per row for the pipe's Native insert against a JSONEachRow insert
 * of the same rows in the same batches (goal: Native at most 0.2x of JSONEachRow).
 *
 * <p>The pipe runs once over the web-analytics events of {@link EventGenerator} through a transport
 * that keeps every insert body it sends: those are "our Native inserts", byte for byte. The
 * JSONEachRow inserts are the same lines of the file, cut where the pipe cut its batches. Each
 * round then replays both sets of inserts, alternating which goes first, into two fresh tables with
 * merges stopped, and checks that both tables hold the same values. A third side, the same batches
 * inserted by {@code INSERT ... SELECT} from Memory tables, is the floor both formats share (the
 * table's own work: sorting, compressing, writing parts): the figures above it are what reading
 * each input format costs. A fourth side is the pipe's Native inserts with
 * {@code ClickHouseSink.sortByTableKey(true)}: each block already in the table's key order, so the
 * engine skips its sort ({@code MergeTreeDataWriterBlocksAlreadySorted}, counted). What that costs
 * the pipe is measured apart: the sink's {@code insert} over the same decoded batches, sorted and
 * not, into a transport that drops the bodies, thread CPU per row.
 *
 * <h2>Where the CPU figure comes from</h2>
 * A server reports this per query in {@code system.query_log.ProfileEvents}. The embedded engine
 * (chDB 26.5.3) has no {@code system.query_log}: chDB is ClickHouse's {@code clickhouse-local},
 * which does not start the system logs, so the table is never created, whatever the settings (with
 * {@code log_queries=1}, the default, and a {@code <query_log>} section in a {@code --config-file},
 * {@code SYSTEM FLUSH LOGS} still leaves no such table; ClickHouse pull request 99063, open, would
 * add it). What it has is {@code system.events}: the same ProfileEvents counters summed over the
 * process. With nothing else running in the engine (merges stopped, one insert at a time) the
 * difference of {@code UserTimeMicroseconds + SystemTimeMicroseconds} before and after an insert
 * is that insert's CPU, less the cost of reading the counters, which is measured on an empty pair
 * of reads and subtracted. {@code OSCPUVirtualTimeMicroseconds} and the JVM's whole process CPU
 * are printed beside it as cross-checks (in a probe here they agreed within 3%).
 *
 * <pre>ServerCostBenchmark [--events N] [--batch-rows B] [--rounds R]</pre>
 */
public final class ServerCostBenchmark {

    private static final double GOAL = 0.2;

    private ServerCostBenchmark() {
    }

    /** Runs the benchmark. */
    public static void main(String[] args) throws Exception {
        int events = 500_000;
        int batchRows = 100_000;
        int rounds = Rounds.DEFAULT;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--events" -> events = Integer.parseInt(args[++i]);
                case "--batch-rows" -> batchRows = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException(
                        "usage: ServerCostBenchmark [--events N] [--batch-rows B] [--rounds R]");
            }
        }
        EmbeddedClickHouse ch = EmbeddedClickHouse.shared();
        Path file = Path.of("target", "bench", "server-cost-" + events + ".ndjson").toAbsolutePath();
        if (!Files.exists(file)) {
            EventGenerator.write(file, events, 0);
        }
        ch.query("CREATE DATABASE IF NOT EXISTS bench");
        List<Insert> nativeInserts = captureNativeInserts(ch, file, batchRows, false);
        List<Insert> sortedInserts = captureNativeInserts(ch, file, batchRows, true);
        List<Insert> jsonInserts = jsonInserts(file, nativeInserts);
        List<Insert> floorInserts = floorInserts(ch, nativeInserts);
        long nativeBytes = nativeInserts.stream().mapToLong(x -> x.body.length).sum();
        long jsonBytes = jsonInserts.stream().mapToLong(x -> x.body.length).sum();
        double overhead = counterReadCost(ch);
        System.out.printf("ClickHouse %s (embedded), %,d events in %d inserts of up to %,d rows, %d cores%n"
                        + "  Native %,d bytes (%.0f B/row), JSONEachRow %,d bytes (%.0f B/row);"
                        + " reading the engine's counters costs %.2f ms of its CPU, subtracted per insert%n%n",
                ch.version(), events, nativeInserts.size(), batchRows, Runtime.getRuntime().availableProcessors(),
                nativeBytes, (double) nativeBytes / events, jsonBytes, (double) jsonBytes / events, overhead * 1e3);

        int n = events;
        Rounds r = new Rounds(rounds);
        r.run((round, label) -> {
            // Alternate which side goes first, so that a drift in the machine's load hits both alike.
            Cost json = round % 2 == 1 ? replay(ch, "cost_json", jsonInserts, overhead) : null;
            Cost nat = replay(ch, "cost_native", nativeInserts, overhead);
            json = json == null ? replay(ch, "cost_json", jsonInserts, overhead) : json;
            long sortedBefore = alreadySorted(ch);
            Cost sorted = replay(ch, "cost_sorted", sortedInserts, overhead);
            long sortedBlocks = alreadySorted(ch) - sortedBefore;
            Cost floor = replay(ch, "cost_floor", floorInserts, overhead);
            sameRows(ch, n, "cost_native");
            sameRows(ch, n, "cost_sorted");
            double ratio = nat.engine / json.engine;
            System.out.printf("%-8s Native %.3f us/row (os %.3f, process %.3f, wall %.2f s)   sorted %.3f us/row"
                            + " (os %.3f, %d of %d blocks found sorted)   JSONEachRow %.3f us/row"
                            + " (os %.3f, process %.3f, wall %.2f s)   floor %.3f us/row   ratio %.3f, sorted %.3f%n", label,
                    nat.engine * 1e6 / n, nat.osCpu * 1e6 / n, nat.process * 1e6 / n, nat.wall,
                    sorted.engine * 1e6 / n, sorted.osCpu * 1e6 / n, sortedBlocks, sortedInserts.size(),
                    json.engine * 1e6 / n, json.osCpu * 1e6 / n, json.process * 1e6 / n, json.wall,
                    floor.engine * 1e6 / n, ratio, sorted.engine / json.engine);
            record(r, "native", nat, n);
            record(r, "sorted", sorted, n);
            r.record("sorted ratio", sorted.engine / json.engine);
            r.record("sorted os ratio", sorted.osCpu / json.osCpu);
            record(r, "json", json, n);
            record(r, "floor", floor, n);
            r.record("above floor ratio", (nat.engine - floor.engine) / (json.engine - floor.engine));
            r.record("ratio", ratio);
            r.record("os ratio", nat.osCpu / json.osCpu);
            r.record("process ratio", nat.process / json.process);
        });
        System.out.printf("%n%s, engine CPU (UserTime + SystemTime microseconds of system.events) per row:%n",
                r.heading());
        report(r, "native", "Native (the pipe's blocks)");
        report(r, "sorted", "Native sorted by the key");
        report(r, "json", "JSONEachRow (same rows)");
        report(r, "floor", "INSERT SELECT from Memory");
        System.out.printf("  above that floor (reading the input): Native %.3f us/row, JSONEachRow %.3f us/row, ratio %s%n",
                r.median("native engine") - r.median("floor engine"), r.median("json engine") - r.median("floor engine"),
                r.summary("above floor ratio", "%.3f"));
        System.out.printf("  ratio Native / JSONEachRow: %s (goal <= %.1f); by OSCPUVirtualTime %s, by process CPU %s%n",
                r.summary("ratio", "%.3f"), GOAL, r.summary("os ratio", "%.3f"), r.summary("process ratio", "%.3f"));
        System.out.printf("  ratio Native sorted by the key / JSONEachRow: %s (goal <= %.1f); by OSCPUVirtualTime %s%n",
                r.summary("sorted ratio", "%.3f"), GOAL, r.summary("sorted os ratio", "%.3f"));
        clientSortCost(ch, file, batchRows, rounds);
    }

    /** One insert as sent: its statement (with {@code TABLE} for the table), settings, body. */
    private record Insert(String sql, Map<String, String> settings, byte[] body, long rows) {
    }

    /** The engine's CPU seconds (counters), its OSCPUVirtualTime, the process CPU and wall of one set of inserts. */
    private record Cost(double engine, double osCpu, double process, double wall) {
    }

    private static void record(Rounds r, String side, Cost c, int rows) {
        r.record(side + " engine", c.engine * 1e6 / rows);
        r.record(side + " os", c.osCpu * 1e6 / rows);
        r.record(side + " process", c.process * 1e6 / rows);
        r.record(side + " wall", c.wall);
    }

    private static void report(Rounds r, String side, String title) {
        System.out.printf("  %-27s %s us/row; OSCPUVirtualTime %s us/row; whole process %s us/row; wall %s s%n",
                title, r.summary(side + " engine", "%.3f"), r.summary(side + " os", "%.3f"),
                r.summary(side + " process", "%.3f"), r.summary(side + " wall", "%.2f"));
    }

    /** Runs the pipe once over the file and keeps each Native insert it sends to the target table. */
    private static List<Insert> captureNativeInserts(EmbeddedClickHouse ch, Path file, int batchRows, boolean sort)
            throws Exception {
        String table = sort ? "cost_capture_sorted" : "cost_capture";
        createTable(ch, table);
        Capturing capture = new Capturing(ch, "bench." + table);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        Pipe pipe = Pipe.builder()
                .name("server-cost")
                .source(NdjsonFileSource.of(file))
                .decoder(Decoders.json())
                .sink(ClickHouseSink.builder().transport(capture).table("bench." + table).sortByTableKey(sort).build())
                .insertExecutor(threads)
                .batching(Batching.builder().maxRows(batchRows).maxBytes(1L << 30).maxAge(Duration.ofHours(1)).build())
                .build();
        threads.execute(pipe);
        PipeMetrics m = pipe.completion().get();
        threads.shutdown();
        if (m.errorRows() != 0) {
            throw new IllegalStateException(m.errorRows() + " error rows: " + m.lastError());
        }
        ch.query("DROP TABLE IF EXISTS bench." + table);
        return capture.inserts;
    }

    /**
     * What sorting costs the pipe: the sink's insert of the same decoded batches, sorted by the table's key
     * and not, into a transport that drops the bodies; thread CPU, median of the rounds.
     */
    private static void clientSortCost(EmbeddedClickHouse ch, Path file, int batchRows, int rounds) throws Exception {
        createTable(ch, "cost_client");
        Dropping dropping = new Dropping(ch);
        ClickHouseSink plain = ClickHouseSink.builder().transport(dropping).table("bench.cost_client")
                .discardRejectedRecords().build();
        ClickHouseSink sorting = ClickHouseSink.builder().transport(dropping).table("bench.cost_client")
                .discardRejectedRecords().sortByTableKey(true).build();
        TableSchema schema = plain.open("client");
        sorting.open("client");
        byte[] data = Files.readAllBytes(file);
        List<RowBuffer> batches = new ArrayList<>();
        Decoder decoder = Decoders.json();
        RowBuffer rows = null;
        int total = 0;
        for (int start = 0, nl; start < data.length; start = nl + 1) {
            nl = start;
            while (data[nl] != '\n') {
                nl++;
            }
            if (rows == null || rows.rows() == batchRows) {
                rows = new RowBuffer(schema, FieldMapping.byName(), Set.of());
                batches.add(rows);
            }
            FileLine line = new FileLine(data, start, nl - start);
            rows.beginRecord(line);
            decoder.decode(line, rows);
            total++;
        }
        int n = total;
        Rounds r = new Rounds(rounds);
        r.run((round, label) -> {
            double unsorted = insertCpu(plain, batches);
            double sorted = insertCpu(sorting, batches);
            r.record("plain", unsorted * 1e6 / n);
            r.record("sorting", sorted * 1e6 / n);
            r.record("sort", (sorted - unsorted) * 1e6 / n);
        });
        System.out.printf("%nThe pipe's side, %s, the sink's insert() of %,d decoded rows in %d batches, thread CPU per row:%n"
                        + "  unsorted %s us/row; sorted by the key %s us/row; sorting and rewriting the block %s us/row%n",
                r.heading(), n, batches.size(), r.summary("plain", "%.3f"), r.summary("sorting", "%.3f"),
                r.summary("sort", "%.3f"));
        plain.close();
        sorting.close();
        ch.query("DROP TABLE IF EXISTS bench.cost_client");
    }

    private static double insertCpu(ClickHouseSink sink, List<RowBuffer> batches) throws Exception {
        long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        for (RowBuffer b : batches) {
            sink.insert(b, "token");
        }
        return (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu) / 1e9;
    }

    private static long alreadySorted(EmbeddedClickHouse ch) throws ClickHouseException {
        return ch.queryLong("SELECT sum(value) FROM system.events WHERE name = 'MergeTreeDataWriterBlocksAlreadySorted'");
    }

    /** The same rows as JSONEachRow: the file's lines, cut where the pipe cut its batches. */
    private static List<Insert> jsonInserts(Path file, List<Insert> nativeInserts) throws Exception {
        byte[] all = Files.readAllBytes(file);
        List<Insert> inserts = new ArrayList<>();
        int start = 0;
        for (Insert n : nativeInserts) {
            int end = start;
            for (long line = 0; line < n.rows; line++) {
                while (all[end] != '\n') {
                    end++;
                }
                end++;
            }
            inserts.add(new Insert("INSERT INTO TABLE FORMAT JSONEachRow", Map.of(),
                    Arrays.copyOfRange(all, start, end), n.rows));
            start = end;
        }
        if (start != all.length) {
            throw new IllegalStateException("the pipe's batches cover " + start + " of the file's " + all.length + " bytes");
        }
        return inserts;
    }

    /**
     * The floor both inputs share: the same batches as {@code INSERT ... SELECT} from Memory tables
     * (filled once, outside the measurement), so no input format is read at all and what is left is
     * the table's own work (sorting by the key, compressing, writing the part).
     */
    private static List<Insert> floorInserts(EmbeddedClickHouse ch, List<Insert> nativeInserts) throws ClickHouseException {
        List<Insert> inserts = new ArrayList<>();
        for (int i = 0; i < nativeInserts.size(); i++) {
            Insert n = nativeInserts.get(i);
            String source = "bench.cost_source_" + i;
            ch.query("DROP TABLE IF EXISTS " + source);
            ch.query("CREATE TABLE " + source + " (" + EventGenerator.TABLE_COLUMNS + ") ENGINE = Memory");
            ch.insert(n.sql.replace("TABLE", source), n.settings, n.body, n.body.length);
            inserts.add(new Insert("INSERT INTO TABLE SELECT * FROM " + source, Map.of(), new byte[0], n.rows));
        }
        return inserts;
    }

    /** Inserts every body into a fresh {@code bench.<table>}, one at a time, and adds up what each cost the engine. */
    private static Cost replay(EmbeddedClickHouse ch, String table, List<Insert> inserts, double overhead)
            throws Exception {
        createTable(ch, table);
        ch.query("SYSTEM STOP MERGES bench." + table);
        double engine = 0;
        double osCpu = 0;
        double process = 0;
        long wall = 0;
        for (Insert x : inserts) {
            String sql = x.sql.replace("TABLE", "bench." + table);
            EngineCpu before = EngineCpu.read(ch);
            double cpu = Rounds.processCpuSeconds();
            long start = System.nanoTime();
            if (x.body.length == 0) {
                ch.query(sql); // INSERT ... SELECT
            } else {
                ch.insert(sql, x.settings, x.body, x.body.length);
            }
            wall += System.nanoTime() - start;
            process += Rounds.processCpuSeconds() - cpu;
            EngineCpu after = EngineCpu.read(ch);
            engine += after.since(before) - overhead;
            osCpu += after.osVirtualSince(before) - overhead;
        }
        return new Cost(engine, osCpu, process, wall / 1e9);
    }

    /** The engine CPU that a pair of counter reads adds to a difference, median of 11 pairs. */
    private static double counterReadCost(EmbeddedClickHouse ch) throws ClickHouseException {
        double[] costs = new double[11];
        for (int i = 0; i < costs.length; i++) {
            EngineCpu a = EngineCpu.read(ch);
            costs[i] = EngineCpu.read(ch).since(a);
        }
        Arrays.sort(costs);
        return costs[costs.length / 2];
    }

    private static void createTable(EmbeddedClickHouse ch, String name) throws ClickHouseException {
        ch.query("DROP TABLE IF EXISTS bench." + name);
        ch.query("CREATE TABLE bench." + name + " (" + EventGenerator.TABLE_COLUMNS
                + ") ENGINE = MergeTree ORDER BY (event_type, event_time)");
    }

    /** A Native table holds the JSONEachRow one's values (the price in cents: the engine reads some decimal texts one ulp off). */
    private static void sameRows(EmbeddedClickHouse ch, int events, String nativeTable) throws ClickHouseException {
        String sums = "SELECT count(), sum(cityHash64(* EXCEPT (price))), sum(toInt64(round(price * 100))) FROM bench.";
        String nat = ch.query(sums + nativeTable).strip();
        String json = ch.query(sums + "cost_json").strip();
        if (!nat.equals(json) || !nat.startsWith(events + "\t")) {
            throw new IllegalStateException("the tables differ (count, checksum, cents): " + nativeTable + " " + nat
                    + ", JSONEachRow " + json + ", expected " + events + " rows");
        }
    }

    /**
     * The engine underneath; keeps a copy of every Native insert into the target table (its
     * statement with the table's name as {@code TABLE}, its settings, its body and the rows it added).
     */
    private static final class Capturing extends ForwardingTransport {
        private static final String PREFIX = "INSERT INTO ";
        private final EmbeddedClickHouse inner;
        private final String table;
        private final List<Insert> inserts = new ArrayList<>();

        /** {@code table} as the sink names it in its statements (quoted or not). */
        Capturing(EmbeddedClickHouse inner, String table) {
            super(inner);
            this.inner = inner;
            this.table = table;
        }

        @Override
        public synchronized void insert(String insertSql, Map<String, String> settings, byte[] body, int length)
                throws ClickHouseException {
            // The sink's own statement: INSERT INTO <table> (columns) FORMAT Native; the error table's is not ours.
            String named = insertSql.startsWith(PREFIX) && insertSql.endsWith("FORMAT Native")
                    ? insertSql.substring(PREFIX.length(), insertSql.indexOf(' ', PREFIX.length())) : "";
            boolean ours = named.replace("`", "").equals(table);
            long before = ours ? inner.queryLong("SELECT count() FROM " + table) : 0;
            inner.insert(insertSql, settings, body, length);
            if (ours) {
                long rows = inner.queryLong("SELECT count() FROM " + table) - before;
                inserts.add(new Insert(PREFIX + "TABLE" + insertSql.substring(PREFIX.length() + named.length()),
                        Map.copyOf(settings), Arrays.copyOf(body, length), rows));
            }
        }

        @Override
        public String describe() {
            return "capturing " + inner.describe();
        }

        @Override
        public void close() {
            // the engine is shared
        }
    }

    /** The engine for the sink's queries; every insert dropped (the pipe's side of an insert, measured alone). */
    private static final class Dropping extends ForwardingTransport {

        Dropping(EmbeddedClickHouse inner) {
            super(inner);
        }

        @Override
        public void insert(String insertSql, Map<String, String> settings, byte[] body, int length) {
            // dropped
        }

        @Override
        public String describe() {
            return "dropping " + delegate().describe();
        }

        @Override
        public void close() {
            // the engine is shared
        }
    }
}
