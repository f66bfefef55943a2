package dev.clickpipes.clickhouse.sink;

/**
 * A stable merge sort of row numbers by a {@link KeyColumn}: equal rows keep their order, so the
 * same rows always give the same block (block-hash deduplication) and the engine's own stable sort
 * would leave it as it is.
 */
final class StableSort {

    private static final int INSERTION = 24;

    private StableSort() {
    }

    /** Rows {@code 0..n-1} in key order, or null when they already are in it. */
    static int[] order(int n, KeyColumn key) {
        boolean sorted = true;
        for (int i = 1; i < n && sorted; i++) {
            sorted = key.compare(i - 1, i) <= 0;
        }
        if (sorted) {
            return null;
        }
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
        }
        sort(rows, rows.clone(), 0, n, key);
        return rows;
    }

    /** Sorts {@code a[from, to)}; {@code b} holds the same values there on entry and is scratch. */
    private static void sort(int[] a, int[] b, int from, int to, KeyColumn key) {
        if (to - from <= INSERTION) {
            for (int i = from + 1; i < to; i++) {
                int v = a[i];
                int j = i - 1;
                while (j >= from && key.compare(a[j], v) > 0) {
                    a[j + 1] = a[j];
                    j--;
                }
                a[j + 1] = v;
            }
            return;
        }
        int mid = (from + to) >>> 1;
        // Sort both halves into b (a as their scratch), then merge them back into a.
        sort(b, a, from, mid, key);
        sort(b, a, mid, to, key);
        if (key.compare(b[mid - 1], b[mid]) <= 0) {
            System.arraycopy(b, from, a, from, to - from);
            return;
        }
        for (int i = from, l = from, r = mid; i < to; i++) {
            // "<= 0": on a tie the left (earlier) row goes first.
            a[i] = r >= to || (l < mid && key.compare(b[l], b[r]) <= 0) ? b[l++] : b[r++];
        }
    }
}
