package dev.clickpipes.clickhouse.sink;

import dev.clickpipes.clickhouse.types.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The {@link KeyColumn}s by type: each gathers its column's values of every block into arrays by row. */
final class KeyColumns {

    private KeyColumns() {
    }

    /** True when the type, as the block header names it, can be compared here. */
    static boolean supports(DataType type) {
        return switch (type.name()) {
            case "Nullable" -> supports(type.argument(0));
            case "LowCardinality" -> type.argument(0).name().equals("String");
            case "String" -> true;
            default -> FixedWidth.of(type) > 0;
        };
    }

    /**
     * The key column of a header type over its slices, one a block of {@code blockRows[b]} rows; null when
     * {@code nullsAreDefaults} (a DEFAULT column sent Nullable, the server filling a NULL with its DEFAULT)
     * and some row is NULL: its value is not known here.
     */
    static KeyColumn of(DataType type, boolean nullsAreDefaults, NativeLayout.Slice[] slices, int[] blockRows) {
        int total = Arrays.stream(blockRows).sum();
        switch (type.name()) {
            case "Nullable" -> {
                boolean[] nulls = new boolean[total];
                boolean anyNull = false;
                NativeLayout.Slice[] inner = new NativeLayout.Slice[slices.length];
                int g = 0;
                for (int s = 0; s < slices.length; s++) {
                    NativeLayout.Nullable.Data d = (NativeLayout.Nullable.Data) slices[s];
                    inner[s] = d.inner();
                    for (int r = 0; r < blockRows[s]; r++, g++) {
                        nulls[g] = d.nulls().bytes()[d.nulls().start() + r] != 0;
                        anyNull |= nulls[g];
                    }
                }
                KeyColumn values = of(type.argument(0), false, inner, blockRows);
                if (!anyNull) {
                    return values;
                }
                return nullsAreDefaults ? null : new NullsLast(nulls, values);
            }
            case "String" -> {
                return Bytes.ofStrings(slices, blockRows, total);
            }
            case "LowCardinality" -> {
                return Longs.ofLowCardinality(slices, blockRows, total);
            }
            case "FixedString", "IPv6" -> {
                return Bytes.ofFixed(slices, blockRows, total, FixedWidth.of(type));
            }
            case "Float32", "Float64", "BFloat16" -> {
                return Floats.of(slices, blockRows, total, FixedWidth.of(type));
            }
            default -> {
                int width = FixedWidth.of(type);
                boolean signed = signed(type);
                return width <= 8 ? Longs.of(slices, blockRows, total, width, signed)
                        : Wide.of(slices, blockRows, total, width / 8, signed);
            }
        }
    }

    /** The key columns one after the other: the first that differs decides. */
    static KeyColumn chain(KeyColumn[] parts) {
        if (parts.length == 1) {
            return parts[0];
        }
        if (Arrays.stream(parts).allMatch(p -> p instanceof Longs)) {
            long[][] columns = Arrays.stream(parts).map(p -> ((Longs) p).values()).toArray(long[][]::new);
            return (a, b) -> {
                for (long[] c : columns) {
                    if (c[a] != c[b]) {
                        return c[a] < c[b] ? -1 : 1;
                    }
                }
                return 0;
            };
        }
        return (a, b) -> {
            for (KeyColumn part : parts) {
                int c = part.compare(a, b);
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        };
    }

    /** Signed integers, Decimal, Enum, Date32, DateTime64, Time; UInt*, Bool, Date, DateTime, IPv4, UUID are not. */
    private static boolean signed(DataType type) {
        String name = type.name();
        return !(name.startsWith("UInt") || name.equals("Bool") || name.equals("Date") || name.equals("DateTime")
                || name.equals("IPv4") || name.equals("UUID"));
    }

    /** NULL after every value; two NULLs equal. */
    private record NullsLast(boolean[] nulls, KeyColumn values) implements KeyColumn {
        @Override
        public int compare(int a, int b) {
            if (nulls[a] || nulls[b]) {
                return Boolean.compare(nulls[a], nulls[b]);
            }
            return values.compare(a, b);
        }
    }

    /**
     * Keys as longs that compare signed in the key's order: integers up to 64 bits (UInt64 with its top bit
     * flipped), floats by their sortable bits, LowCardinality(String) by its values' rank. The cheap case:
     * {@link #chain} compares several of them without a call a column.
     */
    record Longs(long[] values) implements KeyColumn {
        static Longs of(NativeLayout.Slice[] slices, int[] blockRows, int total, int width, boolean signed) {
            long[] values = new long[total];
            long flip = width == 8 && !signed ? Long.MIN_VALUE : 0;
            int g = 0;
            for (int s = 0; s < slices.length; s++) {
                NativeLayout.Fixed.Data d = (NativeLayout.Fixed.Data) slices[s];
                for (int r = 0; r < blockRows[s]; r++, g++) {
                    values[g] = read(d.bytes(), d.start() + r * width, width, signed) ^ flip;
                }
            }
            return new Longs(values);
        }

        /** Each row's value as its rank among the distinct values of all the blocks' dictionaries. */
        static Longs ofLowCardinality(NativeLayout.Slice[] slices, int[] blockRows, int total) {
            byte[] bytes = Bytes.bytesOf(slices);
            List<int[]> keys = new ArrayList<>(); // {slice, key, from, length}
            for (int s = 0; s < slices.length; s++) {
                NativeLayout.Strings.Data k = ((NativeLayout.LowCardinalityString.Data) slices[s]).keys();
                for (int key = 0; key < k.start().length - 1; key++) {
                    NativeCursor c = new NativeCursor(bytes, k.start()[key], bytes.length);
                    int length = (int) c.readVarUInt();
                    keys.add(new int[] {s, key, c.position(), length});
                }
            }
            keys.sort((x, y) -> Arrays.compareUnsigned(bytes, x[2], x[2] + x[3], bytes, y[2], y[2] + y[3]));
            int[][] rank = new int[slices.length][];
            for (int s = 0; s < slices.length; s++) {
                rank[s] = new int[((NativeLayout.LowCardinalityString.Data) slices[s]).keys().start().length - 1];
            }
            int next = -1;
            for (int i = 0; i < keys.size(); i++) {
                int[] k = keys.get(i);
                int[] p = i == 0 ? null : keys.get(i - 1);
                if (p == null || !Arrays.equals(bytes, p[2], p[2] + p[3], bytes, k[2], k[2] + k[3])) {
                    next++;
                }
                rank[k[0]][k[1]] = next;
            }
            long[] values = new long[total];
            int g = 0;
            for (int s = 0; s < slices.length; s++) {
                NativeLayout.LowCardinalityString.Data d = (NativeLayout.LowCardinalityString.Data) slices[s];
                for (int r = 0; r < blockRows[s]; r++, g++) {
                    values[g] = rank[s][d.index(r)];
                }
            }
            return new Longs(values);
        }

        static long read(byte[] b, int at, int width, boolean signed) {
            long v = 0;
            for (int i = width - 1; i >= 0; i--) {
                v = v << 8 | (b[at + i] & 0xFF);
            }
            int shift = 64 - width * 8;
            return signed ? v << shift >> shift : v;
        }

        @Override
        public int compare(int a, int b) {
            return Long.compare(values[a], values[b]);
        }
    }

    /** 128 and 256-bit integers (and UUID): little-endian 64-bit words, the last the most significant. */
    private record Wide(long[] words, int count, boolean signed) implements KeyColumn {
        static Wide of(NativeLayout.Slice[] slices, int[] blockRows, int total, int count, boolean signed) {
            long[] words = new long[total * count];
            int g = 0;
            for (int s = 0; s < slices.length; s++) {
                NativeLayout.Fixed.Data d = (NativeLayout.Fixed.Data) slices[s];
                for (int r = 0; r < blockRows[s]; r++, g++) {
                    for (int w = 0; w < count; w++) {
                        words[g * count + w] = NativeCursor.longAt(d.bytes(), d.start() + (r * count + w) * 8);
                    }
                }
            }
            return new Wide(words, count, signed);
        }

        @Override
        public int compare(int a, int b) {
            int top = count - 1;
            long x = words[a * count + top];
            long y = words[b * count + top];
            int c = signed ? Long.compare(x, y) : Long.compareUnsigned(x, y);
            for (int w = top - 1; c == 0 && w >= 0; w--) {
                c = Long.compareUnsigned(words[a * count + w], words[b * count + w]);
            }
            return c;
        }
    }

    /** Float32, Float64, BFloat16 as sortable longs: -0 equal to 0, NaN (any) after +inf, NaNs equal. */
    private static final class Floats {
        static Longs of(NativeLayout.Slice[] slices, int[] blockRows, int total, int width) {
            long[] values = new long[total];
            int g = 0;
            for (int s = 0; s < slices.length; s++) {
                NativeLayout.Fixed.Data d = (NativeLayout.Fixed.Data) slices[s];
                for (int r = 0; r < blockRows[s]; r++, g++) {
                    long bits = Longs.read(d.bytes(), d.start() + r * width, width, false);
                    double v = switch (width) {
                        case 2 -> Float.intBitsToFloat((int) bits << 16); // BFloat16: Float32's upper half
                        case 4 -> Float.intBitsToFloat((int) bits);
                        default -> Double.longBitsToDouble(bits);
                    };
                    // Canonical NaN is above +inf; a negative's other bits flipped orders them as signed longs.
                    long sortable = v == 0 ? 0 : Double.doubleToLongBits(v);
                    values[g] = sortable ^ ((sortable >> 63) & Long.MAX_VALUE);
                }
            }
            return new Longs(values);
        }
    }

    /** Byte strings compared unsigned, then by length: row g is {@code bytes[from[g], from[g] + length[g])}. */
    private record Bytes(byte[] bytes, int[] from, int[] length) implements KeyColumn {
        static Bytes ofStrings(NativeLayout.Slice[] slices, int[] blockRows, int total) {
            Bytes out = new Bytes(bytesOf(slices), new int[total], new int[total]);
            int g = 0;
            for (int s = 0; s < slices.length; s++) {
                g = out.addStrings((NativeLayout.Strings.Data) slices[s], blockRows[s], g);
            }
            return out;
        }

        /** Rows of a String column; returns the next row number. */
        private int addStrings(NativeLayout.Strings.Data strings, int rows, int g) {
            for (int r = 0; r < rows; r++, g++) {
                int at = strings.start()[r];
                NativeCursor c = new NativeCursor(bytes, at, bytes.length);
                length[g] = (int) c.readVarUInt();
                from[g] = c.position();
            }
            return g;
        }

        static Bytes ofFixed(NativeLayout.Slice[] slices, int[] blockRows, int total, int width) {
            Bytes out = new Bytes(bytesOf(slices), new int[total], new int[total]);
            Arrays.fill(out.length, width);
            int g = 0;
            for (int s = 0; s < slices.length; s++) {
                NativeLayout.Fixed.Data d = (NativeLayout.Fixed.Data) slices[s];
                for (int r = 0; r < blockRows[s]; r++, g++) {
                    out.from[g] = d.start() + r * width;
                }
            }
            return out;
        }

        /** The body all slices read from (one Native body holds every block of the insert). */
        static byte[] bytesOf(NativeLayout.Slice[] slices) {
            if (slices.length == 0) {
                return new byte[0];
            }
            if (slices[0] instanceof NativeLayout.Strings.Data d) {
                return d.bytes();
            }
            if (slices[0] instanceof NativeLayout.LowCardinalityString.Data d) {
                return d.bytes();
            }
            return ((NativeLayout.Fixed.Data) slices[0]).bytes();
        }

        @Override
        public int compare(int a, int b) {
            return Arrays.compareUnsigned(bytes, from[a], from[a] + length[a], bytes, from[b], from[b] + length[b]);
        }
    }
}
