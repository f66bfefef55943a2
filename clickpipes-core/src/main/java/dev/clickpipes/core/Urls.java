package dev.clickpipes.core;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** URLs as messages may show them: never with credentials. */
public final class Urls {

    /**
     * Query parameters that sign or authorize a request: S3 and GCS presigned URLs (V4 and V2),
     * CloudFront and Azure signatures, tokens. Matched by name, case-insensitively, after {@code ?} or {@code &}.
     */
    private static final Pattern SIGNING_PARAMETER = Pattern.compile("[?&](x-amz-signature|x-amz-credential"
            + "|x-amz-security-token|x-goog-signature|x-goog-credential|signature|sig|awsaccesskeyid|googleaccessid"
            + "|key-pair-id|access_token|token|password)=", Pattern.CASE_INSENSITIVE);

    private Urls() {
    }

    /**
     * What in this URL is a secret, for a message refusing it: {@code "credentials (user:password@)"},
     * {@code "a signed query (X-Amz-Signature=...)"} naming the first signing parameter, or null
     * when there is neither. Works on malformed URLs as {@link #mask} does.
     */
    public static String secretIn(String url) {
        if (url == null) {
            return null;
        }
        String s = url.strip();
        int authority = authorityStart(s);
        int end = authorityEnd(s, authority);
        if (s.lastIndexOf('@', end - 1) >= authority) {
            return "credentials (user:password@)";
        }
        Matcher m = SIGNING_PARAMETER.matcher(s);
        if (m.find(end)) {
            return "a signed query (" + m.group(1).toLowerCase(Locale.ROOT) + "=...)";
        }
        return null;
    }

    private static int authorityStart(String s) {
        int scheme = s.indexOf("://");
        if (scheme >= 0 && s.lastIndexOf('/', scheme - 1) < 0 && s.lastIndexOf('?', scheme - 1) < 0) {
            return scheme + 3;
        }
        return 0;
    }

    private static int authorityEnd(String s, int authority) {
        int end = authority;
        while (end < s.length() && "/?#".indexOf(s.charAt(end)) < 0) {
            end++;
        }
        return end;
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
        int authority = authorityStart(s);
        out.append(s, 0, authority);
        int end = authorityEnd(s, authority);
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
