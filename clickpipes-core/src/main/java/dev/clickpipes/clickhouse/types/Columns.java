package dev.clickpipes.clickhouse.types;

import java.time.ZoneId;

/** Makes the column buffer for a ClickHouse type. One line a type: adding a type is a class and a case here. */
public final class Columns {

    private Columns() {
    }

    /**
     * An empty column of this name and type.
     *
     * @param serverZone the server's time zone, for DateTime columns declared without one
     * @throws IllegalArgumentException naming the type when it is not supported
     */
    public static Column create(String name, DataType type, ZoneId serverZone) {
        return switch (type.name()) {
            case "Int8" -> new IntegerColumn(name, type, 1, true);
            case "Int16" -> new IntegerColumn(name, type, 2, true);
            case "Int32" -> new IntegerColumn(name, type, 4, true);
            case "Int64" -> new IntegerColumn(name, type, 8, true);
            case "UInt8" -> new IntegerColumn(name, type, 1, false);
            case "UInt16" -> new IntegerColumn(name, type, 2, false);
            case "UInt32" -> new IntegerColumn(name, type, 4, false);
            case "UInt64" -> new IntegerColumn(name, type, 8, false);
            case "Float32" -> new FloatColumn(name, type, true);
            case "Float64" -> new FloatColumn(name, type, false);
            case "Bool" -> new BoolColumn(name, type);
            case "String" -> new StringColumn(name, type);
            case "FixedString" -> new FixedStringColumn(name, type);
            case "Date" -> new DateColumn(name, type);
            case "DateTime" -> new DateTimeColumn(name, type, serverZone);
            case "DateTime64" -> new DateTime64Column(name, type, serverZone);
            case "UUID" -> new UuidColumn(name, type);
            case "Nullable" -> new NullableColumn(name, type, create(name, type.argument(0), serverZone));
            case "Array" -> new ArrayColumn(name, type, create(name, type.argument(0), serverZone));
            // Sent as the inner type: the server builds the dictionary itself.
            case "LowCardinality" -> create(name, type.argument(0), serverZone);
            default -> throw new IllegalArgumentException("column `" + name + "` has type " + type.text()
                    + ", which clickpipes-java does not write yet");
        };
    }
}
