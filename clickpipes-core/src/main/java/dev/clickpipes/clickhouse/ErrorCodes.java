package dev.clickpipes.clickhouse;

import dev.clickpipes.core.spi.SinkException.Kind;
import java.util.Set;

/** ClickHouse's error codes (src/Common/ErrorCodes.cpp), sorted by what the pipe does about them. */
final class ErrorCodes {

    private static final Set<Integer> RETRYABLE = Set.of(
            159, // TIMEOUT_EXCEEDED
            202, // TOO_MANY_SIMULTANEOUS_QUERIES
            203, // NO_FREE_CONNECTION
            209, // SOCKET_TIMEOUT
            210, // NETWORK_ERROR
            242, // TABLE_IS_READ_ONLY
            252, // TOO_MANY_PARTS
            285, // TOO_FEW_LIVE_REPLICAS
            319, // UNKNOWN_STATUS_OF_INSERT
            425, // SYSTEM_ERROR
            439, // CANNOT_SCHEDULE_TASK
            999, // KEEPER_EXCEPTION
            1000 // POCO_EXCEPTION
    );

    private static final Set<Integer> SCHEMA = Set.of(
            10, // NOT_FOUND_COLUMN_IN_BLOCK
            16, // NO_SUCH_COLUMN_IN_TABLE
            47, // UNKNOWN_IDENTIFIER
            517 // CANNOT_ASSIGN_ALTER
    );

    /** Codes a row of the block causes: the batch is split to find the row, which is filed. */
    private static final Set<Integer> DATA = Set.of(
            6, // CANNOT_PARSE_TEXT
            27, // CANNOT_PARSE_INPUT_ASSERTION_FAILED
            38, // CANNOT_PARSE_DATE
            41, // CANNOT_PARSE_DATETIME
            53, // TYPE_MISMATCH
            69, // ARGUMENT_OUT_OF_BOUND
            70, // CANNOT_CONVERT_TYPE
            72, // CANNOT_PARSE_NUMBER
            117, // INCORRECT_DATA
            131, // TOO_LARGE_STRING_SIZE
            190, // SIZES_OF_ARRAYS_DONT_MATCH
            321, // VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE
            395, // FUNCTION_THROW_IF_VALUE_IS_NON_ZERO
            469 // VIOLATED_CONSTRAINT
    );

    private static final Set<Integer> FATAL = Set.of(
            60, // UNKNOWN_TABLE
            81, // UNKNOWN_DATABASE
            164, // READONLY
            192, // UNKNOWN_USER
            193, // WRONG_PASSWORD
            194, // REQUIRED_PASSWORD
            195, // IP_ADDRESS_NOT_ALLOWED
            291, // DATABASE_ACCESS_DENIED
            497, // ACCESS_DENIED
            516 // AUTHENTICATION_FAILED
    );

    private ErrorCodes() {
    }

    /**
     * The kind of a failure with this code and message. Unknown codes are {@link Kind#UNKNOWN}:
     * retried a few times, then split like a data error, so every row ends somewhere and nothing
     * loops forever.
     */
    static Kind classify(int code, String message) {
        if (code == 241 || code == 252 && message != null && message.contains("partitions")) {
            // MEMORY_LIMIT_EXCEEDED, or TOO_MANY_PARTS' twin "Too many partitions for single INSERT
            // block": the same batch would fail again; smaller ones pass.
            return Kind.TOO_BIG;
        }
        if (RETRYABLE.contains(code)) {
            return Kind.RETRYABLE;
        }
        if (SCHEMA.contains(code)) {
            return Kind.SCHEMA;
        }
        if (FATAL.contains(code)) {
            return Kind.FATAL;
        }
        if (DATA.contains(code)) {
            return Kind.DATA;
        }
        return Kind.UNKNOWN;
    }
}
