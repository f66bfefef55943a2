package dev.clickpipes.testkit;

import java.util.List;

/**
 * One row of a pipe's error table ({@code <table>_clickpipes_error}): a record the pipe rejected,
 * as {@link TestDatabase#errorRows(String)} reads it back.
 *
 * @param pipe the pipe's name
 * @param source the source's description
 * @param position the record's position in its source, such as {@code memory:3}
 * @param errorKind why, such as {@code DECODE} or {@code CONVERT}
 * @param message the reason in words
 * @param raw the record's bytes as text
 */
public record ErrorRow(String pipe, String source, String position, String errorKind, String message, String raw) {

    /** The columns read, in the order of the record's components. */
    static final String COLUMNS = "pipe, source, position, error_kind, message, raw";

    static ErrorRow of(List<String> fields) {
        return new ErrorRow(fields.get(0), fields.get(1), fields.get(2), fields.get(3), fields.get(4), fields.get(5));
    }
}
