package dev.clickpipes.clickhouse;

import dev.clickpipes.core.spi.SinkException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A failure reported by ClickHouse (or by the way to it), with ClickHouse's numeric error code when
 * there is one, classified into {@link SinkException.Kind} by the code.
 */
public class ClickHouseException extends SinkException {

    private static final Pattern CODE = Pattern.compile("Code: (\\d+)");

    private final int code;

    /** Creates an exception of the given kind; {@code code} is ClickHouse's error code, or 0. */
    public ClickHouseException(Kind kind, int code, String message, Throwable cause) {
        super(kind, message, cause);
        this.code = code;
    }

    /**
     * An exception from a server message such as {@code "Code: 60. DB::Exception: ..."}, classified
     * by its code. A message without a code (from a proxy, or cut short) is {@link Kind#RETRYABLE}:
     * nothing says ClickHouse refused a row, so no row may be filed for it.
     */
    public static ClickHouseException fromServerMessage(String where, String message) {
        String text = message == null ? "" : message.strip();
        int code = codeOf(text);
        return new ClickHouseException(ErrorCodes.classify(code, text), code, where + ": " + text, null);
    }

    /** The failure to reach the server at all (connection refused, reset, timed out). */
    public static ClickHouseException unreachable(String where, Throwable cause) {
        return new ClickHouseException(Kind.RETRYABLE, 0,
                where + " is unreachable: " + cause, cause);
    }

    /** ClickHouse's error code in the message, or 0. */
    public static int codeOf(String message) {
        Matcher m = CODE.matcher(message == null ? "" : message);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    /** ClickHouse's numeric error code, or 0 when the failure did not come from ClickHouse. */
    public int code() {
        return code;
    }
}
