package dev.clickpipes.cli;

import dev.clickpipes.clickhouse.ddl.SchemaInference;
import dev.clickpipes.clickhouse.ddl.TableDefinition;
import dev.clickpipes.clickhouse.http.HttpTransport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code clickpipes infer --sample events.ndjson --table analytics.events --order-by ts}: the
 * {@code CREATE TABLE} that {@link SchemaInference} infers from sample records, printed, and run
 * against a server with {@code --execute}.
 */
@Command(name = "infer", mixinStandardHelpOptions = true,
        description = {"Infers a table from sample records (NDJSON, or CSV with a header line) and prints its CREATE"
                + " TABLE; with --execute, also runs it. Each field gets the narrowest type that holds every sample"
                + " value, Nullable where a null was seen, Tuple for objects, Array for arrays."})
final class InferCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--sample", paramLabel = "FILE", required = true,
            description = "Sample records: one JSON object a line, or CSV whose first line is the header.")
    private Path sample;

    @Option(names = "--format", paramLabel = "FORMAT", description = "json or csv; by default from the file's name"
            + " (.csv is CSV, anything else JSON).")
    private String format;

    @Option(names = "--delimiter", paramLabel = "CHAR", defaultValue = ",", description = "CSV field delimiter."
            + " Default: ${DEFAULT-VALUE}.")
    private char delimiter;

    @Option(names = "--max-samples", paramLabel = "N", defaultValue = "10000",
            description = "Read at most this many records. Default: ${DEFAULT-VALUE}.")
    private int maxSamples;

    @Option(names = "--table", paramLabel = "DB.TABLE", required = true, description = "The table to create, as database.table.")
    private String table;

    @Option(names = "--order-by", paramLabel = "EXPR", defaultValue = "tuple()",
            description = "The ORDER BY of the MergeTree. Default: ${DEFAULT-VALUE}.")
    private String orderBy;

    @Option(names = "--partition-by", paramLabel = "EXPR", description = "A PARTITION BY expression.")
    private String partitionBy;

    @Option(names = "--engine", paramLabel = "ENGINE", description = "The table engine; default MergeTree()"
            + " (ClickHouse Cloud makes it SharedMergeTree).")
    private String engine;

    @Option(names = "--low-cardinality", description = "Repetitive strings (at most one distinct value in ten) become"
            + " LowCardinality(String).")
    private boolean lowCardinality;

    @Option(names = "--execute", description = "Also run the CREATE TABLE (IF NOT EXISTS) against --endpoint.")
    private boolean execute;

    @Option(names = "--endpoint", paramLabel = "URL", description = "The server's HTTP(S) endpoint, for --execute.")
    private String endpoint;

    @Option(names = "--user", paramLabel = "USER", defaultValue = "default", description = "Default: ${DEFAULT-VALUE}.")
    private String user;

    @Option(names = "--password-env", paramLabel = "VAR", defaultValue = "CLICKHOUSE_PASSWORD",
            description = "The environment variable holding the password (never on the command line)."
                    + " Default: ${DEFAULT-VALUE}.")
    private String passwordEnv;

    @Override
    public Integer call() throws Exception {
        int dot = table.indexOf('.');
        if (dot <= 0 || dot == table.length() - 1) {
            throw new ParameterException(spec.commandLine(), "--table must be database.table, got '" + table + "'");
        }
        if (execute && endpoint == null) {
            throw new ParameterException(spec.commandLine(), "--execute needs --endpoint");
        }
        List<String> lines = readSample();
        SchemaInference.Options options = lowCardinality
                ? SchemaInference.Options.withLowCardinality() : SchemaInference.Options.defaults();
        TableDefinition.Builder b = csv() ? SchemaInference.fromCsv(lines, delimiter, options)
                : SchemaInference.fromJson(lines, options);
        b.orderBy(orderBy);
        if (partitionBy != null) {
            b.partitionBy(partitionBy);
        }
        if (engine != null) {
            b.engine(engine);
        }
        String sql = b.build().createSql(table.substring(0, dot), table.substring(dot + 1));
        PrintWriter out = spec.commandLine().getOut();
        out.println(sql + ";");
        if (execute) {
            String password = System.getenv(passwordEnv);
            try (HttpTransport client = HttpTransport.builder().endpoint(endpoint)
                    .credentials(user, password == null ? "" : password).build()) {
                client.query(sql);
            }
            out.println("-- created " + table + " at " + endpoint);
        }
        out.flush();
        return 0;
    }

    private boolean csv() {
        String f = format != null ? format.toLowerCase(Locale.ROOT)
                : sample.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv") ? "csv" : "json";
        return switch (f) {
            case "csv" -> true;
            case "json" -> false;
            default -> throw new ParameterException(spec.commandLine(), "--format must be json or csv, got '" + format + "'");
        };
    }

    private List<String> readSample() throws IOException {
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(sample)) {
            for (String line; lines.size() < maxSamples && (line = in.readLine()) != null; ) {
                if (!line.isBlank()) {
                    lines.add(line);
                }
            }
        }
        if (lines.isEmpty()) {
            throw new ParameterException(spec.commandLine(), sample + " holds no records");
        }
        return lines;
    }
}
