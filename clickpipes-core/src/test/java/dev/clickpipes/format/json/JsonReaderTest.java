package dev.clickpipes.format.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clickpipes.clickhouse.TableColumn;
import dev.clickpipes.clickhouse.TableSchema;
import dev.clickpipes.clickhouse.types.Column;
import dev.clickpipes.clickhouse.types.NativeBuffer;
import dev.clickpipes.core.FieldMapping;
import dev.clickpipes.core.RowBuffer;
import dev.clickpipes.core.spi.ByteSliceRecord;
import dev.clickpipes.core.spi.DecodeException;
import dev.clickpipes.core.spi.SourcePosition;
import dev.clickpipes.core.spi.SourceRecord;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Our JSON reader against Jackson: every record, valid or mutated, decoded by {@link JsonDecoder}
 * (our reader, Jackson where it gives up) and by Jackson alone must give the same column bytes or
 * the same error. The valid seeds must also be read by our reader itself, not handed to Jackson.
 */
class JsonReaderTest {

    private static final String[] COLUMNS = {"id", "UInt32", "name", "String", "v", "Float64", "tags", "Array(String)",
        "m", "Map(String, Int64)", "t", "DateTime64(3, 'UTC')", "d", "Date", "n", "Nullable(Int32)", "u", "UUID",
        "ip", "IPv6", "dec", "Decimal(18, 4)", "tup", "Tuple(a Int32, b String)", "e", "Enum8('a' = 1, 'b' = 2)",
        "lc", "LowCardinality(String)", "big", "Int128", "f", "FixedString(3)", "j", "JSON", "ok", "Bool",
        "f32", "Float32", "i8", "Int8", "pair", "Tuple(Float64, Float64)", "a.b.c", "Int64", "a.s", "String",
        "grid", "Array(Array(Nullable(Float64)))", "x y", "String", "ünï", "UInt8"};

    private static final String[] SEEDS = {
        "{\"id\":1,\"name\":\"ünï ✓\",\"v\":1.5,\"tags\":[\"a\",\"b\"],\"m\":{\"k\":1,\"l\":-2},\"t\":\"2024-05-01 00:00:00.123\","
            + "\"d\":\"2024-05-01\",\"n\":null,\"u\":\"123e4567-e89b-12d3-a456-426614174000\",\"ip\":\"::ffff:1.2.3.4\","
            + "\"dec\":12.3456,\"tup\":{\"a\":7,\"b\":\"x\"},\"e\":\"a\",\"lc\":\"low\",\"big\":\"170141183460469231731687303715884105727\","
            + "\"f\":\"abc\",\"j\":{\"x\":{\"y\":[1,2,{\"z\":null}]}}}",
        "{\"id\":4294967295,\"name\":\"\\u00e9\\n\\\"q\\\"\\/\\b\\f\\r\\t\\ud83d\\ude00 ✓\",\"v\":-1e308,\"tags\":[],\"m\":{},"
            + "\"t\":1714521600123,\"d\":19844,\"n\":-2147483648,\"ip\":\"2001:db8::1\",\"dec\":\"-99999999999999.9999\","
            + "\"tup\":[1,\"y\"],\"e\":2,\"j\":{}}",
        "{\"id\":0,\"v\":NaN,\"x\":{\"deep\":[[[[1]]]]},\"n\":1}",
        " {\"a\":{\"b\":{\"c\":-42},\"s\":[1,{\"q\":true}]},\"ok\":true,\"f32\":3.4028235e38,\"i8\":-128,\"pair\":[1.5,-2e-3],"
            + "\"grid\":[[1,null,2.5e1],[],[0.1,-0.0]],\"x y\":\"sp ace\",\"ünï\":7,\"name\":123.4500,\"v\":0.1} \r\n",
        "{\"v\":1.7976931348623157E308,\"f32\":5e-324,\"dec\":0.00001,\"name\":[1, {\"k\" : \"v\"} ,\"\\\\\"],\"ok\":false,"
            + "\"unknown\":{\"deep\":[{\"a\":[1,2,3,\"\\u0041\"]},-0.5e+10,true,false,null]},\"i8\":\"12\",\"id\":\"7\"}",
        "{\"v\":123456789012345678,\"id\":12345678901234567890,\"f32\":1234567890123456789012.5,\"name\":\"😀 \\\\u0000\","
            + "\"tags\":[\"\\u20AC\",\"€\",\"\"],\"m\":{\"ключ\":9,\"\":0},\"n\":007}",
        "{\"v\":0.30000000000000004,\"pair\":[142857.14285714287,-1.2345678901234567e-300],\"f32\":9007199254740993,"
            + "\"grid\":[[1.0000000000000002,2.2250738585072014E-308,4.9406564584124654E-324,17976931348623159e292]]}",
        "{}",
        "{\"id\":1,\"id\":2}",
        "[1,2]",
        "{\"id\":1} {\"id\":2}",
    };

    /** Bytes a mutation likes to put in: JSON's structure, number parts, escapes, UTF-8 lead and odd bytes. */
    private static final byte[] INTERESTING = {'"', '\\', '{', '}', '[', ']', ',', ':', ' ', '\t', '\n', '0', '1', '9', '-',
        '+', '.', 'e', 'E', 'u', 'n', 't', 'f', 'N', 'I', 0, 0x1f, 0x7f, (byte) 0x80, (byte) 0xbf, (byte) 0xc0, (byte) 0xc3,
        (byte) 0xe0, (byte) 0xed, (byte) 0xef, (byte) 0xf0, (byte) 0xf4, (byte) 0xf5, (byte) 0xff};

    @Test
    void theReaderReadsTheSeedsItself() throws Exception {
        RowBuffer rows = rows();
        JsonReader reader = new JsonReader();
        for (int i : new int[] {0, 3, 4}) { // the others have NaN, errors or a 20-digit integer: Jackson's
            SourceRecord r = record(SEEDS[i].getBytes(StandardCharsets.UTF_8));
            rows.beginRecord(r);
            assertThat(reader.decode(r, rows)).as(SEEDS[i]).isTrue();
        }
        assertThat(rows.rows()).isEqualTo(3);
    }

    @Test
    void seedsDecodeAsJacksonDecodesThem() throws Exception {
        for (String seed : SEEDS) {
            assertSame(seed.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void mutatedRecordsDecodeAsJacksonDecodesThem() throws Exception {
        Random random = new Random(Long.getLong("clickpipes.fuzz.seed", 20261202L));
        for (int i = 0; i < 30_000; i++) {
            byte[] input = SEEDS[random.nextInt(SEEDS.length)].getBytes(StandardCharsets.UTF_8);
            int mutations = 1 + random.nextInt(3);
            for (int k = 0; k < mutations; k++) {
                input = mutate(input, random);
            }
            assertSame(input);
        }
    }

    private static byte[] mutate(byte[] in, Random random) {
        int at = in.length == 0 ? 0 : random.nextInt(in.length);
        byte b = random.nextInt(4) == 0 ? (byte) random.nextInt(256) : INTERESTING[random.nextInt(INTERESTING.length)];
        return switch (random.nextInt(5)) {
            case 0 -> { // replace
                byte[] out = in.clone();
                if (out.length > 0) {
                    out[at] = b;
                }
                yield out;
            }
            case 1 -> { // insert
                byte[] out = new byte[in.length + 1];
                System.arraycopy(in, 0, out, 0, at);
                out[at] = b;
                System.arraycopy(in, at, out, at + 1, in.length - at);
                yield out;
            }
            case 2 -> { // delete
                if (in.length == 0) {
                    yield in;
                }
                byte[] out = new byte[in.length - 1];
                System.arraycopy(in, 0, out, 0, at);
                System.arraycopy(in, at + 1, out, at, in.length - at - 1);
                yield out;
            }
            case 3 -> Arrays.copyOf(in, at); // truncate
            default -> { // a run of digits or an escape somewhere
                String piece = switch (random.nextInt(4)) {
                    case 0 -> "12345678901234567890123";
                    case 1 -> "\\u" + HexFormat.of().toHexDigits((short) random.nextInt(65536));
                    case 2 -> "0.000000000000000000000000123e-300";
                    default -> "\"nested\":{\"b\":{\"c\":1}},";
                };
                byte[] p = piece.getBytes(StandardCharsets.UTF_8);
                byte[] out = new byte[in.length + p.length];
                System.arraycopy(in, 0, out, 0, at);
                System.arraycopy(p, 0, out, at, p.length);
                System.arraycopy(in, at, out, at + p.length, in.length - at);
                yield out;
            }
        };
    }

    /** Decodes with the decoder and with Jackson alone, each into a fresh buffer, and compares. */
    private static void assertSame(byte[] input) throws Exception {
        // A decoder each, and Jackson sees the same records on both sides: whether Jackson refuses invalid
        // UTF-8 in a field name depends on the names its symbol table has seen (found by this test).
        JsonDecoder decoder = new JsonDecoder();
        JsonDecoder reference = new JsonDecoder();
        String ours = outcome(input, decoder::decodeWithJackson, decoder::decode);
        String jackson = outcome(input, reference::decodeWithJackson, reference::decodeWithJackson);
        assertThat(ours).as("input %s (%s)", new String(input, StandardCharsets.UTF_8), HexFormat.of().formatHex(input))
                .isEqualTo(jackson);
    }

    private interface Decode {
        void run(SourceRecord record, RowBuffer rows) throws DecodeException;
    }

    /** The column bytes after a row (two rows: one before, to catch a rollback that reaches too far), or the error. */
    private static String outcome(byte[] input, Decode before, Decode decode) throws Exception {
        RowBuffer rows = rows();
        SourceRecord first = record("{\"id\":5,\"name\":\"before\"}".getBytes(StandardCharsets.UTF_8));
        rows.beginRecord(first);
        before.run(first, rows);
        SourceRecord r = record(input);
        rows.beginRecord(r);
        String error = null;
        try {
            decode.run(r, rows);
        } catch (DecodeException e) {
            rows.rollbackRecord();
            error = e.kind() + ": " + e.getMessage();
        } catch (RuntimeException e) {
            rows.rollbackRecord();
            error = e.toString();
        }
        List<String> columns = new ArrayList<>();
        for (Column c : rows.columns()) {
            NativeBuffer out = new NativeBuffer();
            c.writePrefix(out);
            c.writeTo(out);
            columns.add(c.name() + "=" + HexFormat.of().formatHex(out.array(), 0, out.size()));
        }
        return rows.rows() + " rows; " + error + "; " + columns;
    }

    private static RowBuffer rows() {
        List<TableColumn> columns = new ArrayList<>();
        for (int i = 0; i < COLUMNS.length; i += 2) {
            columns.add(TableColumn.of(COLUMNS[i], COLUMNS[i + 1]));
        }
        return new RowBuffer(new TableSchema("db", "t", columns, ZoneOffset.UTC), FieldMapping.byName(), Set.of());
    }

    private static SourceRecord record(byte[] bytes) {
        return new ByteSliceRecord(bytes, 0, bytes.length) {
            @Override
            public SourcePosition position() {
                return null;
            }
        };
    }
}
