package dev.clickpipes.format.text;

import java.util.List;

/**
 * The settings CSV and TSV decoders share: delimiter, header row, explicit column names.
 *
 * @param <B> the concrete builder, returned by each setter
 */
public abstract class TextFormatBuilder<B extends TextFormatBuilder<B>> {

    char delimiter;
    boolean withNames;
    List<String> columnNames;

    TextFormatBuilder(char delimiter) {
        this.delimiter = delimiter;
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** The field delimiter; default ',' for CSV, tab for TSV. */
    public B delimiter(char value) {
        delimiter = value;
        return self();
    }

    /** The first row of each file (partition) names the columns ({@code WithNames}); default false: fields go by position. */
    public B withNames(boolean value) {
        withNames = value;
        return self();
    }

    /** The columns the fields go to, in order (instead of a header row or the table's column order). */
    public B columnNames(List<String> names) {
        columnNames = List.copyOf(names);
        return self();
    }

    /** Fails, naming the setting, when the delimiter is one of {@code forbidden} or the settings contradict each other. */
    void check(String format, String forbidden) {
        if (forbidden.indexOf(delimiter) >= 0) {
            throw new IllegalArgumentException(format + " delimiter cannot be '" + delimiter + "'");
        }
        if (withNames && columnNames != null) {
            throw new IllegalArgumentException(format + ": set withNames(true) or columnNames(...), not both");
        }
    }
}
