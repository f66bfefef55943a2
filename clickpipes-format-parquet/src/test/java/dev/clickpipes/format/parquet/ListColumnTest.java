package dev.clickpipes.format.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.clickhouse.types.Column;
import dev.clickpipes.clickhouse.types.Columns;
import dev.clickpipes.clickhouse.types.DataType;
import dev.clickpipes.clickhouse.types.NativeBuffer;
import dev.clickpipes.clickhouse.types.ValueConversionException;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.source.memory.MemorySource;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import dev.clickpipes.testkit.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.filter2.compat.FilterCompat;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Top-level lists read into a window's offsets, nulls and element arrays ({@link ListColumn},
 * {@link ListValues}): absent lists, empty lists, absent elements, a few lists of thousands of
 * elements, in 1 KB pages (lists cross pages) and row groups of several windows (runs end at windows),
 * dictionary-encoded text, elements of every storage (integers, dates, timestamps, booleans and short
 * decimals, INT32 and FIXED_LEN_BYTE_ARRAY, as longs; floats and doubles; text). What lands in ClickHouse is what the engine's own {@code file()} read gives;
 * into any other column (text, JSON, Dynamic, an Array of another type) the same bytes, or the same refusal, as
 * {@link ValueWriter} writes for the lists parquet-java's record assembly makes.
 */
class ListColumnTest {

    static final int ROWS = 12_000;
    /** Each list field's column, its elements' natural type. */
    static final String COLUMNS = "id UInt64, ints Array(Nullable(Int64)), texts Array(String), doubles Array(Float64), "
            + "flags Array(Nullable(Bool)), reals Array(Float32), days Array(Nullable(Date32)), "
            + "cents Array(Nullable(Decimal(9, 2))), big Array(Nullable(Decimal(18, 3))), "
            + "stamps Array(Nullable(DateTime64(6, 'UTC')))";
    /** The other columns every list field is also written into. */
    static final String[] OTHER_TARGETS = {"Array(String)", "Array(Int64)", "String", "Nullable(String)", "JSON", "Dynamic"};

    static EmbeddedClickHouse clickhouse;
    static TestDatabase db;
    static Path dir;
    static Path file;

    @BeforeAll
    static void write() throws Exception {
        clickhouse = EmbeddedClickHouse.shared();
        db = clickhouse.newDatabase();
        dir = Files.createTempDirectory("list-column");
        file = dir.resolve("lists.parquet");
        MessageType schema = MessageTypeParser.parseMessageType("message m { required int64 id; "
                + "optional group ints (LIST) { repeated group list { optional int64 element; } } "
                + "optional group texts (LIST) { repeated group list { required binary element (STRING); } } "
                + "required group doubles (LIST) { repeated group list { required double element; } } "
                + "optional group flags (LIST) { repeated group list { optional boolean element; } } "
                + "optional group reals (LIST) { repeated group list { required float element; } } "
                + "optional group days (LIST) { repeated group list { optional int32 element (DATE); } } "
                + "optional group cents (LIST) { repeated group list { optional int32 element (DECIMAL(9, 2)); } } "
                + "optional group big (LIST) { repeated group list { optional fixed_len_byte_array(8) element (DECIMAL(18, 3)); } } "
                + "optional group stamps (LIST) { repeated group list { optional int64 element (TIMESTAMP(MICROS, true)); } } }");
        SimpleGroupFactory groups = new SimpleGroupFactory(schema);
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(file))
                .withConf(new PlainParquetConfiguration()).withType(schema).withDictionaryEncoding(true)
                .withCompressionCodec(CompressionCodecName.UNCOMPRESSED).withPageSize(1024).withRowGroupSize(1L << 20).build()) {
            for (int i = 0; i < ROWS; i++) {
                Group g = groups.newGroup().append("id", (long) i);
                if (i % 11 != 0) {
                    Group ints = g.addGroup("ints"); // empty when i % 13 == 0 or the count is 0
                    int n = i % 13 == 0 ? 0 : i % 1000 == 1 ? 3000 : i % 37;
                    for (int x = 0; x < n; x++) {
                        Group entry = ints.addGroup("list");
                        if ((x + i) % 5 != 0) {
                            entry.append("element", (long) i * 100 + x);
                        }
                    }
                }
                if (i % 7 != 0) {
                    Group texts = g.addGroup("texts");
                    for (int x = 0, n = i % 9 == 0 ? 0 : i % 5 + 1; x < n; x++) {
                        texts.addGroup("list").append("element", "t" + (i * x % 50));
                    }
                }
                Group doubles = g.addGroup("doubles");
                for (int x = 0; x < i % 4; x++) {
                    doubles.addGroup("list").append("element", (i + x) / 4.0);
                }
                if (i % 6 != 0) {
                    Group flags = g.addGroup("flags");
                    Group reals = g.addGroup("reals");
                    Group days = g.addGroup("days");
                    Group cents = g.addGroup("cents");
                    Group big = g.addGroup("big");
                    Group stamps = g.addGroup("stamps");
                    for (int x = 0; x < i % 3; x++) {
                        reals.addGroup("list").append("element", (i - x) / 7f);
                        Group[] entries = {flags.addGroup("list"), days.addGroup("list"), cents.addGroup("list"),
                            big.addGroup("list"), stamps.addGroup("list")};
                        if ((i + x) % 4 != 0) {
                            long n = (long) i * 7 - x;
                            entries[0].append("element", n % 2 == 0);
                            entries[1].append("element", (int) (n % 40_000) - 10_000);
                            entries[2].append("element", (int) (n * 13 - 50_000));
                            entries[3].append("element", Binary.fromConstantByteArray(
                                    java.nio.ByteBuffer.allocate(8).putLong(n * 1_000_003 - 7_000_000_000L).array()));
                            entries[4].append("element", 1_700_000_000_000_000L + n * 1_000_001);
                        }
                    }
                }
                w.write(g);
            }
        }
    }

    @AfterAll
    static void delete() throws Exception {
        Files.deleteIfExists(file);
        Files.deleteIfExists(dir);
    }

    @Test
    void landsInClickHouseAsTheEngineReadsTheFile() throws Exception {
        String ours = db.table("ours");
        String engine = db.table("engine");
        clickhouse.query("CREATE TABLE " + ours + " (" + COLUMNS + ") ENGINE = MergeTree ORDER BY id");
        clickhouse.query("CREATE TABLE " + engine + " (" + COLUMNS + ") ENGINE = MergeTree ORDER BY id");
        clickhouse.query("INSERT INTO " + engine + " SELECT * FROM file('" + file + "', Parquet)");
        assertThat(clickhouse.queryLong("SELECT countIf(length(big) = 2 AND isNotNull(big[2])) FROM " + engine)).isPositive();
        MemorySource source = MemorySource.open();
        source.offer(Files.readAllBytes(file));
        source.end();
        Pipe.builder().name("lists").source(source).decoder(ParquetDecoder.create())
                .sink(ClickHouseSink.builder().transport(clickhouse).table(ours).errorTable(true).build())
                .build().run();
        assertThat(clickhouse.queryLong("SELECT count() FROM " + ours + "_clickpipes_error")).isZero();
        assertThat(clickhouse.queryLong("SELECT count() FROM " + ours)).isEqualTo(ROWS);
        assertThat(clickhouse.queryLong("SELECT countIf(length(ints) = 3000) FROM " + ours)).isEqualTo(11);
        String query = "SELECT toString(tuple(*)) FROM %s ORDER BY id";
        String[] a = clickhouse.query(String.format(query, ours)).split("\n");
        String[] b = clickhouse.query(String.format(query, engine)).split("\n");
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            assertThat(i < a.length ? a[i] : null).as("row %d", i).isEqualTo(i < b.length ? b[i] : null);
        }
    }

    /** Row by row ({@link ParquetRow#write}) and a window's run at a time ({@link ParquetRow#writeRun}). */
    @Test
    void writesWhatTheAssembledListsWriteIntoAnyColumn() throws Exception {
        String[] natural = COLUMNS.split(", (?=[a-z]+ )");
        List<Object[]> assembled = assembled(file);
        List<String> assembledText = new ArrayList<>();
        for (Object[] values : assembled) {
            assembledText.add(new ParquetRow(fields(file), values, assembledText.size()).toString());
        }
        List<ParquetRow> rows = new ArrayList<>();
        try (ParquetRowReader reader = ParquetRowReader.open(RandomAccessInput.of(file))) {
            for (ParquetRow row; (row = reader.next()) != null; ) {
                rows.add(row);
            }
        }
        assertThat(rows).hasSize(ROWS);
        for (int i = 0; i < ROWS; i++) {
            assertThat(rows.get(i).toString()).as("row %d", i).isEqualTo(assembledText.get(i));
        }
        for (int field = 1; field < natural.length; field++) {
            List<String> targets = new ArrayList<>(List.of(OTHER_TARGETS));
            targets.add(natural[field].substring(natural[field].indexOf(' ') + 1));
            for (String target : targets) {
                Written fromLists = new Written(target);
                Written byRow = new Written(target);
                Written byRun = new Written(target);
                int runStart = 0;
                for (int i = 0; i < ROWS; i++) {
                    FieldType type = rows.get(i).field(field);
                    Object list = assembled.get(i)[field];
                    fromLists.write(c -> ValueWriter.write(type, list, c));
                    ParquetRow row = rows.get(i);
                    int f = field;
                    byRow.write(c -> row.write(f, c));
                    if (i + 1 == ROWS || !rows.get(i + 1).follows(row)) {
                        ParquetRow first = rows.get(runStart);
                        int count = i + 1 - runStart;
                        byRun.write(c -> first.writeRun(f, List.of(), 0, count, c));
                        runStart = i + 1;
                    }
                }
                String what = rows.get(0).fieldName(field) + " into " + target;
                assertThat(byRow.result()).as(what + ", row by row").isEqualTo(fromLists.result());
                if (fromLists.refusals.isEmpty()) {
                    assertThat(byRun.result()).as(what + ", in runs").isEqualTo(fromLists.result());
                }
            }
        }
    }

    /** A column's bytes after a series of writes, and the messages of the writes it refused. */
    private static final class Written {
        final Column column;
        final List<String> refusals = new ArrayList<>();

        Written(String type) {
            column = Columns.create("c", DataType.parse(type), ZoneOffset.UTC);
        }

        void write(Write w) {
            column.mark();
            try {
                w.into(column);
            } catch (ValueConversionException e) {
                column.rollback();
                refusals.add(e.getMessage());
            }
        }

        String result() {
            NativeBuffer out = new NativeBuffer();
            column.writePrefix(out);
            column.writeTo(out);
            return Arrays.toString(Arrays.copyOf(out.array(), out.size())) + " refused " + refusals;
        }
    }

    @FunctionalInterface
    private interface Write {
        void into(Column c) throws ValueConversionException;
    }

    private static FieldType[] fields(Path path) throws Exception {
        try (ParquetFileReader reader = open(path)) {
            return new RowAssembler(reader.getFooter().getFileMetaData().getSchema()).fields();
        }
    }

    /** Every row's values, by parquet-java's record assembly of the whole schema (the lists as the row path makes them). */
    private static List<Object[]> assembled(Path path) throws Exception {
        List<Object[]> out = new ArrayList<>();
        try (ParquetFileReader reader = open(path)) {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            RowAssembler assembler = new RowAssembler(schema);
            for (PageReadStore pages; (pages = reader.readNextRowGroup()) != null; ) {
                RecordReader<Object[]> records = new ColumnIOFactory().getColumnIO(schema)
                        .getRecordReader(pages, assembler, FilterCompat.NOOP);
                for (long i = 0; i < pages.getRowCount(); i++) {
                    out.add(records.read().clone());
                }
            }
        }
        return out;
    }

    /** parquet-java's reader of {@code path}, with our codecs and no Hadoop configuration. */
    static ParquetFileReader open(Path path) throws Exception {
        ParquetReadOptions options = ParquetReadOptions.builder(new PlainParquetConfiguration())
                .withCodecFactory(ParquetCodecs.INSTANCE).build();
        return new ParquetFileReader(new RangedInputFile(RandomAccessInput.of(path)), options);
    }
}
