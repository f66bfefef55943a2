package dev.clickpipes.core;

/** Why a record went to the error table; the {@code error_kind} column holds the name. */
public enum ErrorKind {
    /** The record is not valid in its format (malformed JSON, a CSV line with a bad quote). */
    DATA_PARSING_ERROR,
    /** A value cannot be converted to its column's type (text in an Int32, a number out of range). */
    TYPE_CONVERSION_ERROR,
    /** The record's schema could not be resolved (an unknown schema id). */
    SOURCE_SCHEMA_ERROR,
    /** ClickHouse refused the row on insert, after the batch was split to isolate it. */
    INSERT_ERROR,
    /** An object is larger than the configured cap. */
    FILE_TOO_LARGE,
    /**
     * A record (a line of a text source) is longer than the source's {@code maxRecordBytes}: its
     * first bytes are kept as the raw message, with its length and position in the message.
     */
    RECORD_TOO_LARGE,
    /**
     * A routing sink found no table for the record: its route names no target, or the route could
     * not be read from it (the field is missing, the record is not JSON).
     */
    NO_ROUTE
}
