package dev.clickpipes.format.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.core.spi.Decoder;
import dev.clickpipes.source.memory.MemorySource;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import dev.clickpipes.testkit.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bulk page decoders ({@link ColumnChunkDecoder}) against parquet-java's column reader (the
 * path every flat column took before), checked in ClickHouse: files written by the engine (its own
 * encoder and Arrow's, format 1.0 and 2.6, small and large pages, with and without dictionaries)
 * and by parquet-java (data pages v1 and v2, dictionary on and off), with columns of no, some,
 * most and only nulls, loaded through a pipe both ways and by the engine's own
 * {@code INSERT ... SELECT FROM file()}; the three tables hold the same rows (count and checksum), and
 * nulls into a non-Nullable column end the same way both ways.
 */
class ColumnChunkDecoderTest {

    static final int ROWS = 20_000;
    /** The target table: widening reads (Int32 into Int64, Date into Date32, micros into DateTime64(3)) and LowCardinality. */
    static final String COLUMNS = "id UInt64, i32 Int64, u32 UInt32, i16 Int16, f32 Float32, f64 Float64, ok Bool, "
            + "dt Date32, ts DateTime64(3, 'UTC'), amount Decimal(18, 4), small Decimal(9, 2), word LowCardinality(String), "
            + "text String, n_some Nullable(Int64), n_most Nullable(String), n_all Nullable(Float64), "
            + "n_none Nullable(Int32), n_bool Nullable(Bool), n_ts Nullable(DateTime64(6, 'UTC'))";
    static final String SELECT = "SELECT number AS id, toInt32(number % 70000) - 35000 AS i32, toUInt32(number * 2654435761 % 4294967296) AS u32, "
            + "toInt16(number % 30000) AS i16, toFloat32(number / 3) AS f32, number / 7 AS f64, number % 3 = 0 AS ok, "
            + "toDate('2020-01-01') + number % 2000 AS dt, toDateTime64('2024-01-01 00:00:00', 6, 'UTC') + toIntervalMicrosecond(number * 1001) AS ts, "
            + "toDecimal64(number / 100, 4) AS amount, toDecimal32((number % 100000) / 100, 2) AS small, "
            + "['view', 'click', 'buy', 'cart'][number % 4 + 1] AS word, concat('text-', toString(number * 7919 % 100003)) AS text, "
            + "if(number % 10 = 0, NULL, toInt64(number) - 10000) AS n_some, if(number % 10 != 0, NULL, concat('s', toString(number % 50))) AS n_most, "
            + "CAST(NULL AS Nullable(Float64)) AS n_all, toNullable(toInt32(number)) AS n_none, if(number % 3 = 1, NULL, number % 2 = 0) AS n_bool, "
            + "if(number % 5 = 2, NULL, toDateTime64('2000-01-01 00:00:00', 6, 'UTC') + toIntervalMicrosecond(number)) AS n_ts "
            + "FROM numbers(" + ROWS + ")";

    static EmbeddedClickHouse clickhouse;
    static TestDatabase db;
    static Path dir;
    static int tables;

    @BeforeAll
    static void start() throws Exception {
        clickhouse = EmbeddedClickHouse.shared();
        db = clickhouse.newDatabase();
        dir = Files.createTempDirectory("column-chunk-decoder");
    }

    @AfterAll
    static void delete() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    static Stream<Arguments> engineWriters() {
        return Stream.of(
                Arguments.of("custom encoder, 2.6, 1 KB pages", "output_format_parquet_use_custom_encoder = 1, "
                        + "output_format_parquet_version = '2.6', output_format_parquet_data_page_size = 1024"),
                Arguments.of("custom encoder, 1.0, snappy", "output_format_parquet_use_custom_encoder = 1, "
                        + "output_format_parquet_version = '1.0', output_format_parquet_compression_method = 'snappy'"),
                Arguments.of("custom encoder, no dictionary", "output_format_parquet_use_custom_encoder = 1, "
                        + "output_format_parquet_max_dictionary_size = 0"),
                Arguments.of("Arrow's encoder, 2.6, zstd", "output_format_parquet_use_custom_encoder = 0, "
                        + "output_format_parquet_version = '2.6', output_format_parquet_compression_method = 'zstd'"),
                Arguments.of("Arrow's encoder, 1.0, 4 KB pages", "output_format_parquet_use_custom_encoder = 0, "
                        + "output_format_parquet_version = '1.0', output_format_parquet_data_page_size = 4096"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engineWriters")
    void engineFilesLoadTheSameBothWays(String label, String settings) throws Exception {
        Path file = dir.resolve(label.replaceAll("[^a-z0-9]+", "-") + ".parquet");
        clickhouse.query("INSERT INTO FUNCTION file('" + file + "', Parquet) " + SELECT
                + " SETTINGS output_format_parquet_row_group_size = 7000, " + settings);
        assertThat(chunkCounts(file)[1]).as("chunks read by the bulk decoders").isGreaterThan(0);
        compare(file, COLUMNS, true);
    }

    static Stream<Arguments> javaWriters() {
        return Stream.of(
                Arguments.of(ParquetProperties.WriterVersion.PARQUET_1_0, true, 64L << 20),
                Arguments.of(ParquetProperties.WriterVersion.PARQUET_1_0, false, 64L << 20),
                Arguments.of(ParquetProperties.WriterVersion.PARQUET_2_0, true, 64L << 20),
                Arguments.of(ParquetProperties.WriterVersion.PARQUET_2_0, false, 64L << 20),
                // small row groups: the last ones' chunks are small reads near the file's end
                // (RangedInputFile once gave wrong bytes there: "can not read class PageHeader")
                Arguments.of(ParquetProperties.WriterVersion.PARQUET_1_0, true, 64L << 10),
                Arguments.of(ParquetProperties.WriterVersion.PARQUET_2_0, true, 64L << 10));
    }

    /** parquet-java writes data pages v2 for PARQUET_2_0 (DELTA and RLE values there go the old way, per chunk). */
    @ParameterizedTest(name = "parquet-java {0}, dictionary {1}, row groups of {2} bytes")
    @MethodSource("javaWriters")
    void parquetJavaFilesLoadTheSameBothWays(ParquetProperties.WriterVersion version, boolean dictionary, long rowGroupBytes)
            throws Exception {
        Path file = dir.resolve("java-" + version + "-" + dictionary + "-" + rowGroupBytes + ".parquet");
        MessageType schema = MessageTypeParser.parseMessageType("message m { required int64 id; required int32 i32; "
                + "optional int64 n_some; required double f64; optional double n_most; required boolean ok; "
                + "optional binary word (STRING); required binary text (STRING); optional int32 n_all; }");
        SimpleGroupFactory groups = new SimpleGroupFactory(schema);
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(file))
                .withConf(new PlainParquetConfiguration()).withType(schema).withWriterVersion(version)
                .withDictionaryEncoding(dictionary).withCompressionCodec(CompressionCodecName.UNCOMPRESSED)
                .withPageSize(4096).withRowGroupSize(rowGroupBytes).build()) {
            for (int i = 0; i < ROWS; i++) {
                Group g = groups.newGroup().append("id", (long) i).append("i32", i % 1000 - 500).append("f64", i / 7.0)
                        .append("ok", i % 3 == 0).append("text", "text-" + (i * 7919 % 100003));
                if (i % 10 != 0) {
                    g.append("n_some", (long) i * 31);
                }
                if (i % 10 == 0) {
                    g.append("n_most", i / 3.0);
                }
                if (i % 7 != 3) {
                    g.append("word", new String[] {"view", "click", "buy"}[i % 3]);
                }
                w.write(g);
            }
        }
        long[] counts = chunkCounts(file);
        assertThat(counts[1]).as("chunks read by the bulk decoders").isGreaterThan(0);
        compare(file, "id UInt64, i32 Int64, n_some Nullable(Int64), f64 Float64, n_most Nullable(Float64), ok Bool, "
                + "word LowCardinality(Nullable(String)), text String, n_all Nullable(Int32)", true);
    }

    /** A null in a column that is not Nullable goes the same way both ways (whatever that way is). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("engineWriters")
    void nullsIntoColumnsThatAreNotNullableEndTheSameBothWays(String label, String settings) throws Exception {
        Path file = dir.resolve("nn-" + label.replaceAll("[^a-z0-9]+", "-") + ".parquet");
        clickhouse.query("INSERT INTO FUNCTION file('" + file + "', Parquet) " + SELECT
                + " SETTINGS output_format_parquet_row_group_size = 7000, " + settings);
        compare(file, "id UInt64, n_some Int64, n_most String, n_all Float64, n_bool Bool", false);
    }

    private static long[] chunkCounts(Path file) throws Exception {
        try (ParquetRowReader reader = ParquetRowReader.open(RandomAccessInput.of(file))) {
            while (reader.next() != null) {
                // read every row group
            }
            return reader.flatChunkCounts();
        }
    }

    /** Loads {@code file} into {@code columns} by both paths (and by the engine when {@code engineToo}); compares. */
    private static void compare(Path file, String columns, boolean engineToo) throws Exception {
        String bulk = load(file, columns, ParquetDecoder.create());
        String old = load(file, columns, ParquetDecoder.withoutColumnDecoders());
        assertThat(summary(bulk)).as("bulk decoders against parquet-java's column reader").isEqualTo(summary(old));
        assertThat(errors(bulk)).isEqualTo(errors(old));
        if (engineToo) {
            String engine = db.table("engine" + (tables++));
            clickhouse.query("CREATE TABLE " + engine + " (" + columns + ") ENGINE = MergeTree ORDER BY id");
            clickhouse.query("INSERT INTO " + engine + " SELECT * FROM file('" + file + "', Parquet)");
            assertThat(summary(bulk)).as("bulk decoders against the engine").isEqualTo(summary(engine));
            assertThat(errors(bulk)).isEqualTo(List.of("0"));
            assertThat(clickhouse.queryLong("SELECT count() FROM " + bulk)).isEqualTo(ROWS);
        }
    }

    private static String load(Path file, String columns, Decoder decoder) throws Exception {
        String table = db.table("t" + (tables++));
        clickhouse.query("CREATE TABLE " + table + " (" + columns + ") ENGINE = MergeTree ORDER BY id");
        MemorySource source = MemorySource.open();
        source.offer(Files.readAllBytes(file));
        source.end();
        Pipe.builder().name("decoders").source(source).decoder(decoder)
                .sink(ClickHouseSink.builder().transport(clickhouse).table(table).errorTable(true).build())
                .build().run();
        return table;
    }

    private static List<String> summary(String table) throws Exception {
        return clickhouse.queryRows("SELECT count(), sum(cityHash64(*)), countIf(isNull(tuple(*).1)) FROM " + table).get(0);
    }

    private static List<String> errors(String table) throws Exception {
        return clickhouse.queryRows("SELECT count() FROM " + table + "_clickpipes_error").get(0);
    }
}
