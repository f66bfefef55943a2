package dev.clickpipes.format.text;

/**
 * One field of a CSV or TSV row.
 *
 * @param text   the field's text, quotes and escapes undone
 * @param isNull true for ClickHouse's NULL marker {@code \N}
 * @param empty  true for an empty unquoted field, which takes the column's default (as ClickHouse's input_format_csv_empty_as_default)
 * @param quoted true for a CSV field in double quotes (a Dynamic column keeps a quoted number a String)
 * @param literal the text an array, map or tuple column reads its literal from: a CSV field's text, a TSV field as it
 *               stands in the line, since the literal's quoted strings undo their own backslash escapes (the engine's
 *               {@code ['it\'s']} is {@code it's}, {@code ['a\\b']} is {@code a\b})
 */
record TextField(String text, boolean isNull, boolean empty, boolean quoted, String literal) {

    /** A field whose literal is its text. */
    TextField(String text, boolean isNull, boolean empty, boolean quoted) {
        this(text, isNull, empty, quoted, text);
    }
}
