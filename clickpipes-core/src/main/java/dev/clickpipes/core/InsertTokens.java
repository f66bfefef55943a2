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
 * Deduplication tokens: a name for exactly the source records one insert holds, the pipe's name,
 * per partition the first and last position, and a digest of the records' bytes, such as
 * {@code events/orders-0@100..orders-0@199#5f0c9a1e22b7d3c4}. The same records always get the same
 * token (a retry, or a replay after a restart, is dropped by a deduplicating table) and different
 * records never share one: two identical batches at other positions are both kept, and so are
 * other records at positions seen before (a source whose positions start again: a rewritten
 * object, a re-created topic, a new in-memory stream). Tokens longer than {@value #MAX_READABLE}
 * characters (many partitions in one batch) are replaced by the pipe's name and a SHA-256 of the
 * long form.
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
        token.append('#').append(contentDigest(records));
        token.append(suffix);
        if (token.length() <= MAX_READABLE) {
            return token.toString();
        }
        return pipe + "/sha256:" + sha256(token.toString()) + suffix;
    }

    /** 64 bits of a SHA-256 over the records' bytes, each preceded by its length. */
    private static String contentDigest(List<SourceRecord> records) {
        MessageDigest digest = sha256();
        byte[] length = new byte[4];
        for (SourceRecord r : records) {
            int n = r.length();
            length[0] = (byte) (n >>> 24);
            length[1] = (byte) (n >>> 16);
            length[2] = (byte) (n >>> 8);
            length[3] = (byte) n;
            digest.update(length);
            digest.update(r.data(), r.offset(), n);
        }
        return HexFormat.of().formatHex(digest.digest(), 0, 8);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static String sha256(String text) {
        return HexFormat.of().formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
