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
            241, // MEMORY_LIMIT_EXCEEDED
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
     * The kind of a failure with this code. Unknown codes count as {@link Kind#DATA}: splitting
     * the batch puts every row somewhere (the table or the error table) and never loops forever.
     */
    static Kind classify(int code) {
        if (RETRYABLE.contains(code)) {
            return Kind.RETRYABLE;
        }
        if (SCHEMA.contains(code)) {
            return Kind.SCHEMA;
        }
        if (FATAL.contains(code)) {
            return Kind.FATAL;
        }
        return Kind.DATA;
    }
}
