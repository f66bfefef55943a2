package dev.clickpipes.clickhouse.types;

import java.util.Locale;

/** Bool: true/false, a number (0 is false), or the words ClickHouse accepts. */
final class BoolColumn extends Column {

    BoolColumn(String name, DataType type) {
        super(name, type);
    }

    @Override
    public void appendDefault() {
        data.writeByte(0);
    }

    @Override
    public void appendBoolean(boolean v) {
        data.writeByte(v ? 1 : 0);
    }

    @Override
    public void appendLong(long v) {
        appendBoolean(v != 0);
    }

    @Override
    public void appendDouble(double v) {
        appendBoolean(v != 0);
    }

    @Override
    public boolean acceptsJsonStrings() {
        return false;
    }

    @Override
    public void appendString(String v) throws ValueConversionException {
        switch (v.strip().toLowerCase(Locale.ROOT)) {
            case "true", "t", "yes", "y", "on", "enable", "enabled", "1" -> appendBoolean(true);
            case "false", "f", "no", "n", "off", "disable", "disabled", "0" -> appendBoolean(false);
            default -> throw cannotTake(v, "text");
        }
    }
}
