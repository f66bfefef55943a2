package dev.clickpipes.clickhouse.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clickpipes.clickhouse.ClickHouseException;
import dev.clickpipes.clickhouse.types.Columns;
import dev.clickpipes.clickhouse.types.DataType;
import dev.clickpipes.core.Batching;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.core.spi.Decoder;
import dev.clickpipes.format.Decoders;
import dev.clickpipes.source.memory.MemorySource;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import dev.clickpipes.testkit.TestDatabase;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ClickHouse is the oracle. For every type, a corpus of values (valid, edge, invalid) goes (a)
 * through our pipe and (b) through the engine's own parser of the same format into identical
 * tables. Every value ClickHouse accepts must read back identically from both; every value
 * ClickHouse rejects must land in our error table, never in the table. Where we are deliberately
 * stricter (ClickHouse accepts, we file the record as an error), the value is listed in
 * {@link #STRICTER} with the reason, and the README says so.
 */
class TypeOracleTest {

    /** Values ClickHouse accepts that we refuse on purpose: type, value and why. */
    static final Map<String, String> STRICTER = new LinkedHashMap<>();

    static {
        String wraps = "overflow: ClickHouse wraps around; we never wrap";
        STRICTER.put("Int8 128", wraps);
        STRICTER.put("Int8 -129", wraps);
        STRICTER.put("UInt8 256", wraps);
        STRICTER.put("Int32 2147483648", wraps);
        STRICTER.put("Int64 9223372036854775808", wraps);
        STRICTER.put("UInt64 18446744073709551616", wraps);
        String clamps = "out of the type's range: ClickHouse clamps or wraps it to another date; we refuse";
        STRICTER.put("Date \"2149-06-07\"", clamps);
        STRICTER.put("Date \"1969-12-31\"", clamps);
        STRICTER.put("Date32 \"1899-12-31\"", clamps);
        STRICTER.put("Date32 \"2300-01-01\"", clamps);
        STRICTER.put("DateTime('UTC') \"2106-02-07 06:28:16\"", clamps);
        STRICTER.put("DateTime('UTC') \"1969-12-31 23:59:59\"", clamps);
        STRICTER.put("Date \"2024-02-30\"", "not a calendar date: ClickHouse rolls it over to 2024-03-01");
        STRICTER.put("IntervalSecond 9223372036854775808", wraps);
        String clampsTime = "beyond 999:59:59: ClickHouse clamps it to the limit; we refuse";
        STRICTER.put("Time 3600000", clampsTime);
        STRICTER.put("Time -3600000", clampsTime);
        STRICTER.put("Time64(3) 3600000000", clampsTime);
        STRICTER.put("Time64(3) 9223372036854775807", clampsTime);
        String rollsTime = "minutes or seconds of 60 or more: ClickHouse rolls them over (12:60:00 is 13:00:00)";
        STRICTER.put("Time \"12:60:00\"", rollsTime);
        STRICTER.put("Time \"12:00:60\"", rollsTime);
        STRICTER.put("Time64(3) \"23:59:60.5\"", rollsTime);
        String shortTime = "a short form: ClickHouse reads \"12\" as 12 seconds and \"12:34\" as 12 minutes 34 seconds";
        STRICTER.put("Time \"12\"", shortTime);
        STRICTER.put("Time \"12:34\"", shortTime);
        STRICTER.put("Time64(3) \"12:34.5\"", shortTime);
        String emptyElement = "an empty array element, from a comma: ClickHouse reads it as the element type's default "
                + "([,1] is [0,1]); we refuse rather than invent a value";
        for (String v : List.of("[,1]", "[1,,2]")) {
            STRICTER.put("Array(Int32) " + v, emptyElement); // TSV
            STRICTER.put("Array(Int32) \"" + v + "\"", emptyElement); // CSV
        }
        String adjusted = "a Variant's date of the right shape but not on the calendar or out of range: ClickHouse keeps it "
                + "in the date variant, rolled over or clamped; we refuse rather than store it elsewhere";
        STRICTER.put("Variant(Date, String) \"2024-02-30\"", adjusted);
        STRICTER.put("Variant(Date, String) \"2149-06-07\"", adjusted);
        STRICTER.put("Variant(DateTime('UTC'), String) \"2106-02-07 06:28:16\"", adjusted);
        STRICTER.put("Variant(String, UInt64) \"\"", "ClickHouse reads an empty string as 0 of a Variant's number "
                + "variant; we refuse rather than guess");
        String rawJson = "an array or object into a Variant's String: ClickHouse keeps its JSON text; we refuse "
                + "(Variants of scalar values only)";
        STRICTER.put("Variant(String, UInt64) [1, 2]", rawJson);
        STRICTER.put("Variant(String, UInt64) {\"a\": 1}", rawJson);
        String inferredDate = "a string ClickHouse's inference reads as a date or time with rules we do not follow "
                + "(only YYYY-MM-DD and YYYY-MM-DD hh:mm:ss in range are); we refuse rather than store another type";
        for (String v : List.of("\"2024-02-30\"", "\"2024-1-1\"", "\"2149-06-07\"", "\"2024-01-01T12:00:00Z\"",
                "\"2024-01-01 12:00:00.5\"", "\" 2024-01-01\"", "\"2300-01-01 00:00:00\"")) {
            STRICTER.put("Dynamic " + v, inferredDate);
        }
        String dynamicInside = "an array ClickHouse infers as Array(Dynamic) or with a Dynamic inside (numbers beside "
                + "strings, arrays beside scalars, a negative number beside one beyond Int64); we refuse";
        for (String v : List.of("[1, \"x\"]", "[[1], [\"x\"]]", "[-1, 18446744073709551615]", "[1, \"1\"]",
                "{\"a\": 1, \"b\": [1, \"x\"]}", "[1.5, \"x\"]")) {
            STRICTER.put("Dynamic " + v, dynamicInside);
        }
        String keptAsText = "an array or object of which ClickHouse keeps JSON text as a String (an empty object, an "
                + "integer beyond UInt64); we refuse, as that text as written is not kept";
        for (String v : List.of("{}", "[{}]", "[18446744073709551616]", "{\"a\": -Infinity}", "[1, -Infinity]")) {
            STRICTER.put("Dynamic " + v, keptAsText);
        }
        String infinity = "-Infinity (which JSON readers let through): ClickHouse reads it as text or as a float "
                + "depending on the types; we refuse it, as we refuse NaN and Infinity, which ClickHouse refuses too";
        STRICTER.put("Dynamic -Infinity", infinity);
        STRICTER.put("Variant(String, Float64) -Infinity", infinity);
        STRICTER.put("Dynamic [\"2024-01-01\", \"2024-01-01 12:00:00\"]", "a Date beside a DateTime in an array: "
                + "ClickHouse infers Array(DateTime); we refuse");
        STRICTER.put("Dynamic {\"a.b\": 1}", "an object key that is not a plain identifier: ClickHouse names the "
                + "Tuple element with backquotes; we refuse");
        STRICTER.put("Dynamic [{\"a\": -1}, {\"a\": 18446744073709551615}]", "a negative number beside one beyond "
                + "Int64 in a Tuple's element: ClickHouse infers Int64 and wraps the larger around; we refuse");
        for (String v : List.of("[\"2024-1-1\"]", "[\"2024-02-30\"]")) {
            STRICTER.put("Dynamic " + v, inferredDate);
        }
        STRICTER.put("Dynamic +1", "a number after a '+' in a TSV field into Dynamic: ClickHouse's TSV reader reads it "
                + "as 0 (its CSV reader as 1); we refuse");
        STRICTER.put("Dynamic  1", "a number after a space in a TSV field into Dynamic: ClickHouse's TSV reader reads "
                + "it as 0; we refuse");
        STRICTER.put("Dynamic \" 1\"", inferredDate + " (ClickHouse keeps this quoted CSV field a String)");
        STRICTER.put("Dynamic 2024-01-01T10:00:00", inferredDate);
        String rawInVariant = "an array or object that only a Variant's String takes: ClickHouse keeps its JSON text; "
                + "we refuse, as that text as written is not kept";
        for (String k : List.of("Variant(Array(Int64), String) [\"x\"]", "Variant(Array(Int64), String) {\"a\": 1}",
                "Variant(Array(Int64), Array(String)) [[1]]")) {
            STRICTER.put(k, rawInVariant);
        }
        String tie = "Map(String, Int64) and Tuple(a Int64) rank equally in ClickHouse's order of tries (its choice "
                + "between them is not defined); we refuse what both take";
        for (String v : List.of("{\"a\": 1}", "{\"b\": 2}")) {
            STRICTER.put("Variant(Map(String, Int64), Tuple(a Int64)) " + v, tie);
        }
        STRICTER.put("Variant(Bool, Int64) \"true\"", "ClickHouse reads the string \"true\" as Int64 1; "
                + "a JSON string is not a boolean for us, as for a Bool column");
    }

    /** Values both accept but read differently on purpose: type, value and why. */
    static final Map<String, String> DIFFERENT = new LinkedHashMap<>();

    static {
        DIFFERENT.put("Float32 3.4028235e38", "we round the decimal text to the nearest Float32 (FLT_MAX); "
                + "ClickHouse's fast parser lands one step below (3.4028233e38)");
        DIFFERENT.put("Float64 5e-324", "we keep the smallest subnormal; ClickHouse's parser flushes it to 0");
        DIFFERENT.put("Dynamic tab\\there", "an escaped tab in a TSV field into Dynamic: ClickHouse's inference stops "
                + "at it and keeps 'tab'; we keep the whole field, its escape undone");
    }

    private static TestDatabase db;
    private static TypeOracle oracle;

    @BeforeAll
    static void start() throws Exception {
        db = EmbeddedClickHouse.shared().newDatabase();
        oracle = new TypeOracle(EmbeddedClickHouse.shared(), db.name(), " SETTINGS allow_nullable_key = 1");
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    static Stream<Arguments> jsonCorpus() {
        return Stream.of(
                cases("Int8", "0", "-128", "127", "\"12\"", "128", "-129", "1.5", "\"abc\"", "true", "null"),
                cases("UInt8", "0", "255", "256", "-1", "\"7\""),
                cases("Int16", "-32768", "32767", "\"-5\""),
                cases("Int32", "-2147483648", "2147483647", "2147483648", "\"1.5\""),
                cases("UInt32", "4294967295", "-1"),
                cases("Int64", "-9223372036854775808", "9223372036854775807", "9223372036854775808"),
                cases("UInt64", "0", "18446744073709551615", "18446744073709551616", "-1", "\"18446744073709551615\""),
                cases("Int128", "-170141183460469231731687303715884105728", "170141183460469231731687303715884105727", "-1"),
                cases("UInt128", "340282366920938463463374607431768211455", "0"),
                cases("Int256", "-57896044618658097711785492504343953926634992332820282019728792003956564819968", "12345"),
                cases("UInt256", "115792089237316195423570985008687907853269984665640564039457584007913129639935"),
                cases("Float32", "1.5", "-0.0", "3.4028235e38", "1e-45", "\"nan\"", "\"inf\"", "\"-inf\"", "\"abc\"", "7"),
                cases("Float64", "1.7976931348623157e308", "5e-324", "-2.5", "\"NaN\"", "\"1e10\"", "true"),
                cases("BFloat16", "1.5", "3.14159", "-65504"),
                cases("Decimal(9, 2)", "1.23", "-0.01", "1234567.89", "12345678.9", "\"3.5\"", "1.235", "7", "\"abc\""),
                cases("Decimal128(10)", "12345678901234567890.1234567891", "-1e-10"),
                cases("Decimal256(20)", "123456789012345678901234567890.12345678901234567890"),
                cases("Bool", "true", "false", "1", "0", "\"true\"", "\"false\"", "\"yes\"", "\"maybe\""),
                cases("String", "\"\"", "\"unicode ✓ 😀\"", "\"" + "long".repeat(5000) + "\"", "123", "1.50",
                        "true", "{\"a\": [1, {\"b\": null}]}", "[1, 2]", "\"tab\\there\\nnewline\""),
                cases("FixedString(3)", "\"abc\"", "\"ab\"", "\"abcd\"", "\"é\""),
                cases("Date", "\"2024-02-29\"", "\"1970-01-01\"", "\"2149-06-06\"", "\"2149-06-07\"", "\"1969-12-31\"",
                        "\"2024-02-30\"", "\"2024-05-01 12:00:00\"", "\"soon\""),
                cases("Date32", "\"1900-01-01\"", "\"2299-12-31\"", "\"1899-12-31\"", "\"2300-01-01\"", "\"2000-02-29\""),
                cases("DateTime('UTC')", "\"2024-05-01 12:30:45\"", "\"2024-05-01T12:30:45Z\"",
                        "\"2024-05-01T12:30:45+02:00\"", "1714566645", "\"1714566645\"", "\"2106-02-07 06:28:15\"",
                        "\"2106-02-07 06:28:16\"", "\"1969-12-31 23:59:59\"", "\"2024-13-01 00:00:00\"", "1714566645.5"),
                cases("DateTime('Asia/Tokyo')", "\"2024-05-01 12:30:45\"", "\"2024-05-01T12:30:45Z\""),
                cases("DateTime64(3, 'UTC')", "\"2024-05-01 12:30:45.123\"", "\"2024-05-01T12:30:45.123456Z\"",
                        "\"2024-05-01T12:30:45.1-01:30\"", "1714566645123", "1714566645.123", "\"1714566645.5\"",
                        "\"1900-01-01 00:00:00\"", "\"2299-12-31 23:59:59.999\""),
                cases("DateTime64(6, 'America/New_York')", "\"2024-03-10 02:30:00\"", "\"2024-11-03 01:30:00.000001\""),
                cases("DateTime64(9, 'UTC')", "\"2024-05-01 12:30:45.123456789\""),
                cases("Enum8('a' = 1, 'b' = 2)", "\"a\"", "\"b\"", "1", "2", "\"c\"", "3"),
                cases("Enum16('x' = -1000, 'y' = 1000)", "\"x\"", "1000", "0"),
                cases("UUID", "\"61f0c404-5cb3-11e7-907b-a6006ad3dba0\"", "\"61F0C404-5CB3-11E7-907B-A6006AD3DBA0\"",
                        "\"not-a-uuid\"", "\"00000000-0000-0000-0000-000000000000\"",
                        "\"ffffffff-ffff-ffff-ffff-ffffffffffff\"", "\"61f0C404-5cB3-11e7-907b-A6006ad3dba0\"",
                        "\"61f0c404-5cb3-11e7-907b-a6006ad3dbag\"", "\"g1f0c404-5cb3-11e7-907b-a6006ad3dba0\"",
                        "\"61f0c404-5cb3-11e7-907b-a6006ad3dba\""),
                cases("IPv4", "\"192.168.0.1\"", "\"0.0.0.0\"", "\"255.255.255.255\"", "3232235521", "\"256.1.1.1\"", "\"::1\""),
                cases("IPv6", "\"::1\"", "\"2001:db8::8a2e:370:7334\"", "\"192.168.0.1\"", "\"::ffff:10.0.0.1\"", "\"xyz\""),
                cases("LowCardinality(String)", "\"a\"", "\"\"", "42"),
                cases("LowCardinality(Nullable(String))", "\"a\"", "null"),
                cases("Nullable(Int32)", "null", "5", "\"x\""),
                cases("Nullable(DateTime64(3, 'UTC'))", "null", "\"2024-05-01 00:00:00.5\""),
                cases("Array(Int32)", "[1, 2, 3]", "[]", "[null]", "[\"4\"]", "[1, \"x\"]", "5"),
                cases("Array(Array(Nullable(String)))", "[[\"a\", null], [], [\"\"]]", "[]"),
                cases("Array(LowCardinality(String))", "[\"x\", \"y\", \"x\"]"),
                cases("Tuple(a Int32, b String)", "{\"a\": 1, \"b\": \"x\"}", "[2, \"y\"]", "{\"a\": 3}",
                        "{\"b\": \"only\", \"extra\": 1}", "[1, 2, 3]"),
                cases("Tuple(Int32, Array(String))", "[1, [\"a\", \"b\"]]", "[1]", "[]"),
                cases("Map(String, Int32)", "{\"a\": 1, \"b\": 2}", "{}", "{\"a\": \"x\"}"),
                cases("Map(String, Array(Tuple(x Int32, y Map(String, Nullable(String)))))",
                        "{\"k\": [{\"x\": 1, \"y\": {\"p\": \"q\", \"n\": null}}, {\"x\": 2, \"y\": {}}]}"),
                cases("Array(Array(Array(Array(Array(UInt8)))))", "[[[[[1, 2]]], [[[3]]]]]"),
                cases("JSON", "{\"a\": 1, \"b\": {\"c\": \"x\", \"d\": [1, 2]}}", "{}"),
                cases("Nested(a Int32, b String)", "[{\"a\": 1, \"b\": \"x\"}, {\"a\": 2, \"b\": \"y\"}]", "[]"),
                cases("Point", "[1.5, -2]", "[0, 0]", "[\"3\", 4]", "[1]", "\"x\"", "[1, 2, 3]"),
                cases("Ring", "[[0, 0], [1, 0], [1, 1]]", "[]"),
                cases("LineString", "[[0, 0], [2.25, 3e5]]"),
                cases("Polygon", "[[[0, 0], [1, 0], [1, 1]], [[0.2, 0.2], [0.5, 0.5], [0.2, 0.5]]]", "[]"),
                cases("MultiLineString", "[[[0, 0], [1, 1]], [[2, 2]]]"),
                cases("SimpleAggregateFunction(sum, UInt64)", "5", "18446744073709551615", "-1", "\"7\"", "1.5"),
                cases("SimpleAggregateFunction(anyLast, Nullable(String))", "\"x\"", "null", "12"),
                cases("SimpleAggregateFunction(groupUniqArrayArray, Array(String))", "[\"a\", \"b\"]", "[]"),
                cases("IntervalSecond", "3", "-9223372036854775808", "9223372036854775807", "9223372036854775808",
                        "\"4\"", "\"-4\"", "1.5", "\"5 second\"", "\"INTERVAL 5 SECOND\"", "true", "null"),
                cases("IntervalNanosecond", "1", "-1000000000"),
                cases("IntervalMicrosecond", "1"),
                cases("IntervalMillisecond", "1"),
                cases("IntervalMinute", "1"),
                cases("IntervalHour", "1"),
                cases("IntervalDay", "-7"),
                cases("IntervalWeek", "1"),
                cases("IntervalMonth", "12"),
                cases("IntervalQuarter", "1"),
                cases("IntervalYear", "2000"),
                cases("Nullable(IntervalHour)", "null", "3", "\"x\""),
                cases("Array(IntervalMinute)", "[1, -2]", "[]", "[1.5]"),
                cases("Time", "\"12:34:56\"", "\"00:00:00\"", "\"1:02:03\"", "\"-12:34:56\"", "\"-0:00:01\"",
                        "\"999:59:59\"", "\"-999:59:59\"", "\"000:00:01\"", "\"1000:00:00\"", "\"0001:00:01\"",
                        "45296", "-1", "3599999", "3600000", "-3600000", "\"12:60:00\"", "\"12:00:60\"", "\"12\"",
                        "\"12:34\"", "\"12:3\"", "\"1:2:3\"", "\"12:34:56.7\"", "\"45296\"", "\" 12:34:56\"",
                        "\"12:34:56 \"", "\"+01:00:00\"", "\"12:34:56Z\"", "\"2024-01-01 12:34:56\"", "\"abc\"",
                        "\"\"", "1.5", "1e3", "true", "null"),
                cases("Time64(3)", "\"12:34:56.789\"", "\"12:34:56\"", "\"12:34:56.7\"", "\"12:34:56.78912\"",
                        "\"-00:00:00.5\"", "\"999:59:59.999\"", "\"-999:59:59.999999999\"", "\"01:02:03.\"",
                        "45296789", "-1", "3599999999", "3600000000", "9223372036854775807", "\"23:59:60.5\"",
                        "\"12:34.5\"", "\"45296.789\"", "\"12:34:56.x\"", "1.5", "null"),
                cases("Time64(0)", "\"12:34:56.9\"", "45296"),
                cases("Time64(9)", "\"12:34:56.123456789123\"", "\"-999:59:59.999999999\"", "1"),
                cases("Nullable(Time)", "null", "\"01:00:00\"", "\"x\""),
                cases("Array(Time64(6))", "[\"00:00:01.000001\", \"-1:00:00\"]", "[]", "[\"24:00:00\", 5]"),
                cases("Array(Nullable(Time))", "[null, \"10:00:00\"]"),
                cases("Variant(String, UInt64)", "1", "\"1\"", "-1", "1.5", "1e3", "true", "\"abc\"", "\"\"",
                        "\"null\"", "18446744073709551615", "18446744073709551616", "[1, 2]", "{\"a\": 1}", "null"),
                cases("Variant(Int64, Float64)", "1.5", "1", "1.0", "1e3", "-0.0", "\"1.5\"", "\"7\"",
                        "9223372036854775807", "9223372036854775808", "true", "\"nan\"", "\"x\"", "null"),
                cases("Variant(Date, String)", "\"2024-01-01\"", "\"2024-02-30\"", "\"2149-06-07\"",
                        "\"2024-01-01 12:00:00\"", "19000", "70000", "\"x\"", "\"\"", "null"),
                cases("Variant(Bool, String)", "true", "false", "1", "0", "\"true\"", "2", "\"yes\""),
                cases("Variant(Bool, Int64)", "true", "1", "\"true\"", "5"),
                cases("Variant(Decimal(9, 2), Float64)", "1.5", "1.235", "12345678.9", "\"2.5\"", "7"),
                cases("Variant(DateTime('UTC'), String)", "\"2024-05-01 12:30:45\"", "\"2024-05-01\"", "1714566645",
                        "\"2024-05-01T12:30:45Z\"", "\"2106-02-07 06:28:16\"", "\"later\""),
                cases("Variant(UUID, IPv4, String)", "\"61f0c404-5cb3-11e7-907b-a6006ad3dba0\"", "\"10.0.0.1\"",
                        "\"::1\"", "\"x\"", "5"),
                cases("Variant(Int8, String)", "-1", "127", "128", "\"12\"", "\" 12\""),
                cases("Variant(UInt8, String)", "200", "256", "-1", "1.5"),
                cases("Variant(LowCardinality(String), UInt64)", "\"x\"", "5", "-5"),
                cases("Variant(Int64, Time)", "5", "\"12:34:56\"", "\"x\""),
                cases("Variant(UInt64)", "5", "\"x\"", "null"),
                cases("Array(Variant(String, UInt64))", "[1, \"a\", null, 2.5]", "[]", "[true]"),
                cases("Dynamic", "1", "-1", "9223372036854775807", "9223372036854775808", "18446744073709551615",
                        "18446744073709551616", "-9223372036854775809", "1.5", "1.0", "-0.0", "1e3", "true", "false",
                        "\"1\"", "\"abc\"", "\"\"", "\"true\"", "\"12:34:56\"", "\"1.2.3.4\"", "\"1.5\"",
                        "\"2024-01-01\"", "\"2024-01-01 12:00:00\"", "\"2024-02-30\"", "\"2024-1-1\"",
                        "\"2149-06-07\"", "\"2024-01-01T12:00:00Z\"", "\"2024-01-01 12:00:00.5\"",
                        "\" 2024-01-01\"", "\"2300-01-01 00:00:00\"", "\"20240101\"", "[1, 2]", "{\"a\": 1}", "null",
                        "\"2024-13-01\"", "\"2024-00-10\"", "\"2024-01-32\"", "\"0000-01-01\"", "\"2024-13-01 10:00:00\"",
                        "[\"2024-13-01\", \"x\"]", "[\"2024-13-01\"]"),
                cases("Array(Dynamic)", "[1, \"a\", null, 2.5, true]", "[]"),
                cases("Dynamic", "[\"x\", null]", "[1.5, 2]", "[[1], [2]]", "[1, \"x\"]", "[]", "[null]", "[true, 1]",
                        "[1, 18446744073709551615]", "{\"a\": 1, \"b\": \"x\"}", "{}", "[{\"a\": 1}, {\"b\": 2}]",
                        "{\"a\": [1, 2]}", "{\"a\": {\"b\": 1}}", "[[1], [\"x\"]]", "[\"2024-01-01\"]", "[1, -1]",
                        "[[], [1]]", "{\"a\": null}", "[-1, 18446744073709551615]", "[true, \"x\"]", "[true, false]",
                        "[[1], null]", "[\"2024-01-01\", \"2024-01-01 12:00:00\"]", "[\"2024-01-01\", \"x\"]",
                        "[18446744073709551616]", "[[1], [1.5]]", "{\"b\": 1, \"a\": 2}", "[[]]", "[{}]",
                        "[1, null, 1.5]", "{\"a\": 1, \"a\": 2}", "[{\"a\": 1}, {\"a\": \"x\"}]", "{\"a.b\": 1}",
                        "[\"2024-1-1\"]", "[\"2024-02-30\"]", "[1, \"1\"]", "[1.5, \"x\"]", "[{\"a\": 1}, null]",
                        "{\"a\": 1, \"b\": [1, \"x\"]}", "[{\"a\": -1}, {\"a\": 18446744073709551615}]",
                        "[[1, null], [2]]", "[true, 1.5, null]", "[\"x\", true]", "[{\"a\": [1]}, {\"a\": [1.5]}]",
                        "[{\"a\": {\"b\": 1}}, {\"a\": {\"c\": \"x\"}}]", "[{\"a\": null}, {\"a\": {\"b\": 1}}]",
                        "[[null], [[1]]]", "[\"2024-01-01\", null]", "[9223372036854775807, -1]", "1", "\"x\"", "null"),
                cases("Dynamic", "NaN", "Infinity", "-Infinity", "[NaN]", "{\"a\": -Infinity}", "[1, -Infinity]", "1"),
                cases("Variant(String, Float64)", "NaN", "-Infinity", "Infinity", "1.5"),
                cases("Variant(Array(Int64), Array(String))", "[1, 2]", "[\"x\"]", "[]", "[\"1\"]", "[1, \"x\"]",
                        "[null]", "[[1]]", "{\"a\": 1}", "5", "null"),
                cases("Variant(Array(Int64), String)", "[1, 2]", "[\"x\"]", "\"s\"", "5", "{\"a\": 1}", "[]"),
                cases("Variant(Map(String, String), Tuple(a Int64))", "{\"a\": 1}", "{\"a\": \"x\"}", "{\"b\": \"x\"}",
                        "{}", "[1]", "{\"a\": 1, \"b\": 2}"),
                cases("Variant(Map(String, Int64), Tuple(a Int64))", "{\"a\": 1}", "{\"b\": 2}", "{\"a\": \"x\"}"),
                cases("Variant(Tuple(Int64, String), Array(String))", "[1, \"x\"]", "[\"a\", \"b\"]", "[1, 2, 3]", "[1]",
                        "[]", "[\"1\", 2]"),
                cases("Variant(Array(Nullable(Int64)), Int64)", "[1, null]", "5", "null", "[]", "[\"2\"]", "[1.5]"),
                cases("Variant(Array(Array(Int64)), Array(Int64))", "[[1]]", "[1]", "[]", "[[]]", "[null]"),
                cases("MultiPolygon", "[[[[0, 0], [1, 0], [1, 1]]], [[[5, 5], [6, 5], [6, 6]]]]", "[]"));
    }

    private static Arguments cases(String type, String... values) {
        return Arguments.of(type, List.of(values));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jsonCorpus")
    void jsonValuesReadBackAsClickHouseReadsThem(String type, List<String> values) throws Exception {
        compare(type, values, jsonRecords(values), Decoders.json(), "JSONEachRow");
    }

    private static List<String> jsonRecords(List<String> values) {
        List<String> records = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            records.add("{\"id\": " + i + ", \"v\": " + values.get(i) + "}");
        }
        return records;
    }

    /**
     * Dynamic's arrays and objects in batches of three rows: each batch sends the types it met beside the
     * scalar ones, so consecutive batches carry different sets of types.
     */
    @Test
    void dynamicValuesReadBackAsClickHouseReadsThemAcrossBatches() throws Exception {
        List<String> values = List.of("[1, 2]", "{\"a\": 1}", "1", "\"x\"", "[1.5]", "[[1], [2, 3]]",
                "{\"a\": [true]}", "null", "[\"2024-01-01\"]", "{\"b\": \"y\", \"a\": -1}", "[1, 2]", "true", "[1, \"x\"]");
        assertThat(oracle.differences("Dynamic", values, jsonRecords(values), Decoders.json(), "JSONEachRow", STRICTER,
                DIFFERENT, Batching.defaults().toBuilder().maxRows(3).build())).as("differences across batches").isEmpty();
    }

    /**
     * Dynamic values decoded in chunks side by side (4096 records each, {@code decodeExecutor}): one insert
     * of three Native blocks, each listing its own types (Array(Int64), then Tuple(a Int64), then scalars only).
     */
    @Test
    void dynamicValuesDecodedInChunksReadBackAsClickHouseReadsThem() throws Exception {
        List<String> records = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            String v = i < 4096 ? "[" + i + ", -1]" : i < 8192 ? "{\"a\": " + i + "}" : Integer.toString(i);
            records.add("{\"id\": " + i + ", \"v\": " + v + "}");
        }
        EmbeddedClickHouse clickhouse = EmbeddedClickHouse.shared();
        for (String t : List.of("chunked_piped", "chunked_oracle")) {
            clickhouse.query("CREATE TABLE " + db.name() + "." + t + " (id UInt32, v Dynamic) ENGINE = MergeTree ORDER BY id");
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            Pipe pipe = Pipe.builder().name("chunked").source(MemorySource.of(records)).decoder(Decoders.json())
                    .decodeExecutor(pool).decodeParallelism(2)
                    .sink(ClickHouseSink.builder().transport(clickhouse).table(db.name() + ".chunked_piped").build())
                    .build();
            pipe.run();
            assertThat(pipe.metrics().errorRows()).as(pipe.metrics().lastError()).isZero();
        } finally {
            pool.shutdown();
        }
        byte[] body = String.join("\n", records).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        clickhouse.insert("INSERT INTO " + db.name() + ".chunked_oracle FORMAT JSONEachRow", body, body.length);
        String select = "SELECT dynamicType(v), count(), sum(cityHash64(toString(v), id)) FROM " + db.name()
                + ".%s GROUP BY 1 ORDER BY 1";
        List<List<String>> ours = clickhouse.queryRows(select.formatted("chunked_piped"));
        assertThat(ours).hasSize(3).isEqualTo(clickhouse.queryRows(select.formatted("chunked_oracle")));
    }

    /** One batch with objects of 40 types, more than a Dynamic column keeps apart (32), beside scalars. */
    @Test
    void dynamicValuesOfMoreTypesInOneBatchThanItKeepsApart() throws Exception {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            values.add("{\"k" + i + "\": " + i + "}");
        }
        values.add("[\"x\"]");
        values.add("5");
        compare("Dynamic", values, jsonRecords(values), Decoders.json(), "JSONEachRow");
    }

    /** Types inside a Variant that ClickHouse refuses when a table is created; our columns refuse them too. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Variant(Nullable(String), UInt64)", "Variant(LowCardinality(Nullable(String)), UInt64)",
        "Variant(Variant(String, Int64), UInt64)", "Variant(Dynamic, String)", "Array(Variant(Nullable(Int32), String))"})
    void variantTypesTheEngineRefusesAreRefusedAtStart(String type) {
        assertThatThrownBy(() -> EmbeddedClickHouse.shared().query("CREATE TABLE " + db.name()
                + ".refused (v " + type + ") ENGINE = Memory")).isInstanceOf(ClickHouseException.class)
                .hasMessageContaining("not allowed");
        assertThatThrownBy(() -> Columns.create("v", DataType.parse(type), java.time.ZoneOffset.UTC))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("`v`").hasMessageContaining("is not allowed inside Variant");
    }

    static Stream<Arguments> csvCorpus() {
        return Stream.of(
                cases("Int32", "5", "-7", "\"12\"", "x", ""),
                cases("Nullable(String)", "\\N", "", "\"\"", "\"quoted, with comma\"", "\"say \"\"hi\"\"\"",
                        "\"multi\nline\""),
                cases("Float64", "1.5", "nan", "inf", "-1e-300"),
                cases("Date", "2024-02-29", "\"2024-02-29\"", "nope"),
                cases("DateTime('UTC')", "2024-05-01 12:30:45", "\"2024-05-01T12:30:45Z\""),
                cases("Array(Int32)", "\"[1,2,3]\"", "\"[]\"", "[1]"),
                cases("Array(String)", "\"['a','b''c']\"", "\"['x\\\\'y']\"", "\"[abc]\"", "\"['it\\'s']\""),
                cases("Array(Int32)", "\"['1']\"", "\"[1.5]\"", "\"[-3, 4]\"", "\"[1,]\"", "\"[,1]\"", "\"[1,,2]\""),
                cases("Array(Date)", "\"['2024-01-01']\"", "\"[2024-01-01]\""),
                cases("Array(Tuple(Int32, String))", "\"[(1,'x'),(2,'y')]\"", "\"[(1)]\"", "\"[(1,'x',3)]\""),
                cases("Array(Variant(Int64, String))", "\"['1',2]\"", "\"[abc]\"", "\"['']\""),
                cases("Map(String, UInt8)", "\"{'a':1,'b':2}\""),
                cases("Tuple(Int32, String)", "\"(1,'x')\""),
                cases("Decimal(9, 2)", "3.14", "\"-0.5\""),
                cases("Bool", "true", "false", "1"),
                cases("Enum8('a' = 1, 'b' = 2)", "a", "2"),
                cases("UUID", "61f0c404-5cb3-11e7-907b-a6006ad3dba0"),
                cases("IPv4", "10.0.0.1"),
                cases("Variant(String, UInt64)", "1", "abc", "-1", "\"1\"", "1.5", "true", "\\N", "\"\"", ""),
                cases("Variant(Int64, Float64)", "1.5", "1", "1e3", "x"),
                cases("Variant(Date, String)", "2024-01-01", "2024-01-01 12:00:00", "x"),
                cases("Time", "12:34:56", "\"00:00:00\"", "45296", "-01:00:00", "x"),
                cases("Time64(3)", "12:34:56.789", "\"12:34:56\"", "12:34:56.7", "x"),
                cases("IntervalSecond", "3", "\"-7\"", "1.5", "x"),
                cases("Nullable(IntervalDay)", "\\N", "7"),
                cases("Dynamic", "1", "-1", "1.5", "abc", "2024-01-01", "2024-01-01 12:00:00", "true", "\\N", "",
                        "\"\"", "\"quoted, comma\"", "\"[1,2]\"", "18446744073709551615", "1e3", "01", "+1", "-0",
                        "1.", ".5", "0x10", "nan", "inf", "\" 1\"", "TRUE", "True", "-1.25", "\"1,5\"",
                        "123456789012345678901234567890", "2024-01-01T10:00:00", "-9223372036854775809", "\"7\"",
                        "-inf", "+nan", "-nan", "+.5", "\"true\"", "\"1.5\"", "1 ", "FALSE",
                        "\"[1,18446744073709551615]\"", "\"[99999999999999999999]\"", "\"[1.5,NULL]\"",
                        "\"[NULL,'a']\"", "\"[[1],[NULL]]\"", "\"[[1],[2.5]]\"", "\"['2024-01-01','x']\"",
                        "\"['2024-01-01','2024-01-01 10:00:00']\"", "\"['it\\'s']\"", "\"[abc]\"", "\"[1.]\"",
                        "\"[.5]\"", "\"[-0]\"", "\"[1.5e3]\"", "\"[(1,'a'),(2,3)]\"", "\"{'a':NULL}\"",
                        "\"{'a':1,'a':2}\"", "\"{'a':1, 'b':NULL}\"", "\"[(1,NULL)]\"", "\"[{'a':1},{'b':2.5}]\"",
                        "\"[true,NULL]\"", "\"['1']\"", "\"['true']\"", "\"[[1,2],[]]\"", "\"{'a':[]}\"", "\"[{}]\"",
                        "\"{'k':(1,2)}\"", "\"[1 2]\"", "\"[1,'a'\"", "\"[1]x\"", "\"[1] \"", "\"[0x10]\"",
                        "\"['12:00:00']\"", "\"[1,2.5,NULL]\"", "\"[[NULL]]\"", "\"[['a'],[NULL]]\"", "\"[1,-2]\"",
                        "\"[9223372036854775808]\"", "\"[-9223372036854775809]\"", "\"{1:'a',2:'b'}\"", "\"{true:1}\"",
                        "\"{NULL:1}\"", "\"[(1)]\"", "\"[()]\"", "\"[(1,2),(3,4)]\"", "\"['']\"", "\"['a''b']\"",
                        "\"[1,'a']\"", "\"[1,2.5]\"", "\"['a','b']\"", "\"[NULL,1]\"", "\"[]\"", "\"[[1],[2,3]]\"",
                        "\"(1,'a')\"", "\"{'a':1,'b':2}\"", "\"{'a':1,'b':'x'}\"", "\"['2024-01-01']\"",
                        "\"['2024-01-01 10:00:00']\"", "\"[true,false]\"", "\"[1,true]\"", "\"[ 1 ,2 ]\"",
                        "\"(1,(2,'x'))\"", "\"[(1,'a'),(2,'b')]\"", "\"{1:2}\"", "\"[inf]\"", "\"[NULL]\"", "\"{}\"",
                        "\"()\"", "\"[[]]\"", "\"{'a':[1,2]}\"", "\"[{'a':1}]\"", "\"['2024-13-01']\"", "2024-13-01"));
    }

    @ParameterizedTest(name = "CSV {0}")
    @MethodSource("csvCorpus")
    void csvValuesReadBackAsClickHouseReadsThem(String type, List<String> values) throws Exception {
        List<String> records = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            records.add(i + "," + values.get(i));
        }
        compare(type, values, records, Decoders.csv(), "CSV");
    }

    static Stream<Arguments> tsvCorpus() {
        return Stream.of(
                // Variant elements in literals (these were TsvVariantArrayTest's, which found the last eight of the first
                // row and the tuple row read otherwise before 2026-12-07): a quoted number or empty string is the
                // engine's String, a bare word or a fraction it refuses; a backslash in a quoted element is the
                // literal's escape (TSV's own escape is not undone first); a Tuple literal is read.
                cases("Array(Variant(Int64, String))", "[1,'a',NULL]", "[]", "[NULL]", "[NULL,NULL]",
                        "[-9223372036854775808,9223372036854775807]", "[ 1 , 'b' ]", "['NULL']", "['x y','z']",
                        "[1,'a'", "1", "['1',2]", "['']", "[1.5]", "[abc]", "['it\\'s',-0]", "['it\\\\'s',-0]"),
                cases("Array(Array(Variant(Int64, String)))", "[[1,'a'],[],[NULL]]", "[]", "[[]]", "[['x',7],[NULL,'y']]"),
                cases("Array(Variant(Array(Int64), String))", "[[1,2],'x',NULL]", "[[],'']", "[NULL]"),
                cases("Map(String, Array(Variant(Int64, String)))", "{'k':[1,'a',NULL]}", "{}", "{'k':[],'l':['z',-3]}"),
                cases("Tuple(a Array(Variant(Int64, String)), b Nullable(String))", "([1,'a',NULL],NULL)", "([],'x')"),
                cases("String", "plain", "tab\\there", "new\\nline", "back\\\\slash", "\\N", ""),
                cases("Nullable(Int64)", "\\N", "-5", "x"),
                cases("Array(String)", "['a','b']", "[]", "['it\\'s']", "['it\\\\'s']", "['a\\\\b']", "['a\\tb']",
                        "[abc]"),
                cases("Array(Int32)", "['1']", "[1.5]", "[1, 2]", "[1,]", "[,1]", "[1,,2]"),
                cases("Tuple(Int32, String)", "(1,'x')", "(1, 'x' )", "(1)", "(1,'x','y')", "()"),
                cases("Tuple(a Int32)", "(1)", "(1,)", "(NULL)"),
                cases("Array(Tuple(Int32, Nullable(String)))", "[(1,NULL),(2,'y')]"),
                cases("DateTime64(3, 'UTC')", "2024-05-01 12:30:45.123", "2024-05-01 12:30:45"),
                cases("Map(String, Array(Int8))", "{'k':[1,2]}"),
                cases("Time", "12:34:56", "45296", "x"),
                cases("Time64(6)", "12:34:56.123456", "12:34:56", "x"),
                cases("IntervalMinute", "5", "-5", "x"),
                cases("Variant(String, UInt64)", "1", "abc", "-1", "1.5", "\\N", ""),
                cases("Variant(Int64, Float64)", "1.5", "1", "x"),
                cases("Variant(Date, String)", "2024-01-01", "2024-01-01 12:00:00", "x"),
                cases("Dynamic", "1", "-1", "1.5", "abc", "2024-01-01", "2024-01-01 12:00:00", "true", "\\N", "",
                        "[1,2]", "['a','b']", "tab\\there", "(1,'x')", "01", "+1", "1.", ".5", "nan", "True", "-1.25",
                        " 1", "1e3", "{'a':1}", "TRUE", "FALSE", "inf", "-inf", "-0", "0", "00",
                        "123456789012345678901234567890", "-9223372036854775809", "18446744073709551615", "+1.5", "-.5",
                        "(1,'a')", "(1)", "(NULL,1)", "((1,2),3)", "[1,2]x", "['it\\'s']", "(1,'a'", "()", "(1, 2.5)",
                        "[(1,'a')]", "('2024-01-01', 1)", "(true, 1)", "{'a':(1,'x')}", "[1,'a']", "[NULL,1]",
                        "{'a':1,'b':'x'}", "[[1],[2,3]]", "['2024-01-01']", "[1,2.5]"));
    }

    @ParameterizedTest(name = "TSV {0}")
    @MethodSource("tsvCorpus")
    void tsvValuesReadBackAsClickHouseReadsThem(String type, List<String> values) throws Exception {
        List<String> records = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            records.add(i + "\t" + values.get(i));
        }
        compare(type, values, records, Decoders.tsv(), "TabSeparated");
    }

    private void compare(String type, List<String> values, List<String> records, Decoder decoder, String format)
            throws Exception {
        assertThat(oracle.differences(type, values, records, decoder, format, STRICTER, DIFFERENT))
                .as("differences from ClickHouse's own " + format + " reading").isEmpty();
    }
}
