package dev.clickpipes.clickhouse.types;

/** String: any bytes. Numbers, booleans, objects and arrays are kept as the JSON text they were written as. */
final class StringColumn extends TextColumn {

    StringColumn(String name, DataType type) {
        super(name, type);
    }

    @Override
    public void appendDefault() {
        data.writeByte(0); // varint length 0
    }

    @Override
    public void appendString(String v) {
        data.writeString(v);
    }

    @Override
    public void appendChars(char[] chars, int offset, int length) {
        data.writeUtf8(chars, offset, length);
    }

    @Override
    public void appendBytes(byte[] bytes, int offset, int length) {
        data.writeVarUInt(length);
        data.writeBytes(bytes, offset, length);
    }
}
