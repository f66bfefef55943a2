package dev.clickpipes.clickhouse.http;

import static dev.clickpipes.clickhouse.http.ClickHouseServerProcess.PASSWORD;
import static dev.clickpipes.clickhouse.http.ClickHouseServerProcess.USER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.clickpipes.clickhouse.sink.TypeOracle;
import dev.clickpipes.format.Decoders;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The types Debian's ClickHouse 18.16 server knows, through the pipe over HTTP, with that server's
 * own JSONEachRow reader as the oracle. 18.16 has no Bool, DateTime64, Map, IPv4/IPv6 or Date32,
 * and does not convert types in Native inserts, so our block carries the exact table types.
 */
class HttpTypesTest {

    private static final int HTTP_PORT = 18123;
    private static final int TCP_PORT = 18132;
    private static final Map<String, String> STRICTER = new LinkedHashMap<>();
    private static final Map<String, String> DIFFERENT = new LinkedHashMap<>();

    static {
        String wraps = "overflow: ClickHouse wraps around; we never wrap";
        STRICTER.put("Int8 128", wraps);
        STRICTER.put("UInt8 256", wraps);
        STRICTER.put("UInt8 -1", wraps);
        STRICTER.put("UInt64 -1", wraps);
        STRICTER.put("Int64 9223372036854775808", wraps);
        STRICTER.put("Date \"2024-02-30\"", "not a calendar date: ClickHouse rolls it over");
    }

    private static ClickHouseServerProcess server;
    private static HttpTransport transport;
    private static TypeOracle oracle;

    @BeforeAll
    static void startServer() throws Exception {
        server = new ClickHouseServerProcess(HTTP_PORT, TCP_PORT);
        server.start();
        transport = HttpTransport.builder().endpoint(server.httpUrl()).credentials(USER, PASSWORD).build();
        transport.query("CREATE DATABASE IF NOT EXISTS types");
        oracle = new TypeOracle(transport, "types", "");
    }

    @AfterAll
    static void stopServer() {
        if (transport != null) {
            transport.close();
        }
        if (server != null) {
            server.close();
        }
    }

    static Stream<Arguments> corpus() {
        return Stream.of(
                cases("Int8", "0", "-128", "127", "128", "\"abc\""),
                cases("UInt8", "255", "256", "-1"),
                cases("Int16", "-32768", "32767"),
                cases("Int32", "-2147483648", "2147483647"),
                cases("UInt32", "4294967295"),
                cases("Int64", "-9223372036854775808", "9223372036854775807", "9223372036854775808"),
                cases("UInt64", "18446744073709551615", "-1"),
                cases("Float32", "1.5", "-0.0", "1e10"),
                cases("Float64", "-2.5", "1e-300", "123"),
                cases("String", "\"\"", "\"unicode ✓ 😀\"", "\"tab\\there\"", "\"" + "x".repeat(10_000) + "\""),
                cases("FixedString(3)", "\"abc\"", "\"ab\"", "\"abcd\""),
                cases("Date", "\"2024-02-29\"", "\"1970-01-01\"", "\"2024-02-30\"", "\"soon\""),
                cases("DateTime('UTC')", "\"2024-05-01 12:30:45\"", "\"1970-01-01 00:00:00\"", "\"nope\""),
                cases("UUID", "\"61f0c404-5cb3-11e7-907b-a6006ad3dba0\"", "\"bad\""),
                cases("Enum8('a' = 1, 'b' = 2)", "\"a\"", "\"b\"", "\"c\""),
                cases("Enum16('x' = -1000, 'y' = 1000)", "\"y\""),
                cases("Nullable(Int32)", "null", "5"),
                cases("Nullable(String)", "null", "\"s\""),
                cases("Array(Int32)", "[1, 2, 3]", "[]"),
                cases("Array(Array(String))", "[[\"a\"], []]"),
                cases("Array(Nullable(String))", "[\"a\", null]"),
                cases("Tuple(Int32, String)", "[1, \"x\"]"));
    }

    private static Arguments cases(String type, String... values) {
        return Arguments.of(type, List.of(values));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void valuesReadBackAsTheServerReadsThem(String type, List<String> values) throws Exception {
        List<String> records = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            records.add("{\"id\": " + i + ", \"v\": " + values.get(i) + "}");
        }
        assertThat(oracle.differences(type, values, records, Decoders.json(), "JSONEachRow", STRICTER, DIFFERENT))
                .as("differences from the 18.16 server's own JSONEachRow reading").isEmpty();
    }
}
