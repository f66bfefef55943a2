package dev.clickpipes.definition;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as a definition writes them: {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h},
 * {@code 7d}, or ISO-8601 ({@code PT5S}). Shared by definitions and the command line.
 */
public final class DurationText {

    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private DurationText() {
    }

    /** The forms accepted, for messages. */
    public static String forms() {
        return KeyType.DURATION.forms();
    }

    /**
     * Reads a duration.
     *
     * @throws IllegalArgumentException naming the forms accepted
     */
    public static Duration parse(String text) {
        Duration d = parseOrNull(text.strip());
        if (d == null) {
            throw new IllegalArgumentException("expected a duration: " + forms() + ", got '" + text + "'");
        }
        return d;
    }

    static Duration parseOrNull(String s) {
        Matcher m = SHORT.matcher(s);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
