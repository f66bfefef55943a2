package dev.clickpipes.format.parquet;

import dev.clickpipes.clickhouse.types.TypeText;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * The ClickHouse type the engine's Parquet schema inference gives a field ({@code DESCRIBE file(..., Parquet)}),
 * without the Nullable of an optional top-level field. A Dynamic column keeps it as each value's type, as the
 * engine's own read of the file does, instead of inferring one from the value as JSON text would.
 */
final class InferredType {

    private InferredType() {
    }

    /** A primitive field's type: integers keep their width and sign, dates are Date32, timestamps and times DateTime64. */
    static String of(PrimitiveType type) {
        LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
        if (logical instanceof DecimalLogicalTypeAnnotation d) {
            return "Decimal(" + d.getPrecision() + ", " + d.getScale() + ")";
        }
        return switch (type.getPrimitiveTypeName()) {
            case BOOLEAN -> "Bool";
            case FLOAT -> "Float32";
            case DOUBLE -> "Float64";
            case INT32 -> logical instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation ? "Date32"
                    : logical instanceof TimeLogicalTypeAnnotation t ? dateTime64(t.getUnit())
                    : logical instanceof IntLogicalTypeAnnotation i ? (i.isSigned() ? "Int" : "UInt") + i.getBitWidth()
                    : "Int32";
            case INT64 -> logical instanceof TimestampLogicalTypeAnnotation t ? dateTime64(t.getUnit())
                    : logical instanceof TimeLogicalTypeAnnotation t ? dateTime64(t.getUnit())
                    : logical instanceof IntLogicalTypeAnnotation i && !i.isSigned() ? "UInt64"
                    : "Int64";
            case INT96 -> "DateTime64(9, 'UTC')";
            case BINARY -> logical instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation ? "JSON" : "String";
            case FIXED_LEN_BYTE_ARRAY -> logical instanceof LogicalTypeAnnotation.UUIDLogicalTypeAnnotation ? "UUID"
                    : logical instanceof LogicalTypeAnnotation.Float16LogicalTypeAnnotation ? "Float32"
                    : "FixedString(" + type.getTypeLength() + ")";
        };
    }

    /**
     * Timestamps, whether adjusted to UTC or not, and times of day alike (the engine reads a time as that time on
     * 1970-01-01), in UTC with the unit's digits.
     */
    private static String dateTime64(LogicalTypeAnnotation.TimeUnit unit) {
        int digits = switch (unit) {
            case MILLIS -> 3;
            case MICROS -> 6;
            case NANOS -> 9;
        };
        return "DateTime64(" + digits + ", 'UTC')";
    }

    /** An element or map value's type inside its container: Nullable when optional and it can be. */
    static String member(Type parquet, FieldType type) {
        return member(parquet, type, false);
    }

    /** As {@link #member(Type, FieldType)}; {@code inOptional}: a member of an optional struct, Nullable either way. */
    static String member(Type parquet, FieldType type, boolean inOptional) {
        return inOptional || parquet.isRepetition(Type.Repetition.OPTIONAL) ? TypeText.nullable(type.clickHouseType) : type.clickHouseType;
    }

    /** {@code Array(element)}. */
    static String array(String element) {
        return "Array(" + element + ")";
    }

    /** {@code Map(key, value)}; a map without values is read as a struct of a list (see RowAssembler). */
    static String map(String key, String value) {
        return "Map(" + key + ", " + value + ")";
    }
}
