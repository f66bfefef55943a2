package dev.clickpipes.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clickpipes.core.spi.SinkException.Kind;
import java.io.BufferedReader;
import java.io.StringReader;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The table of ClickHouse error codes ({@code error-codes.tsv}) and {@link ErrorCodes#classify}. */
class ErrorCodesTest {

    @ParameterizedTest(name = "{0} {1} is {2}")
    @CsvSource({
            // Keeper/ZooKeeper outages and replicas: transient, never filed.
            "225, NO_ZOOKEEPER, RETRYABLE",
            "999, KEEPER_EXCEPTION, RETRYABLE",
            "242, TABLE_IS_READ_ONLY, RETRYABLE",
            // Cancelled and aborted queries, bodies cut short.
            "394, QUERY_WAS_CANCELLED, RETRYABLE",
            "236, ABORTED, RETRYABLE",
            "3, UNEXPECTED_END_OF_FILE, RETRYABLE",
            "32, ATTEMPT_TO_READ_AFTER_EOF, RETRYABLE",
            "33, CANNOT_READ_ALL_DATA, RETRYABLE",
            // Network, timeouts, overload.
            "209, SOCKET_TIMEOUT, RETRYABLE",
            "210, NETWORK_ERROR, RETRYABLE",
            "159, TIMEOUT_EXCEEDED, RETRYABLE",
            "202, TOO_MANY_SIMULTANEOUS_QUERIES, RETRYABLE",
            "1000, POCO_EXCEPTION, RETRYABLE",
            // Memory: a smaller batch passes.
            "241, MEMORY_LIMIT_EXCEEDED, TOO_BIG",
            // The table changed.
            "16, NO_SUCH_COLUMN_IN_TABLE, SCHEMA",
            "53, TYPE_MISMATCH, SCHEMA",
            // Auth, unknown table, read-only user, access.
            "60, UNKNOWN_TABLE, FATAL",
            "81, UNKNOWN_DATABASE, FATAL",
            "164, READONLY, FATAL",
            "193, WRONG_PASSWORD, FATAL",
            "497, ACCESS_DENIED, FATAL",
            "516, AUTHENTICATION_FAILED, FATAL",
            // A value of one row refused on its own.
            "6, CANNOT_PARSE_TEXT, DATA",
            "27, CANNOT_PARSE_INPUT_ASSERTION_FAILED, DATA",
            "70, CANNOT_CONVERT_TYPE, DATA",
            "321, VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE, DATA",
            "469, VIOLATED_CONSTRAINT, DATA",
    })
    void namedCodesHaveTheirKind(int code, String name, Kind kind) {
        assertThat(ErrorCodes.name(code)).isEqualTo(name);
        assertThat(ErrorCodes.classify(code, "Code: " + code + ". DB::Exception: ...")).isEqualTo(kind);
    }

    @Test
    void aCodeNotInTheTableIsUnknown() {
        assertThat(ErrorCodes.table()).doesNotContainKey(4242);
        assertThat(ErrorCodes.classify(4242, "Code: 4242. DB::Exception: something new")).isEqualTo(Kind.UNKNOWN);
        assertThat(ErrorCodes.name(4242)).isNull();
    }

    @Test
    void code252IsTooBigForTooManyPartitionsAndRetryableForTooManyParts() {
        assertThat(ErrorCodes.classify(252, "Code: 252. DB::Exception: Too many partitions for single INSERT block"
                + " (more than 100). The limit is controlled by 'max_partitions_per_insert_block' setting."))
                .isEqualTo(Kind.TOO_BIG);
        assertThat(ErrorCodes.classify(252, "Code: 252. DB::Exception: Too many parts (300). Merges are processing"
                + " significantly slower than inserts."))
                .isEqualTo(Kind.RETRYABLE);
        assertThat(ErrorCodes.classify(252, null)).isEqualTo(Kind.RETRYABLE);
    }

    @Test
    void theTableHoldsEveryCodeOnceWithOneKnownKind() {
        Map<Integer, ErrorCodes.Entry> table = ErrorCodes.table();
        // ClickHouse master's codes up to 1009 plus those it dropped: a truncated file would show here.
        assertThat(table).hasSizeGreaterThan(700).containsKeys(0, 1, 552, 779, 999, 1009);
        table.forEach((code, e) -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.name()).matches("[A-Z0-9_]+");
            assertThat(e.kind()).isNotNull().isNotEqualTo(Kind.UNKNOWN);
        });
        assertThat(table.values()).extracting(ErrorCodes.Entry::name).doesNotHaveDuplicates();
    }

    @Test
    void theParserRefusesATableWithACodeTwiceOutOfOrderOrUnknown() throws Exception {
        assertThatThrownBy(() -> parse("1\tA\tFATAL\n1\tB\tDATA\n"))
                .hasMessageContaining("line 2").hasMessageContaining("code 1 appears twice");
        assertThatThrownBy(() -> parse("5\tA\tFATAL\n# comment\n3\tB\tDATA\n"))
                .hasMessageContaining("line 3").hasMessageContaining("out of order");
        assertThatThrownBy(() -> parse("7\tA\tUNKNOWN\n")).hasMessageContaining("is UNKNOWN");
        assertThatThrownBy(() -> parse("7\tA\n")).hasMessageContaining("expected code, name, kind");
        assertThat(parse("\n# c\n2\tB\tDATA\twhy\n3\tC\tFATAL\n"))
                .containsEntry(2, new ErrorCodes.Entry(2, "B", Kind.DATA, "why"))
                .containsEntry(3, new ErrorCodes.Entry(3, "C", Kind.FATAL, ""));
    }

    @Test
    void aServerMessageWithoutACodeIsRetryableNeverData() {
        ClickHouseException e = ClickHouseException.fromServerMessage("ClickHouse at x", "<html>502 Bad Gateway</html>");
        assertThat(e.code()).isZero();
        assertThat(e.kind()).isEqualTo(Kind.RETRYABLE);
        assertThat(ClickHouseException.fromServerMessage("ClickHouse at x", null).kind()).isEqualTo(Kind.RETRYABLE);
        assertThat(ClickHouseException.fromServerMessage("ClickHouse at x",
                "Code: 6, e.displayText() = DB::Exception: Cannot parse input").kind()).isEqualTo(Kind.DATA);
    }

    private static Map<Integer, ErrorCodes.Entry> parse(String text) throws Exception {
        return ErrorCodes.parse(new BufferedReader(new StringReader(text)));
    }
}
