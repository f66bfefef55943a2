package dev.clickpipes.format.parquet;

import java.util.List;

/**
 * What the reader makes of one Parquet field: the kind of Java value it produces (see
 * {@link RowAssembler}) and, for nested fields, the element, key/value or member types.
 */
final class FieldType {

    /** The value kinds; the comment says the Java value a row holds for it. */
    enum Kind {
        /** Boolean. */
        BOOLEAN,
        /** Long, signed (every INT32, signed INT64, and unsigned 8-32 bit ints). */
        INT,
        /** Long holding an unsigned 64-bit value. */
        UINT64,
        /** Float or Double (FLOAT, DOUBLE, FLOAT16). */
        FLOAT,
        /** BigDecimal. */
        DECIMAL,
        /** Long: days since 1970-01-01. */
        DATE,
        /** Long: time of day in units of 10^-scale s. */
        TIME,
        /** Long: since the epoch in units of 10^-scale s. */
        TIMESTAMP,
        /** BigDecimal: seconds since the epoch (a legacy INT96 timestamp). */
        INT96,
        /** byte[] of UTF-8 text (STRING, ENUM, JSON). */
        STRING,
        /** byte[] (unannotated BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY, BSON, INTERVAL). */
        BYTES,
        /** byte[16]. */
        UUID,
        /** List of element values. */
        LIST,
        /** {@link MapValue}. */
        MAP,
        /** Object[] of member values. */
        STRUCT
    }

    final String name;
    final Kind kind;
    /** DECIMAL: the scale; TIME and TIMESTAMP: 3, 6 or 9 fraction digits. */
    final int scale;
    /** LIST: the element; MAP: the key and the value (null when the map has none); STRUCT: the members. */
    final FieldType[] children;
    /** The Parquet type as written, for messages. */
    final String parquetType;
    /** The type the engine infers for the field ({@link InferredType}): what a Dynamic column keeps for its values. */
    final String clickHouseType;
    /** {@link #clickHouseType} parsed, when first asked for. */
    private volatile dev.clickpipes.clickhouse.types.DataType dataType;
    /**
     * The column type this field's values last went into and the name of its base type, for
     * {@link ValueWriter}; an immutable pair, so that decoding threads may share it racily.
     */
    volatile Target target;

    /**
     * A column type and the name of the type under its Nullable and LowCardinality; {@code pointInTime} when that
     * is DateTime64, DateTime, Date or Date32 (a timestamp goes there as an instant: decided once, not per value).
     */
    record Target(dev.clickpipes.clickhouse.types.DataType type, String baseName, boolean pointInTime) {
        Target(dev.clickpipes.clickhouse.types.DataType type, String baseName) {
            this(type, baseName, switch (baseName) {
                case "DateTime64", "DateTime", "Date", "Date32" -> true;
                default -> false;
            });
        }
    }

    FieldType(String name, Kind kind, int scale, FieldType[] children, String parquetType, String clickHouseType) {
        this.name = name;
        this.kind = kind;
        this.scale = scale;
        this.children = children;
        this.parquetType = parquetType;
        this.clickHouseType = clickHouseType;
    }

    /** {@link #clickHouseType} as a type. */
    dev.clickpipes.clickhouse.types.DataType dataType() {
        dev.clickpipes.clickhouse.types.DataType t = dataType;
        if (t == null) {
            t = dev.clickpipes.clickhouse.types.DataType.parse(clickHouseType);
            dataType = t;
        }
        return t;
    }

    /** The value of a MAP field: keys and values in file order. */
    record MapValue(List<Object> keys, List<Object> values) {
    }

    @Override
    public String toString() {
        return name + " " + parquetType;
    }
}
