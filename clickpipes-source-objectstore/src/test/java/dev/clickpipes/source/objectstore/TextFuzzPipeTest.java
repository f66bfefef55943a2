package dev.clickpipes.source.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.core.Batching;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.source.memory.MemorySource;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import dev.clickpipes.testkit.TestDatabase;
import dev.clickpipes.testkit.fuzz.DecoderFuzz;
import dev.clickpipes.testkit.fuzz.Mutator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fuzzed JSON, CSV and TSV records through a real pipe into the embedded engine, error table on:
 * every record ends as rows or as an error row with its raw bytes, the counts adding up to what
 * the decoder alone says of the same inputs; the pipe ends normally.
 */
@Tag("fuzz")
class TextFuzzPipeTest {

    static final int RECORDS = 2000;
    static EmbeddedClickHouse clickhouse;
    static TestDatabase db;

    @BeforeAll
    static void start() throws Exception {
        clickhouse = EmbeddedClickHouse.shared();
        db = clickhouse.newDatabase();
    }

    @ParameterizedTest
    @ValueSource(strings = {"JSON", "CSV", "TSV"})
    void fuzzedRecordsEndAsRowsOrErrorRowsWithTheirBytes(String format) throws Exception {
        List<byte[]> seeds = switch (format) {
            case "JSON" -> TextFuzzTest.JSON_SEEDS;
            case "CSV" -> TextFuzzTest.CSV_SEEDS;
            default -> TextFuzzTest.TSV_SEEDS;
        };
        Random r = new Random(format.hashCode());
        List<byte[]> inputs = new ArrayList<>(seeds);
        while (inputs.size() < RECORDS) {
            // fewer mutations than the decoder-level property: more of them stay rows
            byte[] seed = seeds.get(r.nextInt(seeds.size()));
            inputs.add(r.nextInt(10) == 0 ? Mutator.random(r, 200) : Mutator.mutate(seed, r, seeds));
        }
        long expectedRows = 0;
        long expectedErrors = 0;
        long errorBytes = 0;
        try (DecoderFuzz alone = new DecoderFuzz(format, TextFuzzTest.decoder(format), 5_000, TextFuzzTest.COLUMNS)) {
            for (byte[] in : inputs) {
                DecoderFuzz.Outcome o = alone.feed(in);
                assertThat(o.bug()).as("%s", o).isFalse();
                if (o.error() == null) {
                    expectedRows += o.rows();
                } else {
                    expectedErrors++;
                    errorBytes += in.length;
                }
            }
        }
        StringBuilder ddl = new StringBuilder();
        for (int i = 0; i < TextFuzzTest.COLUMNS.length; i += 2) {
            ddl.append(i == 0 ? "" : ", ").append('`').append(TextFuzzTest.COLUMNS[i]).append("` ").append(TextFuzzTest.COLUMNS[i + 1]);
        }
        String t = db.table("fuzz_" + format.toLowerCase());
        clickhouse.query("CREATE TABLE " + t + " (" + ddl + ") ENGINE = MergeTree ORDER BY tuple()");
        MemorySource source = MemorySource.open();
        inputs.forEach(source::offer);
        source.end();
        Pipe.builder().name("fuzz-" + format).source(source).decoder(TextFuzzTest.decoder(format))
                .batching(Batching.builder().maxRows(200).maxAge(Duration.ofMillis(200)).build())
                .sink(ClickHouseSink.builder().transport(clickhouse).table(t).errorTable(true).build())
                .build().run();
        String errors = t + "_clickpipes_error";
        long rows = clickhouse.queryLong("SELECT count() FROM " + t);
        long insertErrors = clickhouse.queryLong("SELECT count() FROM " + errors + " WHERE error_kind = 'INSERT_ERROR'");
        long decodeErrors = clickhouse.queryLong("SELECT count() FROM " + errors + " WHERE error_kind != 'INSERT_ERROR'");
        System.out.printf("%s through a pipe: %d records, %d rows, %d decode error rows, %d insert error rows%n",
                format, inputs.size(), rows, decodeErrors, insertErrors);
        assertThat(decodeErrors).isEqualTo(expectedErrors);
        assertThat(clickhouse.queryLong("SELECT sum(length(raw)) FROM " + errors + " WHERE error_kind != 'INSERT_ERROR'"))
                .as("the error rows hold their records' bytes").isEqualTo(errorBytes);
        // a record's rows the server refuses go to the error table one by one (rows of a CSV record
        // may be several): rows + refused rows = the decoder's rows
        long refusedRows = insertErrors;
        assertThat(rows + refusedRows).isEqualTo(expectedRows);
        assertThat(source.committedOffset()).isEqualTo(inputs.size() - 1);
    }
}
