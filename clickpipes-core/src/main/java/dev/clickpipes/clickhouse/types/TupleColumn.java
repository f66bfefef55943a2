package dev.clickpipes.clickhouse.types;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Tuple(T1, T2, ...) and named Tuple(a T1, b T2, ...): one column per element, written one after
 * the other. Elements a value leaves out take their zero value.
 */
final class TupleColumn extends Column {

    private final Column[] elements;
    private final String[] names;
    private final boolean[] written;
    private boolean open;

    TupleColumn(String name, DataType type, Column[] elements) {
        super(name, type);
        this.elements = elements;
        this.names = new String[elements.length];
        this.written = new boolean[elements.length];
        for (int i = 0; i < elements.length; i++) {
            names[i] = type.argument(i).fieldName();
        }
    }

    @Override
    public String nativeTypeName() {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < elements.length; i++) {
            String t = elements[i].nativeTypeName();
            parts.add(names[i] == null ? t : "`" + names[i].replace("`", "\\`") + "` " + t);
        }
        return "Tuple(" + String.join(", ", parts) + ")";
    }

    @Override
    public void appendDefault() {
        for (Column e : elements) {
            e.appendDefault();
        }
    }

    @Override
    public int tupleSize() {
        return elements.length;
    }

    @Override
    public void beginTuple() {
        java.util.Arrays.fill(written, false);
        open = true;
    }

    @Override
    public boolean tupleNamed() {
        return names.length > 0 && names[0] != null;
    }

    @Override
    public int tupleIndex(String name) {
        for (int i = 0; i < names.length; i++) {
            if (name.equals(names[i])) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public Column tupleElement(int index) throws ValueConversionException {
        if (!open || index < 0 || index >= elements.length) {
            throw invalid("element " + (index + 1), "is not an element of " + type().text());
        }
        if (written[index]) {
            throw invalid(names[index] != null ? names[index] : "element " + (index + 1), "appears twice");
        }
        written[index] = true;
        return elements[index];
    }

    @Override
    public void endTuple() {
        for (int i = 0; i < elements.length; i++) {
            if (!written[i]) {
                elements[i].appendDefault();
            }
        }
        open = false;
    }

    @Override
    public void eachBuffer(Consumer<NativeBuffer> visitor) {
        super.eachBuffer(visitor);
        for (Column e : elements) {
            e.eachBuffer(visitor);
        }
    }

    @Override
    public void mark() {
        super.mark();
        for (Column e : elements) {
            e.mark();
        }
    }

    @Override
    public void rollback() {
        super.rollback();
        for (Column e : elements) {
            e.rollback();
        }
        open = false;
    }

    @Override
    public void clear() {
        super.clear();
        for (Column e : elements) {
            e.clear();
        }
    }

    @Override
    public long byteSize() {
        long n = 0;
        for (Column e : elements) {
            n += e.byteSize();
        }
        return n;
    }

    @Override
    public void writePrefix(NativeBuffer out) {
        for (Column e : elements) {
            e.writePrefix(out);
        }
    }

    @Override
    public void writeTo(NativeBuffer out) {
        for (Column e : elements) {
            e.writeTo(out);
        }
    }
}
