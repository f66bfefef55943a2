package dev.clickpipes.cli;

import dev.clickpipes.clickhouse.TableColumn;
import dev.clickpipes.clickhouse.TableSchema;
import dev.clickpipes.clickhouse.routing.RoutePreview;
import dev.clickpipes.core.DecodePreview;
import dev.clickpipes.core.spi.SourceContext;
import dev.clickpipes.core.spi.SourceRecord;
import dev.clickpipes.definition.PipeComponents;
import dev.clickpipes.definition.PipeDefinition;
import dev.clickpipes.source.kafka.KafkaSource;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code clickpipes check pipes.yaml}: the preview before a pipe runs. For each pipe: its definition
 * as read (secrets masked), the target table's columns, a connection to its source, and a few
 * sample records decoded as the pipe would, each with the columns it fills and those left to their
 * default, or why it would go to the error table. Nothing is inserted, created or committed; a
 * Kafka source reads as a consumer group of its own ({@code <group>.check}), so a running pipe's
 * group is neither joined nor moved.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Checks each pipe of a file without moving anything: reads its definition, connects to ClickHouse"
                + " and reads the table's columns, connects to the source, decodes a few sample records and shows which"
                + " columns each fills and which it would file in the error table, and why. Inserts, creates and commits"
                + " nothing; a Kafka source reads as its own consumer group, <group-id>.check.",
                "Exit code: 0 when every pipe connected (and, with --strict, no sample was rejected), 1 otherwise,"
                        + " 2 for a wrong file."})
final class CheckCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PIPES_FILE", description = "The pipes file, as for `run`.")
    private Path file;

    @Option(names = "--pipe", paramLabel = "NAME", description = "Check only this pipe; repeat for several.")
    private List<String> only;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "5",
            description = "How many records to read and decode per pipe. Default: ${DEFAULT-VALUE}.")
    private int samples;

    @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "15s", converter = DurationConverter.class,
            description = "How long to wait for those records. Default: ${DEFAULT-VALUE}.")
    private Duration wait;

    @Option(names = "--strict", description = "Fail (exit 1) when a sample record would go to the error table.")
    private boolean strict;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Map<String, PipeDefinition> definitions = PipesFile.read(file).only(only)
                .definitions(CheckCommand::ownConsumerGroup, System::getenv);
        boolean ok = true;
        for (PipeDefinition d : definitions.values()) {
            out.print(d.describe());
            try {
                ok &= check(d, out);
            } catch (Exception e) {
                out.println("  FAILED: " + e.getMessage());
                ok = false;
            }
            out.println();
            out.flush();
        }
        out.println(ok ? "check passed" : "check FAILED");
        return ok ? 0 : 1;
    }

    private boolean check(PipeDefinition d, PrintWriter out) throws Exception {
        if (d.routing() != null) {
            return checkRouted(d, out);
        }
        try (PipeComponents parts = d.newComponents(sink -> { })) {
            // refreshSchema reads the columns only; open() would create a missing error table
            TableSchema schema = parts.sink().refreshSchema();
            out.println("  " + parts.sink().describe() + ": " + schema.columns().size() + " columns");
            for (TableColumn c : schema.columns()) {
                out.println("    " + c.name() + " " + c.type().text()
                        + (c.insertable() ? c.defaultKind().isEmpty() ? "" : "  " + c.defaultKind() + " " + c.defaultExpression()
                                : "  (" + c.defaultKind() + ": the server computes it)"));
            }
            List<SourceRecord> records = connectAndSample(d, parts, out);
            if (records.isEmpty()) {
                return true;
            }
            DecodePreview preview = new DecodePreview(d.name(), schema, parts.mapping(), parts.source().virtualColumns(),
                    parts.decoder());
            int rejected = 0;
            Set<String> neverFilled = new LinkedHashSet<>(schema.insertableColumns().stream().map(TableColumn::name).toList());
            for (SourceRecord r : records) {
                DecodePreview.Outcome o = preview.decode(r);
                if (o.rejected()) {
                    rejected++;
                    out.println("  record " + o.position() + ": to the error table, " + o.rejectedAs() + ": " + o.reason());
                } else {
                    neverFilled.removeAll(o.filled());
                    out.println("  record " + o.position() + ": " + fills(o));
                }
            }
            summary(records.size(), rejected, out);
            if (rejected < records.size() && !neverFilled.isEmpty()) {
                out.println("  no sample filled " + neverFilled + ": check the field names and the mapping");
            }
            return !strict || rejected == 0;
        }
    }

    /**
     * A routed pipe: its routing, a connection to its source, and for each sample record the table
     * its route names and what it decodes to there, or why it would be filed. A table's columns are
     * read when a sample first routes to it; no error table is created (the router is not opened).
     */
    private boolean checkRouted(PipeDefinition d, PrintWriter out) throws Exception {
        try (PipeComponents parts = d.newComponents(sink -> { });
             RoutePreview preview = parts.router().preview(d.name())) {
            out.println("  " + d.routing());
            List<SourceRecord> records = connectAndSample(d, parts, out);
            int rejected = 0;
            int undecoded = 0;
            for (SourceRecord r : records) {
                RoutePreview.Outcome o = preview.decode(r);
                String position = String.valueOf(r.position());
                if (o.table() == null) {
                    rejected++;
                    out.println("  record " + position + ": to the fallback error table " + preview.fallbackTable()
                            + ", NO_ROUTE: " + o.problem());
                    continue;
                }
                String to = "  record " + position + ": -> " + o.table() + " (route `" + o.route() + "`): ";
                if (o.decoded() == null) {
                    undecoded++;
                    out.println(to + "not decoded: " + o.problem());
                } else if (o.decoded().rejected()) {
                    rejected++;
                    out.println(to + "to its error table, " + o.decoded().rejectedAs() + ": " + o.decoded().reason());
                } else {
                    out.println(to + fills(o.decoded()));
                }
            }
            if (!records.isEmpty()) {
                summary(records.size() - undecoded, rejected, out);
            }
            if (undecoded > 0) {
                out.println("  " + undecoded + " sample records not decoded: their table's columns cannot be read");
            }
            return !strict || rejected + undecoded == 0;
        }
    }

    /** Opens the source as the check's own consumer and reads the samples; says so when none came. */
    private List<SourceRecord> connectAndSample(PipeDefinition d, PipeComponents parts, PrintWriter out) throws Exception {
        parts.source().open(new CheckContext(d.name() + ".check"));
        out.println("  source " + parts.source().describe() + ": connected");
        List<SourceRecord> records = sample(parts);
        if (records.isEmpty()) {
            out.println("  no record came within " + wait.toSeconds() + " s: nothing to decode (the source is empty,"
                    + " or reads from its end: see start-from)");
        }
        return records;
    }

    /** {@code fills [a, b], default [c]}, with the row count when the record became several rows. */
    private static String fills(DecodePreview.Outcome o) {
        return (o.rows() == 1 ? "" : o.rows() + " rows, ") + "fills " + o.filled()
                + (o.defaulted().isEmpty() ? "" : ", default " + o.defaulted());
    }

    private static void summary(int records, int rejected, PrintWriter out) {
        out.println("  " + (records - rejected) + " of " + records + " sample records would be inserted, "
                + rejected + " filed in the error table");
    }

    /** Reads up to {@code samples} records within {@code wait}; commits nothing. */
    private List<SourceRecord> sample(PipeComponents parts) throws Exception {
        List<SourceRecord> records = new ArrayList<>();
        long deadline = System.nanoTime() + wait.toNanos();
        while (records.size() < samples && !parts.source().finished()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            for (SourceRecord r : parts.source().poll(Duration.ofNanos(Math.min(left, Duration.ofMillis(500).toNanos())))) {
                if (records.size() < samples) {
                    records.add(r);
                }
            }
        }
        return records;
    }

    /** A Kafka source reads as {@code <group-id>.check}: joining the pipe's own group would take partitions from it. */
    private static Map<String, Object> ownConsumerGroup(String name, Map<String, Object> pipe) {
        if (pipe.get("source") instanceof Map<?, ?> source && "kafka".equals(source.get("type"))) {
            Map<String, Object> s = new LinkedHashMap<>();
            source.forEach((k, v) -> s.put(String.valueOf(k), v));
            Object group = s.get("group-id");
            s.put("group-id", (group == null ? KafkaSource.defaultGroupId(name) : group) + ".check");
            pipe.put("source", s);
        }
        return pipe;
    }

    /** The check drives the source itself: there is no batch to flush. */
    private record CheckContext(String pipeName) implements SourceContext {
        @Override
        public void flush() {
        }
    }
}
