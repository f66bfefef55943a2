package dev.clickpipes.format.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.filter2.compat.FilterCompat;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The column-by-column read of flat fields ({@link FlatColumns}) against the row assembly of the
 * same file ({@link RowAssembler} over every field, what {@link ParquetRowReader} did for all
 * fields before): every row of a file of flat fields of each kind, with nulls, dictionary and plain
 * pages, beside nested fields, in row groups that span several windows, holds the same values;
 * and a skip to a row inside a window and a row group lands on that row.
 */
class FlatColumnsTest {

    static final int ROWS = 15_000;
    static Path dir;
    static Path file;

    @BeforeAll
    static void write() throws Exception {
        dir = Files.createTempDirectory("flat-columns");
        file = dir.resolve("flat.parquet");
        String select = """
                SELECT i AS id, (i % 128)::TINYINT AS i8, (i % 65536)::USMALLINT AS u16, i::UINTEGER AS u32,
                       (18446744073709551615 - i)::UBIGINT AS u64, (i / 7.0)::FLOAT AS f32, (i / 3.0)::DOUBLE AS f64,
                       i % 2 = 0 AS b, CASE WHEN i % 3 = 0 THEN NULL ELSE i % 2 = 1 END AS nb,
                       'text-' || i AS s, CASE WHEN i % 5 = 0 THEN NULL ELSE 'n' || (i % 40) END AS ns,
                       (i / 100.0)::DECIMAL(9,2) AS d9, (i * 12345.678901)::DECIMAL(18,6) AS d18,
                       (i * 1234567890.12345)::DECIMAL(38,5) AS d38,
                       DATE '2024-01-01' + (i % 1000)::INTEGER AS dt,
                       CASE WHEN i % 7 = 0 THEN NULL ELSE TIMESTAMP '2024-01-01 00:00:00' + INTERVAL (i) SECOND END AS ts_us,
                       epoch_ms(1700000000000 + i)::TIMESTAMP_MS AS ts_ms, md5(i::VARCHAR)::UUID AS u,
                       [i, NULL] AS arr, {'x': i, 'y': 's' || i} AS st, CASE WHEN i % 4 = 0 THEN NULL ELSE i END AS last
                FROM range(""" + ROWS + ") t(i)";
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement st = duck.createStatement()) {
            st.execute("COPY (" + select + ") TO '" + file + "' (FORMAT PARQUET, COMPRESSION 'snappy', ROW_GROUP_SIZE 10000)");
        }
    }

    @AfterAll
    static void delete() throws Exception {
        Files.deleteIfExists(file);
        Files.deleteIfExists(dir);
    }

    @Test
    void everyRowHoldsWhatRowAssemblyMakesOfIt() throws Exception {
        List<String> expected = assembled(file);
        assertThat(expected).hasSize(ROWS);
        List<String> rows = new ArrayList<>();
        try (ParquetRowReader reader = ParquetRowReader.open(RandomAccessInput.of(file))) {
            assertThat(reader.rowGroupCount()).isGreaterThan(1);
            for (ParquetRow row; (row = reader.next()) != null; ) {
                assertThat(row.index()).isEqualTo(rows.size());
                rows.add(row.toString());
            }
        }
        for (int i = 0; i < ROWS; i++) {
            assertThat(rows.get(i)).as("row %d", i).isEqualTo(expected.get(i));
        }
    }

    @Test
    void skipsToARowInsideAWindowOfTheSecondRowGroup() throws Exception {
        List<String> expected = assembled(file);
        long target = 10_000 + FlatColumns.WINDOW_ROWS + 17;
        try (ParquetRowReader reader = ParquetRowReader.open(RandomAccessInput.of(file))) {
            reader.skipTo(target);
            for (long i = target; i < ROWS; i++) {
                ParquetRow row = reader.next();
                assertThat(row.index()).isEqualTo(i);
                assertThat(row.toString()).as("row %d", i).isEqualTo(expected.get((int) i));
            }
            assertThat(reader.next()).isNull();
        }
    }

    /**
     * Each field written into a column of its natural type and into a Nullable(String) one, by the
     * flat path and by {@link ValueWriter} from the value the row path holds: the same bytes.
     */
    @Test
    void writesTheBytesTheRowPathWrites() throws Exception {
        try (ParquetRowReader reader = ParquetRowReader.open(RandomAccessInput.of(file))) {
            ParquetRow first = reader.next();
            String[] types = {"Int64", "Int8", "UInt16", "UInt32", "UInt64", "Float32", "Float64", "Bool",
                "Nullable(Bool)", "String", "Nullable(String)", "Decimal(9, 2)", "Decimal(18, 6)", "Decimal(38, 5)",
                "Date", "Nullable(DateTime64(6, 'UTC'))", "DateTime64(3, 'UTC')", "UUID", "Array(Nullable(Int64))",
                "Tuple(x Int64, y String)", "Nullable(Int64)"};
            assertThat(first.fieldCount()).isEqualTo(types.length);
            java.time.ZoneId utc = java.time.ZoneOffset.UTC;
            dev.clickpipes.clickhouse.types.Column[][] flat = new dev.clickpipes.clickhouse.types.Column[2][types.length];
            dev.clickpipes.clickhouse.types.Column[][] boxed = new dev.clickpipes.clickhouse.types.Column[2][types.length];
            for (int i = 0; i < types.length; i++) {
                for (int t = 0; t < 2; t++) {
                    var type = dev.clickpipes.clickhouse.types.DataType.parse(t == 0 ? types[i] : "Nullable(String)");
                    flat[t][i] = dev.clickpipes.clickhouse.types.Columns.create("c" + i, type, utc);
                    boxed[t][i] = dev.clickpipes.clickhouse.types.Columns.create("c" + i, type, utc);
                }
            }
            int n = 0;
            for (ParquetRow row = first; row != null; row = reader.next(), n++) {
                for (int i = 0; i < types.length; i++) {
                    for (int t = 0; t < textual(row.field(i)); t++) {
                        row.write(i, flat[t][i]);
                        ValueWriter.write(row.field(i), row.value(i), boxed[t][i]);
                    }
                }
            }
            assertThat(n).isEqualTo(ROWS);
            for (int i = 0; i < types.length; i++) {
                for (int t = 0; t < textual(first.field(i)); t++) {
                    assertThat(bytes(flat[t][i])).as("field %s into %s", first.fieldName(i), flat[t][i].type())
                            .isEqualTo(bytes(boxed[t][i]));
                }
            }
        }
    }

    /** 2 when the field also goes into the String column (a flat one), else 1. */
    private static int textual(FieldType field) {
        return field.kind == FieldType.Kind.LIST || field.kind == FieldType.Kind.STRUCT ? 1 : 2;
    }

    private static byte[] bytes(dev.clickpipes.clickhouse.types.Column c) {
        dev.clickpipes.clickhouse.types.NativeBuffer out = new dev.clickpipes.clickhouse.types.NativeBuffer();
        c.writePrefix(out);
        c.writeTo(out);
        return java.util.Arrays.copyOf(out.array(), out.size());
    }

    /** Every row as text, by parquet-java's record assembly of the whole schema. */
    private static List<String> assembled(Path path) throws Exception {
        List<String> out = new ArrayList<>();
        ParquetReadOptions options = ParquetReadOptions.builder(new PlainParquetConfiguration())
                .withCodecFactory(ParquetCodecs.INSTANCE).build();
        try (ParquetFileReader reader = new ParquetFileReader(new RangedInputFile(RandomAccessInput.of(path)), options)) {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            MessageColumnIO io = new ColumnIOFactory().getColumnIO(schema);
            RowAssembler assembler = new RowAssembler(schema);
            for (PageReadStore pages; (pages = reader.readNextRowGroup()) != null; ) {
                RecordReader<Object[]> records = io.getRecordReader(pages, assembler, FilterCompat.NOOP);
                for (long i = 0; i < pages.getRowCount(); i++) {
                    out.add(new ParquetRow(assembler.fields(), records.read(), out.size()).toString());
                }
            }
        }
        return out;
    }
}
