package dev.clickpipes.core;

import dev.clickpipes.core.spi.SourcePosition;
import dev.clickpipes.core.spi.SourceRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deduplication tokens: a name for exactly the source records one insert holds, the pipe's name
 * and, per partition, the first and last position, such as {@code events/orders-0@100..orders-0@199}.
 * The same records always get the same token (a retry, or a replay after a restart, is dropped by
 * a deduplicating table) and different records never share one (two identical batches are both
 * kept). Tokens longer than {@value #MAX_READABLE} characters (many partitions in one batch) are
 * replaced by the pipe's name and a SHA-256 of the long form.
 */
final class InsertTokens {

    static final int MAX_READABLE = 200;

    private InsertTokens() {
    }

    /** The token for an insert of these records; {@code suffix} tells apart inserts of the same records into other tables. */
    static String of(String pipe, List<SourceRecord> records, String suffix) {
        Map<String, SourcePosition[]> ranges = new LinkedHashMap<>();
        for (SourceRecord r : records) {
            SourcePosition p = r.position();
            SourcePosition[] range = ranges.computeIfAbsent(p.partition(), k -> new SourcePosition[] {p, p});
            range[1] = p;
        }
        StringBuilder token = new StringBuilder(pipe);
        for (SourcePosition[] range : ranges.values()) {
            token.append('/').append(range[0]).append("..").append(range[1]);
        }
        token.append(suffix);
        if (token.length() <= MAX_READABLE) {
            return token.toString();
        }
        return pipe + "/sha256:" + sha256(token.toString()) + suffix;
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
