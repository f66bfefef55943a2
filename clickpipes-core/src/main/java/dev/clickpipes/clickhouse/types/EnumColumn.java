package dev.clickpipes.clickhouse.types;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Enum8 and Enum16: from an element's name or its number; anything else is an error naming the elements. */
final class EnumColumn extends Column {

    private final boolean wide;
    private final Map<String, Integer> byName = new HashMap<>();
    private final Set<Integer> values = new HashSet<>();
    private final int zeroValue;

    EnumColumn(String name, DataType type) {
        super(name, type);
        this.wide = type.name().equals("Enum16");
        int first = Integer.MAX_VALUE;
        for (String entry : type.parameters()) {
            int eq = entry.lastIndexOf(" = ");
            int value = Integer.parseInt(entry.substring(eq + 3));
            byName.put(entry.substring(0, eq), value);
            values.add(value);
            first = Math.min(first, value);
        }
        // ClickHouse's default for an Enum is its smallest value (0 is not always an element).
        zeroValue = values.contains(0) ? 0 : first;
    }

    @Override
    public void appendDefault() {
        write(zeroValue);
    }

    @Override
    public void appendString(String v) throws ValueConversionException {
        Integer value = byName.get(v);
        if (value == null) {
            try {
                appendLong(Long.parseLong(v.strip()));
                return;
            } catch (NumberFormatException e) {
                throw invalid(v, "is not an element of " + type().text());
            }
        }
        write(value);
    }

    @Override
    public void appendLong(long v) throws ValueConversionException {
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE || !values.contains((int) v)) {
            throw invalid(Long.toString(v), "is not a value of " + type().text());
        }
        write((int) v);
    }

    private void write(int v) {
        if (wide) {
            data.writeShort(v);
        } else {
            data.writeByte(v);
        }
    }
}
