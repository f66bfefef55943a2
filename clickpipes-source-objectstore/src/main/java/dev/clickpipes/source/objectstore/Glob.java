package dev.clickpipes.source.objectstore;

import java.util.regex.Pattern;

/**
 * A key pattern as ClickPipes writes them: {@code ?} one character, {@code *} any run of
 * characters but {@code /}, {@code **} any run including {@code /}, {@code {a,b}} one of the
 * alternatives, {@code {N..M}} a number from N to M (zero-padded like N or M when either is).
 * Listing starts from the longest literal prefix, the part before the first wildcard.
 */
final class Glob {

    private final String pattern;
    private final String prefix;
    private final Pattern regex;

    private Glob(String pattern) {
        this.pattern = pattern;
        int first = firstWildcard(pattern);
        this.prefix = first < 0 ? pattern : pattern.substring(0, first);
        this.regex = Pattern.compile(translate(pattern, 0, pattern.length()));
    }

    /**
     * Compiles a pattern.
     *
     * @throws IllegalArgumentException for an unclosed {@code {}, or a range that is not N..M
     */
    static Glob of(String pattern) {
        return new Glob(pattern);
    }

    /** The literal part before the first wildcard, where listing starts. */
    String prefix() {
        return prefix;
    }

    /** True when the pattern has no wildcard at all (one object). */
    boolean literal() {
        return prefix.equals(pattern);
    }

    /** True when {@code key} matches the whole pattern. */
    boolean matches(String key) {
        return regex.matcher(key).matches();
    }

    @Override
    public String toString() {
        return pattern;
    }

    private static int firstWildcard(String p) {
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '*' || c == '?' || c == '{') {
                return i;
            }
        }
        return -1;
    }

    private String translate(String p, int from, int to) {
        StringBuilder re = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = from; i < to; i++) {
            char c = p.charAt(i);
            if (c != '*' && c != '?' && c != '{') {
                literal.append(c);
                continue;
            }
            if (!literal.isEmpty()) {
                re.append(Pattern.quote(literal.toString()));
                literal.setLength(0);
            }
            if (c == '?') {
                re.append("[^/]");
            } else if (c == '*') {
                if (i + 1 < to && p.charAt(i + 1) == '*') {
                    re.append(".*");
                    i++;
                } else {
                    re.append("[^/]*");
                }
            } else {
                int close = p.indexOf('}', i);
                if (close < 0 || close >= to) {
                    throw new IllegalArgumentException("url pattern " + pattern + ": `{` at " + i
                            + " is not closed; write {a,b} for alternatives or {1..9} for a range");
                }
                re.append(braces(p.substring(i + 1, close)));
                i = close;
            }
        }
        if (!literal.isEmpty()) {
            re.append(Pattern.quote(literal.toString()));
        }
        return re.toString();
    }

    private String braces(String body) {
        int dots = body.indexOf("..");
        if (dots >= 0 && !body.contains(",")) {
            String a = body.substring(0, dots);
            String b = body.substring(dots + 2);
            if (!a.matches("-?\\d+") || !b.matches("-?\\d+")) {
                throw new IllegalArgumentException("url pattern " + pattern + ": {" + body
                        + "} is not a range of whole numbers; write {1..10}");
            }
            long lo = Long.parseLong(a);
            long hi = Long.parseLong(b);
            if (lo > hi) {
                long t = lo;
                lo = hi;
                hi = t;
            }
            if (hi - lo > 100_000) {
                throw new IllegalArgumentException("url pattern " + pattern + ": {" + body
                        + "} spans more than 100000 numbers; use * instead");
            }
            int width = (a.startsWith("0") && a.length() > 1) || (b.startsWith("0") && b.length() > 1)
                    ? Math.max(a.length(), b.length()) : 0;
            StringBuilder alt = new StringBuilder("(?:");
            for (long n = lo; n <= hi; n++) {
                alt.append(n > lo ? "|" : "").append(width > 0 ? String.format("%0" + width + "d", n) : Long.toString(n));
            }
            return alt.append(')').toString();
        }
        StringBuilder alt = new StringBuilder("(?:");
        String[] options = body.split(",", -1);
        for (int k = 0; k < options.length; k++) {
            alt.append(k > 0 ? "|" : "").append(translate(options[k], 0, options[k].length()));
        }
        return alt.append(')').toString();
    }
}
