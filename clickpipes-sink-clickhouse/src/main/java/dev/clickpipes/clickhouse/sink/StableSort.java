package dev.clickpipes.clickhouse.sink;

import java.util.Arrays;

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
        if (inOrder(n, key)) {
            return null;
        }
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
        }
        sort(rows, rows.clone(), 0, n, key);
        return rows;
    }

    /**
     * Rows {@code 0..n-1} by {@code first}, then (among rows equal there) by {@code rest} when not null; null
     * when they already are in that order ({@code whole} is both, in one). The first column goes by a
     * primitive sort of its values and a stable counting placement by their rank, so a key that starts with
     * few distinct values (an event type) costs a pass, and each run of equal ones, often already in order
     * by the rest (a time), is only checked.
     */
    static int[] order(int n, long[] first, KeyColumn rest, KeyColumn whole) {
        if (inOrder(n, whole)) {
            return null;
        }
        long[] distinct = first.clone();
        Arrays.sort(distinct);
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (m == 0 || distinct[m - 1] != distinct[i]) {
                distinct[m++] = distinct[i];
            }
        }
        int[] rank = new int[n];
        int[] start = new int[m + 1];
        for (int r = 0; r < n; r++) {
            rank[r] = Arrays.binarySearch(distinct, 0, m, first[r]);
            start[rank[r] + 1]++;
        }
        for (int k = 0; k < m; k++) {
            start[k + 1] += start[k];
        }
        int[] rows = new int[n];
        int[] next = Arrays.copyOf(start, m);
        for (int r = 0; r < n; r++) {
            rows[next[rank[r]]++] = r; // rows in their order within a rank: stable
        }
        if (rest != null) {
            int[] scratch = rows.clone();
            for (int k = 0; k < m; k++) {
                if (!inOrder(rows, start[k], start[k + 1], rest)) {
                    sort(rows, scratch, start[k], start[k + 1], rest);
                }
            }
        }
        return rows;
    }

    /** Whether rows {@code 0..n-1} are in key order as they stand. */
    private static boolean inOrder(int n, KeyColumn key) {
        for (int i = 1; i < n; i++) {
            if (key.compare(i - 1, i) > 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean inOrder(int[] rows, int from, int to, KeyColumn key) {
        for (int i = from + 1; i < to; i++) {
            if (key.compare(rows[i - 1], rows[i]) > 0) {
                return false;
            }
        }
        return true;
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
