package dev.clickpipes.clickhouse.sink;

import dev.clickpipes.clickhouse.types.DataType;
import dev.clickpipes.clickhouse.types.NativeBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How one column's data is laid out in a Native block, by its type: read into row boundaries (a
 * {@link Slice}), then written back with the rows of one or more blocks in any order. Composite
 * types recurse: Array(T) is UInt64 end offsets then the elements column; Map(K, V) is Array(Tuple(K, V));
 * Nullable(T) a UInt8 null map then T; Tuple each element in turn; LowCardinality(String) a
 * dictionary and one index a row (the rows' indexes move, the dictionaries are merged).
 * Variant, Dynamic and the other types the sink never writes are not read: {@link #of} refuses them.
 */
abstract class NativeLayout {

    /** What one block holds of one column: where its rows are in the body. */
    interface Slice {
    }

    /**
     * Rows to write, in order: row {@code row[i]} of slice {@code slice[i]}.
     * Every column of a block is written with the same {@code Rows}, so rows never come apart.
     */
    record Rows(int[] slice, int[] row) {
        int count() {
            return row.length;
        }
    }

    /** The layout of a type as it appears in a Native block header; IllegalArgumentException naming it when unsupported. */
    static NativeLayout of(DataType type) {
        int width = FixedWidth.of(type);
        if (width > 0) {
            return new Fixed(width);
        }
        return switch (type.name()) {
            case "String" -> new Strings();
            case "Nullable" -> new Nullable(of(type.argument(0)));
            case "Array" -> new Array(of(type.argument(0)));
            case "Map" -> new Array(new Tuple(List.of(of(type.argument(0)), of(type.argument(1)))));
            case "Tuple" -> new Tuple(type.arguments().stream().map(NativeLayout::of).toList());
            case "LowCardinality" -> {
                if (!type.argument(0).name().equals("String")) {
                    throw new IllegalArgumentException("type " + type.text() + " cannot be reordered");
                }
                yield new LowCardinalityString();
            }
            default -> throw new IllegalArgumentException("type " + type.text() + " cannot be reordered");
        };
    }

    /** Moves past the column's serialization prefix (before its data in each block). */
    void skipPrefix(NativeCursor in) {
    }

    /** Writes the column's serialization prefix, once, before the data of the block written. */
    void writePrefix(NativeBuffer out) {
    }

    /** Reads {@code rows} rows of the column's data. */
    abstract Slice read(NativeCursor in, int rows);

    /** Writes {@code rows} of {@code slices} as one column's data. */
    abstract void write(Slice[] slices, Rows rows, NativeBuffer out);

    // ---- the layouts --------------------------------------------------------------------------

    /** Numbers, dates, UUIDs, FixedString(N): {@code width} bytes a row. */
    static final class Fixed extends NativeLayout {
        final int width;

        Fixed(int width) {
            this.width = width;
        }

        record Data(byte[] bytes, int start) implements Slice {
        }

        @Override
        Slice read(NativeCursor in, int rows) {
            return new Data(in.bytes, in.skip((long) rows * width));
        }

        @Override
        void write(Slice[] slices, Rows rows, NativeBuffer out) {
            // Gathered into one array, then one copy: a call a row into the buffer cost twice as much.
            int n = rows.count();
            byte[] gathered = new byte[n * width];
            byte[] from = slices.length == 0 ? gathered : ((Data) slices[0]).bytes; // one body holds every block
            int[] start = new int[slices.length];
            for (int s = 0; s < slices.length; s++) {
                start[s] = ((Data) slices[s]).start;
            }
            int[] slice = rows.slice();
            int[] row = rows.row();
            switch (width) {
                case 1 -> {
                    for (int i = 0; i < n; i++) {
                        gathered[i] = from[start[slice[i]] + row[i]];
                    }
                }
                case 4 -> {
                    for (int i = 0; i < n; i++) {
                        NativeCursor.putInt(gathered, i * 4, NativeCursor.intAt(from, start[slice[i]] + row[i] * 4));
                    }
                }
                case 8 -> {
                    for (int i = 0; i < n; i++) {
                        NativeCursor.putLong(gathered, i * 8, NativeCursor.longAt(from, start[slice[i]] + row[i] * 8));
                    }
                }
                default -> {
                    for (int i = 0; i < n; i++) {
                        System.arraycopy(from, start[slice[i]] + row[i] * width, gathered, i * width, width);
                    }
                }
            }
            out.writeBytes(gathered, 0, gathered.length);
        }
    }

    /** String: a varint length and the bytes, a row; {@code start[r]} is where row r's length begins. */
    static final class Strings extends NativeLayout {
        record Data(byte[] bytes, int[] start) implements Slice {
        }

        @Override
        Slice read(NativeCursor in, int rows) {
            int[] start = new int[rows + 1];
            for (int r = 0; r < rows; r++) {
                start[r] = in.position();
                in.skip(in.readVarUInt());
            }
            start[rows] = in.position();
            return new Data(in.bytes, start);
        }

        @Override
        void write(Slice[] slices, Rows rows, NativeBuffer out) {
            int n = rows.count();
            int[][] start = new int[slices.length][];
            for (int s = 0; s < slices.length; s++) {
                start[s] = ((Data) slices[s]).start;
            }
            int total = 0;
            for (int i = 0; i < n; i++) {
                int[] st = start[rows.slice()[i]];
                int r = rows.row()[i];
                total += st[r + 1] - st[r];
            }
            byte[] gathered = new byte[total];
            byte[] from = slices.length == 0 ? gathered : ((Data) slices[0]).bytes; // one body holds every block
            for (int i = 0, at = 0; i < n; i++) {
                int[] st = start[rows.slice()[i]];
                int r = rows.row()[i];
                int length = st[r + 1] - st[r];
                System.arraycopy(from, st[r], gathered, at, length);
                at += length;
            }
            out.writeBytes(gathered, 0, total);
        }
    }

    /** Nullable(T): the null map, then T with a value (its zero) for every row. */
    static final class Nullable extends NativeLayout {
        final NativeLayout inner;
        private final Fixed nullMap = new Fixed(1);

        Nullable(NativeLayout inner) {
            this.inner = inner;
        }

        record Data(Fixed.Data nulls, Slice inner) implements Slice {
        }

        @Override
        void skipPrefix(NativeCursor in) {
            inner.skipPrefix(in);
        }

        @Override
        void writePrefix(NativeBuffer out) {
            inner.writePrefix(out);
        }

        @Override
        Slice read(NativeCursor in, int rows) {
            Fixed.Data nulls = (Fixed.Data) nullMap.read(in, rows);
            return new Data(nulls, inner.read(in, rows));
        }

        @Override
        void write(Slice[] slices, Rows rows, NativeBuffer out) {
            Slice[] nulls = new Slice[slices.length];
            Slice[] inners = new Slice[slices.length];
            for (int s = 0; s < slices.length; s++) {
                nulls[s] = ((Data) slices[s]).nulls;
                inners[s] = ((Data) slices[s]).inner;
            }
            nullMap.write(nulls, rows, out);
            inner.write(inners, rows, out);
        }
    }

    /** Array(T) (and Map): each row's cumulative end offset, then the elements of all rows. */
    static final class Array extends NativeLayout {
        private final NativeLayout elements;

        Array(NativeLayout elements) {
            this.elements = elements;
        }

        record Data(long[] ends, Slice elements) implements Slice {
            long begin(int row) {
                return row == 0 ? 0 : ends[row - 1];
            }
        }

        @Override
        void skipPrefix(NativeCursor in) {
            elements.skipPrefix(in);
        }

        @Override
        void writePrefix(NativeBuffer out) {
            elements.writePrefix(out);
        }

        @Override
        Slice read(NativeCursor in, int rows) {
            long[] ends = new long[rows];
            for (int r = 0; r < rows; r++) {
                ends[r] = in.readLong();
                if (ends[r] < (r == 0 ? 0 : ends[r - 1])) {
                    throw new IllegalStateException("Array offsets go down at row " + r);
                }
            }
            long total = rows == 0 ? 0 : ends[rows - 1];
            if (total > Integer.MAX_VALUE) {
                throw new IllegalStateException("over 2^31 array elements in one block");
            }
            return new Data(ends, elements.read(in, (int) total));
        }

        @Override
        void write(Slice[] slices, Rows rows, NativeBuffer out) {
            // The rows' offsets anew, and the elements in the rows' new order: row by row, each row's run.
            long total = 0;
            for (int i = 0; i < rows.count(); i++) {
                Data d = (Data) slices[rows.slice()[i]];
                int r = rows.row()[i];
                total += d.ends[r] - d.begin(r);
                out.writeLong(total);
            }
            int[] elementSlice = new int[(int) total];
            int[] elementRow = new int[(int) total];
            int at = 0;
            for (int i = 0; i < rows.count(); i++) {
                Data d = (Data) slices[rows.slice()[i]];
                int r = rows.row()[i];
                for (long e = d.begin(r); e < d.ends[r]; e++) {
                    elementSlice[at] = rows.slice()[i];
                    elementRow[at++] = (int) e;
                }
            }
            Slice[] inner = new Slice[slices.length];
            for (int s = 0; s < slices.length; s++) {
                inner[s] = ((Data) slices[s]).elements;
            }
            elements.write(inner, new Rows(elementSlice, elementRow), out);
        }
    }

    /** Tuple(T1, T2, ...): each element's column in turn, all with the same rows. */
    static final class Tuple extends NativeLayout {
        private final List<NativeLayout> elements;

        Tuple(List<NativeLayout> elements) {
            this.elements = elements;
        }

        record Data(Slice[] elements) implements Slice {
        }

        @Override
        void skipPrefix(NativeCursor in) {
            elements.forEach(e -> e.skipPrefix(in));
        }

        @Override
        void writePrefix(NativeBuffer out) {
            elements.forEach(e -> e.writePrefix(out));
        }

        @Override
        Slice read(NativeCursor in, int rows) {
            Slice[] parts = new Slice[elements.size()];
            for (int e = 0; e < parts.length; e++) {
                parts[e] = elements.get(e).read(in, rows);
            }
            return new Data(parts);
        }

        @Override
        void write(Slice[] slices, Rows rows, NativeBuffer out) {
            for (int e = 0; e < elements.size(); e++) {
                Slice[] parts = new Slice[slices.length];
                for (int s = 0; s < slices.length; s++) {
                    parts[s] = ((Data) slices[s]).elements[e];
                }
                elements.get(e).write(parts, rows, out);
            }
        }
    }

    /**
     * LowCardinality(String) as the sink writes it ("SharedDictionariesWithAdditionalKeys"): prefix
     * UInt64 version 1; data UInt64 index type and flags, UInt64 key count, the keys as Strings,
     * UInt64 row count, the indexes (1, 2, 4 or 8 bytes). Nothing at all for no rows.
     */
    static final class LowCardinalityString extends NativeLayout {
        private static final long KEYS_VERSION = 1;
        private static final long HAS_ADDITIONAL_KEYS = 1L << 9;
        private static final long NEED_UPDATE_DICTIONARY = 1L << 10;
        private final Strings keys = new Strings();

        record Data(Strings.Data keys, byte[] bytes, int indexStart, int indexWidth) implements Slice {
            int index(int row) {
                int at = indexStart + row * indexWidth;
                return switch (indexWidth) {
                    case 1 -> bytes[at] & 0xFF;
                    case 2 -> (bytes[at] & 0xFF) | (bytes[at + 1] & 0xFF) << 8;
                    case 4 -> NativeCursor.intAt(bytes, at);
                    default -> (int) NativeCursor.longAt(bytes, at);
                };
            }
        }

        @Override
        void skipPrefix(NativeCursor in) {
            if (in.readLong() != KEYS_VERSION) {
                throw new IllegalStateException("LowCardinality keys version is not 1");
            }
        }

        @Override
        void writePrefix(NativeBuffer out) {
            out.writeLong(KEYS_VERSION);
        }

        @Override
        Slice read(NativeCursor in, int rows) {
            if (rows == 0) {
                return new Data(new Strings.Data(in.bytes, new int[] {0}), in.bytes, 0, 1);
            }
            long flags = in.readLong();
            if ((flags & HAS_ADDITIONAL_KEYS) == 0) {
                throw new IllegalStateException("LowCardinality without its own keys");
            }
            int width = 1 << (int) (flags & 0xFF);
            Strings.Data dictionary = (Strings.Data) keys.read(in, (int) in.readLong());
            if (in.readLong() != rows) {
                throw new IllegalStateException("LowCardinality index count differs from the block's rows");
            }
            return new Data(dictionary, in.bytes, in.skip((long) rows * width), width);
        }

        @Override
        void write(Slice[] slices, Rows rows, NativeBuffer out) {
            if (rows.count() == 0) {
                return;
            }
            // One dictionary for all the slices: each distinct value once, its number in the new one.
            Map<String, Integer> numbers = new HashMap<>();
            NativeBuffer dictionary = new NativeBuffer();
            int[][] renumber = new int[slices.length][];
            for (int s = 0; s < slices.length; s++) {
                Strings.Data k = ((Data) slices[s]).keys;
                renumber[s] = new int[k.start().length - 1];
                for (int key = 0; key < renumber[s].length; key++) {
                    int from = k.start()[key];
                    int length = k.start()[key + 1] - from;
                    Integer n = numbers.putIfAbsent(new String(k.bytes(), from, length, StandardCharsets.ISO_8859_1),
                            numbers.size());
                    if (n == null) {
                        n = numbers.size() - 1;
                        dictionary.writeBytes(k.bytes(), from, length);
                    }
                    renumber[s][key] = n;
                }
            }
            int count = numbers.size();
            int width = count <= 0x100 ? 1 : count <= 0x10000 ? 2 : 4;
            out.writeLong((width == 1 ? 0 : width == 2 ? 1 : 2) | HAS_ADDITIONAL_KEYS | NEED_UPDATE_DICTIONARY);
            out.writeLong(count);
            out.writeBuffer(dictionary);
            out.writeLong(rows.count());
            for (int i = 0; i < rows.count(); i++) {
                int s = rows.slice()[i];
                int n = renumber[s][((Data) slices[s]).index(rows.row()[i])];
                switch (width) {
                    case 1 -> out.writeByte(n);
                    case 2 -> out.writeShort(n);
                    default -> out.writeInt(n);
                }
            }
        }
    }
}
