package dev.clickpipes.core.spi;

/**
 * Compares {@link SourcePosition#offsetText()} values: numbers joined by {@code '/'}, compared
 * number by number (numerically, however many digits), a missing number counting as less.
 */
public final class Offsets {

    private Offsets() {
    }

    /** Negative, zero or positive as {@code a} is before, at or after {@code b}. */
    public static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int endA = end(a, i);
            int endB = end(b, j);
            int c = compareNumber(a, i, endA, b, j, endB);
            if (c != 0) {
                return c;
            }
            i = endA + 1;
            j = endB + 1;
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    private static int end(String s, int from) {
        int slash = s.indexOf('/', from);
        return slash < 0 ? s.length() : slash;
    }

    private static int compareNumber(String a, int i, int endA, String b, int j, int endB) {
        while (i < endA - 1 && a.charAt(i) == '0') {
            i++; // leading zeros do not count
        }
        while (j < endB - 1 && b.charAt(j) == '0') {
            j++;
        }
        int lengths = Integer.compare(endA - i, endB - j);
        if (lengths != 0) {
            return lengths;
        }
        for (; i < endA; i++, j++) {
            int c = Character.compare(a.charAt(i), b.charAt(j));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
