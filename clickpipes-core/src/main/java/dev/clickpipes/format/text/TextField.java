package dev.clickpipes.format.text;

/**
 * One field of a CSV or TSV row.
 *
 * @param text   the field's text, quotes and escapes undone
 * @param isNull true for ClickHouse's NULL marker {@code \N}
 * @param empty  true for an empty unquoted field, which takes the column's default (as ClickHouse's input_format_csv_empty_as_default)
 * @param quoted true for a CSV field in double quotes (a Dynamic column keeps a quoted number a String)
 */
record TextField(String text, boolean isNull, boolean empty, boolean quoted) {
}
