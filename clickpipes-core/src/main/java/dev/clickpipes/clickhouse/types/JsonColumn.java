package dev.clickpipes.clickhouse.types;

/**
 * JSON (and the older Object('json')): takes objects as their JSON text and sends them as String,
 * which the server parses into its dynamic paths on insert.
 */
final class JsonColumn extends Column {

    JsonColumn(String name, DataType type) {
        super(name, type);
    }

    @Override
    public String nativeTypeName() {
        return "String";
    }

    @Override
    public boolean wantsRawJson() {
        return true;
    }

    @Override
    public void appendDefault() {
        data.writeString("{}");
    }

    @Override
    public void appendNull() {
        appendDefault();
    }

    @Override
    public void appendString(String v) {
        data.writeString(v);
    }

    @Override
    public void appendBytes(byte[] bytes, int offset, int length) {
        data.writeVarUInt(length);
        data.writeBytes(bytes, offset, length);
    }
}
