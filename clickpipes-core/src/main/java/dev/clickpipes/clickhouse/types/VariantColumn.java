package dev.clickpipes.clickhouse.types;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * Variant(T1, T2, ...): one discriminator a row (UInt8, the variant's index in the type's
 * name-sorted list, 255 for NULL), then each variant's column holding only its own rows. Native puts
 * the discriminators' serialization mode (UInt64 0, BASIC: one byte a row) in the column's prefix.
 *
 * <p>A value goes to the first variant, in {@link VariantOrder}'s order (the engine's order for text
 * input), that takes it, as ClickHouse's JSONEachRow tries its variants. Each try runs on a probe column
 * of that variant's type, so a refused try leaves nothing behind; the value is then written again into
 * the variant that took it. A value is refused rather than stored differently from the engine where
 * the engine's try would keep it in a variant that refuses it (a date or time of the right shape but out
 * of range or not on the calendar: the engine clamps or rolls it over), and where two variants of equal
 * rank both take it (the engine's order between them is not defined).
 *
 * <p>Array, Tuple and Map variants (of scalars, nested to any depth) take arrays and objects: the whole
 * value is recorded first ({@link ValueRecorder}) and then tried on each variant in the same order,
 * written as the JSON decoders write it into that type. An array or object no such variant takes is
 * refused where the engine would keep its JSON text in a String variant (that text as written is not
 * kept). Other composite variants (JSON, Nested, the geo types, LowCardinality of anything but String
 * inside a composite) are refused when the column is made.
 *
 * <p>A Dynamic column adds variants of its own as it meets new types ({@link #addVariant}); those last
 * for one block. The block's header lists every variant sorted by type name, as the engine names a
 * Variant, and the discriminators are written in that order.
 */
final class VariantColumn extends WholeValueColumn {

    /** The NULL discriminator. */
    private static final int NULL = 255;
    /** Text a Date or Date32 variant reads as its own even when it refuses it (the engine clamps or rolls it over). */
    private static final Pattern DATE_SHAPE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    /** The same for DateTime and DateTime64. */
    private static final Pattern DATE_TIME_SHAPE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}([ T]\\d{2}:\\d{2}:\\d{2}.*)?");
    /** The same for Time and Time64. */
    private static final Pattern TIME_SHAPE = Pattern.compile("-?\\d+:\\d{2}:\\d{2}(\\.\\d*)?");

    private final List<Column> variants;
    /** How many variants the type itself has; those after are {@link #addVariant}'s, for one block. */
    private final int declared;
    private final Column[] probes;
    private final int[] order;
    private final List<VariantOrder.Rank> rank;
    /** Per variant: the shape of text the engine keeps in it even out of range, or null. */
    private final Pattern[] keptShape;
    private final boolean hasNumber;

    VariantColumn(String name, DataType type, Column[] variants, Column[] probes) {
        super(name, type);
        this.variants = new ArrayList<>(Arrays.asList(variants));
        this.declared = variants.length;
        this.probes = probes;
        List<DataType> types = new ArrayList<>();
        for (Column v : variants) {
            types.add(v.type());
        }
        this.order = VariantOrder.of(types);
        this.rank = VariantOrder.ranks(types);
        this.keptShape = new Pattern[variants.length];
        boolean numbers = false;
        for (int i = 0; i < variants.length; i++) {
            String n = types.get(i).name();
            keptShape[i] = n.equals("Date") || n.equals("Date32") ? DATE_SHAPE
                    : n.startsWith("DateTime") ? DATE_TIME_SHAPE : n.startsWith("Time") ? TIME_SHAPE : null;
            numbers |= number(n);
        }
        this.hasNumber = numbers;
    }

    /** Integers, floats and decimals. */
    private static boolean number(String typeName) {
        return integral(typeName) || typeName.startsWith("Float") || typeName.startsWith("Decimal")
                || typeName.equals("BFloat16");
    }

    /** Int8 .. UInt256 and Bool: the engine's try reads only integer text into them, Bool only 0 and 1. */
    private static boolean integral(String typeName) {
        return typeName.matches("U?Int\\d+") || typeName.equals("Bool");
    }

    /**
     * True for the types a variant may be: scalars, and Array, Tuple, Map and Nullable of them to any depth
     * (inside those, LowCardinality of String only, so that the block header names the type as written).
     */
    private static boolean writable(DataType t, boolean inside) {
        return switch (t.name()) {
            case "Array", "Tuple", "Map", "Nullable" -> t.arguments().stream().allMatch(a -> writable(a, true));
            case "LowCardinality" -> !inside || t.argument(0).name().equals("String");
            case "Variant", "Dynamic", "SimpleAggregateFunction" -> false;
            default -> !VariantOrder.composite(t);
        };
    }

    /** The variants of {@code type}, sorted by their type names as ClickHouse sorts them; refuses what the engine refuses. */
    static List<DataType> variantTypes(String column, DataType type) {
        List<DataType> types = new ArrayList<>(type.arguments());
        for (DataType t : types) {
            DataType plain = t.name().equals("LowCardinality") ? t.argument(0) : t;
            if (plain.name().equals("Nullable") || t.name().equals("Variant") || t.name().equals("Dynamic")) {
                throw new IllegalArgumentException("column `" + column + "` has type " + type.text() + ": "
                        + t.text() + " is not allowed inside Variant (ClickHouse refuses it too); "
                        + "a Variant holds NULL of its own");
            }
            if (!writable(t, false)) {
                throw new IllegalArgumentException("column `" + column + "` has type " + type.text() + ": "
                        + "clickpipes-java writes Variants of scalar types and of Array, Tuple and Map of them, not "
                        + t.text() + " (Array(Variant(...)) is supported)");
            }
        }
        types.sort(Comparator.comparing(DataType::text));
        return types;
    }

    /** The variants' indexes in the order the block lists them: sorted by type name, as the engine sorts them. */
    private int[] blockOrder() {
        return IntStream.range(0, variants.size()).boxed()
                .sorted(Comparator.comparing(i -> variants.get(i).type().text()))
                .mapToInt(Integer::intValue).toArray();
    }

    @Override
    public String nativeTypeName() {
        List<String> names = new ArrayList<>();
        for (int i : blockOrder()) {
            names.add(variants.get(i).type().text());
        }
        return "Variant(" + String.join(", ", names) + ")";
    }

    @Override
    public void appendDefault() {
        data.writeByte(NULL);
    }

    @Override
    public void appendNull() {
        data.writeByte(NULL);
    }

    @Override
    public void appendNumberText(String text) throws ValueConversionException {
        requireFinite(text);
        boolean fraction = text.indexOf('.') >= 0 || text.indexOf('e') >= 0 || text.indexOf('E') >= 0;
        choose(text, c -> {
            String n = c.type().name();
            if (integral(n) && (fraction || n.equals("Bool") && !text.equals("0") && !text.equals("1"))) {
                throw cannotTake(text, "a number");
            }
            c.appendNumberText(text);
        });
    }

    @Override
    public void appendBoolean(boolean v) throws ValueConversionException {
        choose(String.valueOf(v), c -> c.appendBoolean(v));
    }

    @Override
    public void appendDouble(double v) throws ValueConversionException {
        appendNumberText(Double.toString(v));
    }

    @Override
    public void appendDecimal(BigDecimal v) throws ValueConversionException {
        appendNumberText(v.toString());
    }

    @Override
    public void appendInstant(long epochSecond, int nanos) throws ValueConversionException {
        choose(instantText(epochSecond, nanos), c -> c.appendInstant(epochSecond, nanos));
    }

    @Override
    public void appendString(String v) throws ValueConversionException {
        if (v.isEmpty() && hasNumber) {
            throw invalid(v, "would be read by ClickHouse as 0 of a number variant; refused");
        }
        chooseForString(v);
    }

    /** An empty TabSeparated field is the empty String to the engine, not the 0 it makes of JSON's or CSV's "". */
    @Override
    public void appendEscapedText(String v) throws ValueConversionException {
        chooseForString(v);
    }

    /** A literal's scalar goes to the first variant that takes it in its form: {@code '1'} is a String, {@code 1} a number. */
    @Override
    public void appendLiteralScalar(String v, boolean quoted) throws ValueConversionException {
        choose(v, c -> c.appendLiteralScalar(v, quoted));
    }

    private void chooseForString(String v) throws ValueConversionException {
        choose(v, c -> {
            String n = c.type().name();
            // The engine's Decimal try takes no strings; its number tries no spaces around the digits.
            if (!c.acceptsJsonStrings() || n.startsWith("Decimal")
                    || number(n) && !v.isEmpty() && (v.charAt(0) <= ' ' || v.charAt(v.length() - 1) <= ' ')) {
                throw cannotTake(v, "a string");
            }
            c.appendString(v);
        });
    }

    /**
     * Writes the value into the first variant in the engine's order that takes it, and its discriminator.
     */
    private void choose(String text, ValueWrite<RuntimeException> write) throws ValueConversionException {
        int chosen = -1;
        List<String> refusals = new ArrayList<>();
        for (int k : order) {
            if (chosen >= 0 && !rank.get(k).equals(rank.get(chosen))) {
                break;
            }
            Column probe = probes[k];
            try {
                write.into(probe);
            } catch (ValueConversionException e) {
                if (chosen < 0 && keptShape[k] != null && keptShape[k].matcher(text).matches()) {
                    throw invalid(text, "would be read by ClickHouse as " + variants.get(k).type().text()
                            + ", adjusted to its range or calendar, where it is refused: " + e.getMessage());
                }
                refusals.add(e.getMessage());
                continue;
            } finally {
                probe.clear();
            }
            if (chosen >= 0) {
                throw invalid(text, "fits both " + variants.get(chosen).type().text() + " and " + variants.get(k).type().text()
                        + ", which ClickHouse ranks equally (its choice between them is not defined)");
            }
            chosen = k;
        }
        if (chosen < 0) {
            throw invalid(text, "fits none of the variants: " + String.join("; ", refusals));
        }
        appendTo(chosen, write);
    }

    /** Writes a whole array or object into the first variant that takes it. */
    @Override
    void appendWhole(RecordedValue value) throws ValueConversionException {
        choose(value.toString(), value::writeTo);
    }

    /**
     * Adds a variant of a type this Variant does not have, for this block only (a Dynamic column's
     * inferred types); values reach it through {@link #appendTo}. Returns its index.
     */
    int addVariant(Column variant) {
        variants.add(variant);
        return variants.size() - 1;
    }

    /** How many variants this block has. */
    int variantCount() {
        return variants.size();
    }

    @Override
    public int variantIndex(String typeText) {
        for (int i = 0; i < variants.size(); i++) {
            if (variants.get(i).type().text().equals(typeText)) {
                return i;
            }
        }
        return -1;
    }

    /** Writes the value into variant {@code k}, chosen by the caller, and its discriminator. */
    <E extends Exception> void appendTo(int k, ValueWrite<E> write) throws ValueConversionException, E {
        write.into(variants.get(k));
        data.writeByte(k);
    }

    @Override
    public Column variantElement(int index) {
        return variants.get(index);
    }

    @Override
    public void endVariant(int index) {
        data.writeByte(index);
    }

    @Override
    public void mark() {
        super.mark();
        for (Column v : variants) {
            v.mark();
        }
    }

    @Override
    public void rollback() {
        super.rollback();
        for (Column v : variants) {
            v.rollback();
        }
    }

    @Override
    public void clear() {
        super.clear();
        variants.subList(declared, variants.size()).clear();
        for (Column v : variants) {
            v.clear();
        }
    }

    @Override
    public long byteSize() {
        long n = super.byteSize();
        for (Column v : variants) {
            n += v.byteSize();
        }
        return n;
    }

    @Override
    public void writePrefix(NativeBuffer out) {
        out.writeLong(0); // discriminators mode BASIC
        for (int i : blockOrder()) {
            variants.get(i).writePrefix(out);
        }
    }

    @Override
    public void writeTo(NativeBuffer out) {
        int[] blockOrder = blockOrder();
        int[] discriminator = new int[blockOrder.length];
        boolean same = true;
        for (int position = 0; position < blockOrder.length; position++) {
            discriminator[blockOrder[position]] = position;
            same &= blockOrder[position] == position;
        }
        if (same) {
            super.writeTo(out);
        } else {
            byte[] bytes = data.array();
            for (int i = 0; i < data.size(); i++) {
                int k = bytes[i] & 0xFF;
                out.writeByte(k == NULL ? NULL : discriminator[k]);
            }
        }
        for (int i : blockOrder) {
            variants.get(i).writeTo(out);
        }
    }

    @Override
    public String toString() {
        return type().text() + " tried in order " + Arrays.toString(order);
    }
}
