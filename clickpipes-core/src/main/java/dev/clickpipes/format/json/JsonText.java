package dev.clickpipes.format.json;

/** Writing JSON text: a string as a quoted JSON string, for values rendered back as JSON. */
public final class JsonText {

    private JsonText() {
    }

    /** Appends {@code s} as a JSON string: quoted, with {@code "}, {@code \} and control characters escaped. */
    public static void appendQuoted(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }
}
