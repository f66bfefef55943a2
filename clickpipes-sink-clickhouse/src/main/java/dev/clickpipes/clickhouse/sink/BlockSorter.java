package dev.clickpipes.clickhouse.sink;

import dev.clickpipes.clickhouse.TableColumn;
import dev.clickpipes.clickhouse.TableSchema;
import dev.clickpipes.clickhouse.types.Column;
import dev.clickpipes.clickhouse.types.DataType;
import dev.clickpipes.clickhouse.types.NativeBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rewrites an insert's Native body, one or more blocks, as one block sorted by the table's sorting
 * key, so that the MergeTree writer finds it already sorted and skips its own sort (and the permuted
 * copy of every column) on the server. One block, not each block sorted: the server squashes the
 * blocks of an insert into one before it sorts. Every column is written with the same row order.
 * When the key or a column cannot be handled, the body goes as it is (logged once at INFO, naming why).
 */
final class BlockSorter {

    private static final Logger LOG = LoggerFactory.getLogger(BlockSorter.class);

    private final String table;
    private final SortingKey key;
    private final NativeBuffer sorted = new NativeBuffer(1 << 20);
    private final Set<String> told = new HashSet<>();
    private List<String> planHeaders;
    private Plan plan;

    BlockSorter(String table, SortingKey key) {
        this.table = table;
        this.key = key;
    }

    /** How the blocks of one set of columns are read and compared; or why they are not sorted. */
    private record Plan(NativeLayout[] layouts, int[] keyColumns, DataType[] keyTypes, boolean[] nullsAreDefaults,
                        String notSorted) {
    }

    /**
     * The body sorted by the key into {@link #sorted}, or {@code body} itself when it is already in order or
     * cannot be sorted.
     *
     * @param columns the columns each block of the body holds, in order (as {@link NativeBlock} wrote them)
     */
    NativeBuffer sort(NativeBuffer body, List<Column> columns, TableSchema schema) {
        Plan p = plan(columns, schema);
        if (p.notSorted != null) {
            if (told.add(p.notSorted)) {
                LOG.info("not sorting inserts into {} by its sorting key {}: {}; they go as decoded, and the server sorts",
                        table, key, p.notSorted);
            }
            return body;
        }
        try {
            return sorted(body, columns, p);
        } catch (RuntimeException e) {
            // An order only spares the server work: never worth failing an insert over.
            if (told.add("failed")) {
                LOG.warn("could not sort an insert into {} by its sorting key {}; it goes as decoded (and so will"
                        + " the next ones that fail)", table, key, e);
            }
            return body;
        }
    }

    private NativeBuffer sorted(NativeBuffer body, List<Column> columns, Plan p) {
        // Each block's slice of each column, in the order the body holds them.
        int n = columns.size();
        List<NativeLayout.Slice[]> blocks = new ArrayList<>();
        List<Integer> blockRows = new ArrayList<>();
        NativeCursor in = new NativeCursor(body.array(), 0, body.size());
        while (!in.atEnd()) {
            if (in.readVarUInt() != n) {
                throw new IllegalStateException("a block of the insert has another column count");
            }
            int rows = (int) in.readVarUInt();
            NativeLayout.Slice[] slices = new NativeLayout.Slice[n];
            for (int c = 0; c < n; c++) {
                if (!in.readString().equals(columns.get(c).name()) || !in.readString().equals(planHeaders.get(c))) {
                    throw new IllegalStateException("a block of the insert has other columns than its first");
                }
                p.layouts[c].skipPrefix(in);
                slices[c] = p.layouts[c].read(in, rows);
            }
            blocks.add(slices);
            blockRows.add(rows);
        }
        int[] rowsOf = blockRows.stream().mapToInt(Integer::intValue).toArray();
        KeyColumn[] key = keyOf(p, blocks, rowsOf);
        int total = Arrays.stream(rowsOf).sum();
        int[] permutation = key == null ? null : order(total, key);
        if (key == null) {
            LOG.debug("an insert into {} goes unsorted: a key column with a DEFAULT is NULL in it", table);
        }
        if (permutation == null) {
            return body; // in order already (the blocks squashed are one sorted block), or a key value unknown here
        }
        NativeLayout.Rows rows = rowsOf(permutation, rowsOf);
        sorted.clear();
        sorted.writeVarUInt(n);
        sorted.writeVarUInt(total);
        for (int c = 0; c < n; c++) {
            sorted.writeString(columns.get(c).name());
            sorted.writeString(planHeaders.get(c));
            NativeLayout.Slice[] column = new NativeLayout.Slice[blocks.size()];
            for (int b = 0; b < column.length; b++) {
                column[b] = blocks.get(b)[c];
            }
            p.layouts[c].writePrefix(sorted);
            p.layouts[c].write(column, rows, sorted);
        }
        return sorted;
    }

    /** The key's columns; null when one cannot give its values (a NULL its DEFAULT fills). */
    private static KeyColumn[] keyOf(Plan p, List<NativeLayout.Slice[]> blocks, int[] rowsOf) {
        KeyColumn[] parts = new KeyColumn[p.keyColumns.length];
        for (int k = 0; k < parts.length; k++) {
            NativeLayout.Slice[] column = new NativeLayout.Slice[blocks.size()];
            for (int b = 0; b < column.length; b++) {
                column[b] = blocks.get(b)[p.keyColumns[k]];
            }
            parts[k] = KeyColumns.of(p.keyTypes[k], p.nullsAreDefaults[k], column, rowsOf);
            if (parts[k] == null) {
                return null;
            }
        }
        return parts;
    }

    /** The rows in key order, null when they are in it; by a primitive sort of the first column when it is longs. */
    private static int[] order(int total, KeyColumn[] key) {
        KeyColumn whole = KeyColumns.chain(key);
        if (!(key[0] instanceof KeyColumns.Longs first)) {
            return StableSort.order(total, whole);
        }
        KeyColumn rest = key.length == 1 ? null : KeyColumns.chain(Arrays.copyOfRange(key, 1, key.length));
        return StableSort.order(total, first.values(), rest, whole);
    }

    /** Row numbers across blocks as (block, row in block) pairs. */
    private static NativeLayout.Rows rowsOf(int[] permutation, int[] blockRows) {
        int[] blockOf = new int[permutation.length];
        int[] base = new int[blockRows.length];
        for (int b = 0, g = 0; b < blockRows.length; b++) {
            base[b] = g;
            for (int r = 0; r < blockRows[b]; r++) {
                blockOf[g++] = b;
            }
        }
        int[] slice = new int[permutation.length];
        int[] row = new int[permutation.length];
        for (int i = 0; i < permutation.length; i++) {
            slice[i] = blockOf[permutation[i]];
            row[i] = permutation[i] - base[slice[i]];
        }
        return new NativeLayout.Rows(slice, row);
    }

    /** The plan for these columns, made once for a set of columns (a schema change makes new ones). */
    private Plan plan(List<Column> columns, TableSchema schema) {
        List<String> headers = columns.stream().map(Column::nativeTypeName).toList();
        if (!headers.equals(planHeaders)) {
            plan = newPlan(columns, headers, schema);
            planHeaders = headers;
        }
        return plan;
    }

    private Plan newPlan(List<Column> columns, List<String> headers, TableSchema schema) {
        if (key.notColumns() != null) {
            return notSorted(key.notColumns());
        }
        NativeLayout[] layouts = new NativeLayout[columns.size()];
        for (int c = 0; c < layouts.length; c++) {
            try {
                layouts[c] = NativeLayout.of(DataType.parse(headers.get(c)));
            } catch (IllegalArgumentException e) {
                return notSorted("column `" + columns.get(c).name() + "` is sent as " + headers.get(c)
                        + ", which the sink cannot reorder (Variant, Dynamic)");
            }
        }
        List<String> names = columns.stream().map(Column::name).toList();
        int k = key.columns().size();
        int[] keyColumns = new int[k];
        DataType[] keyTypes = new DataType[k];
        boolean[] nullsAreDefaults = new boolean[k];
        for (int i = 0; i < k; i++) {
            String name = key.columns().get(i);
            keyColumns[i] = names.indexOf(name);
            if (keyColumns[i] < 0) {
                return notSorted("key column `" + name + "` is not written by the pipe (MATERIALIZED, ALIAS or EPHEMERAL)");
            }
            keyTypes[i] = DataType.parse(headers.get(keyColumns[i]));
            DataType tableType = schema.columns().stream().filter(t -> t.name().equals(name)).map(TableColumn::type)
                    .findFirst().orElseThrow();
            String plain = tableType.name().equals("LowCardinality") ? tableType.argument(0).text() : tableType.text();
            String sent = keyTypes[i].text();
            // A DEFAULT column goes Nullable, its NULLs filled by the server: sortable while the insert has none.
            nullsAreDefaults[i] = !sent.equals(tableType.text()) && sent.equals("Nullable(" + plain + ")");
            if (!sent.equals(tableType.text()) && !sent.equals(plain) && !nullsAreDefaults[i]) {
                return notSorted("key column `" + name + "` of type " + tableType.text() + " is sent as " + sent);
            }
            if (!KeyColumns.supports(keyTypes[i])) {
                return notSorted("key column `" + name + "` has type " + tableType.text()
                        + ", which the sink does not compare (Array, Tuple, Map)");
            }
        }
        return new Plan(layouts, keyColumns, keyTypes, nullsAreDefaults, null);
    }

    private static Plan notSorted(String why) {
        return new Plan(null, null, null, null, why);
    }
}
