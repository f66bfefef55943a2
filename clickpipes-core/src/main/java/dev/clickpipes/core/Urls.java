package dev.clickpipes.core;

/** URLs as messages may show them: never with credentials. */
public final class Urls {

    private Urls() {
    }

    /**
     * The URL with its user info ({@code user:password@}) and its query and fragment (which may
     * carry {@code ?password=}, tokens, signatures) replaced by {@code ***}; the scheme, host, port
     * and path stay, so the message still says where. Works on malformed URLs too (it does not parse
     * them): anything before an {@code @} that precedes the path is taken for user info.
     */
    public static String mask(String url) {
        if (url == null) {
            return null;
        }
        String s = url.strip();
        StringBuilder out = new StringBuilder(s.length());
        int scheme = s.indexOf("://");
        int authority = 0;
        if (scheme >= 0 && s.lastIndexOf('/', scheme - 1) < 0 && s.lastIndexOf('?', scheme - 1) < 0) {
            authority = scheme + 3;
        }
        out.append(s, 0, authority);
        int end = authority;
        while (end < s.length() && "/?#".indexOf(s.charAt(end)) < 0) {
            end++;
        }
        int at = s.lastIndexOf('@', end - 1);
        if (at >= authority) {
            out.append("***@");
            out.append(s, at + 1, end);
        } else {
            out.append(s, authority, end);
        }
        int query = s.length();
        for (int i = end; i < s.length(); i++) {
            if (s.charAt(i) == '?' || s.charAt(i) == '#') {
                query = i;
                break;
            }
        }
        out.append(s, end, query);
        if (query < s.length()) {
            out.append(s.charAt(query)).append("***");
        }
        return out.toString();
    }
}
