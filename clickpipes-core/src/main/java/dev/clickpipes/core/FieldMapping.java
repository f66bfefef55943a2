package dev.clickpipes.core;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How record fields find their columns: by the column's name, unless mapped explicitly. Fields
 * with no column are ignored. Immutable.
 */
public final class FieldMapping {

    private static final FieldMapping BY_NAME = new FieldMapping(Map.of(), false);

    private final Map<String, String> fieldToColumn;
    private final boolean caseInsensitive;

    private FieldMapping(Map<String, String> fieldToColumn, boolean caseInsensitive) {
        this.fieldToColumn = Map.copyOf(fieldToColumn);
        this.caseInsensitive = caseInsensitive;
    }

    /** Each field goes to the column of the same name (exact case). */
    public static FieldMapping byName() {
        return BY_NAME;
    }

    /** A builder for explicit mappings. */
    public static Builder builder() {
        return new Builder();
    }

    /** Explicit field-to-column pairs. */
    public Map<String, String> explicit() {
        return fieldToColumn;
    }

    /** Whether a field matches a column whose name differs only in case. */
    public boolean caseInsensitive() {
        return caseInsensitive;
    }

    /** The lookup key of a name under this mapping's case rule. */
    String key(String name) {
        return caseInsensitive ? name.toLowerCase(Locale.ROOT) : name;
    }

    /** Builds a {@link FieldMapping}. */
    public static final class Builder {
        private final Map<String, String> fieldToColumn = new LinkedHashMap<>();
        private boolean caseInsensitive;

        private Builder() {
        }

        /** Writes record field {@code field} into column {@code column}. */
        public Builder map(String field, String column) {
            fieldToColumn.put(field, column);
            return this;
        }

        /** Matches fields to columns ignoring case. Default: exact case. */
        public Builder caseInsensitive(boolean value) {
            this.caseInsensitive = value;
            return this;
        }

        /** The immutable mapping. */
        public FieldMapping build() {
            return new FieldMapping(fieldToColumn, caseInsensitive);
        }
    }
}
