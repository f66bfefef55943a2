package dev.clickpipes.format.avro;

import dev.clickpipes.clickhouse.types.Column;
import dev.clickpipes.clickhouse.types.ValueConversionException;
import java.util.List;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * How ClickHouse's Avro input puts a union of several types into a Variant column: each non-null
 * branch goes to the variant of exactly the type the engine gives that branch (int Int32, long Int64,
 * float Float32, double Float64, boolean Bool, string and bytes String, date Date32,
 * timestamp-millis/-micros DateTime64(3)/(6), uuid UUID, decimal Decimal(P, S), fixed FixedString(N)),
 * and a union with a branch the Variant lacks, or with two branches of one type (string and bytes), is
 * refused as a whole, as the engine refuses it ("Destination Variant(...) and Avro Union containing T are
 * not compatible").
 */
final class UnionTypes {

    private UnionTypes() {
    }

    /** The variant of {@code column} that branch {@code branch} of {@code union} writes into; checks every branch. */
    static int variantOf(Schema union, int branch, Column column) throws ValueConversionException {
        List<Schema> types = union.getTypes();
        int chosen = -1;
        java.util.Set<Integer> taken = new java.util.HashSet<>();
        for (int i = 0; i < types.size(); i++) {
            Schema t = types.get(i);
            if (t.getType() == Schema.Type.NULL) {
                continue;
            }
            String name = clickHouseType(t);
            int k = name == null ? -1 : column.variantIndex(name);
            if (k < 0) {
                throw new ValueConversionException("column `" + column.name() + "` of type " + column.type().text()
                        + " has no variant " + (name == null ? "for the Avro type " + t : name) + " for the branch "
                        + t.getType().getName() + " of the union " + union + "; ClickHouse refuses such a union as a "
                        + "whole, and so do we (add the variant, or map the field to a String column)");
            }
            if (!taken.add(k)) {
                throw new ValueConversionException("column `" + column.name() + "` of type " + column.type().text()
                        + ": two branches of the union " + union + " are both " + name + "; ClickHouse refuses such a "
                        + "union as a whole, and so do we");
            }
            if (i == branch) {
                chosen = k;
            }
        }
        return chosen;
    }

    /** The ClickHouse type the engine's Avro input gives a union branch, as it names it; null for none we map. */
    static String clickHouseType(Schema s) {
        LogicalType logical = s.getLogicalType();
        if (logical instanceof LogicalTypes.Decimal d) {
            return "Decimal(" + d.getPrecision() + ", " + d.getScale() + ")";
        }
        String logicalName = logical == null ? "" : logical.getName();
        return switch (s.getType()) {
            case INT -> logicalName.equals("date") ? "Date32" : "Int32";
            case LONG -> switch (logicalName) {
                case "timestamp-millis" -> "DateTime64(3)";
                case "timestamp-micros" -> "DateTime64(6)";
                case "" -> "Int64";
                default -> null;
            };
            case FLOAT -> "Float32";
            case DOUBLE -> "Float64";
            case BOOLEAN -> "Bool";
            case STRING -> logicalName.equals("uuid") ? "UUID" : "String";
            case BYTES -> "String";
            case FIXED -> "FixedString(" + s.getFixedSize() + ")";
            default -> null;
        };
    }
}
