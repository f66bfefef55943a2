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
 * per partition its name and the first and last offset ({@link SourcePosition#partition()},
 * {@link SourcePosition#offsetText()}), and a 64-bit digest of the records' bytes, such as
 * {@code events/orders-0@100..orders-0@199#5f0c9a1e22b7d3c4}. The same records always get the same
 * token (a retry, or a replay after a restart, is dropped by a deduplicating table) and different
 * records practically never share one: two identical batches at other positions are both kept, and
 * so are other records at positions seen before (a source whose positions start again: a rewritten
 * object, whose new version is another partition, a re-created topic, a new in-memory stream), unless
 * their 64-bit digests collide. Tokens longer than {@value #MAX_READABLE} characters (many
 * partitions in one batch) are replaced by the pipe's name and a SHA-256 of the long form.
 *
 * <p>The digest is XXH64 ({@link XxHash64}); it was 64 bits of a SHA-256 before, which cost about
 * a fifth of the pipe's CPU. Changing it changed every token: a batch inserted before an upgrade
 * and replayed after it carries another token, so the table's deduplication does not drop it. In
 * exactly-once mode the ledger still holds below a partition's mark (those records are dropped
 * before any insert), but a pending range (sent, acknowledgement not recorded) is re-sent and only
 * the server's deduplication by token drops it: one interrupted across the upgrade may be doubled
 * ({@code close()} before upgrading leaves none pending). At-least-once may duplicate on a replay
 * anyway.
 */
final class InsertTokens {

    static final int MAX_READABLE = 200;

    private InsertTokens() {
    }

    /** The token for an insert of these records; {@code suffix} tells apart inserts of the same records into other tables. */
    static String of(String pipe, List<SourceRecord> records, String suffix) {
        // each partition's first and last record: their positions are built only for the token
        Map<String, SourceRecord[]> ranges = new LinkedHashMap<>();
        String partition = null;
        SourceRecord[] run = null;
        for (SourceRecord r : records) {
            // a batch's records mostly come in runs of one partition: look the range up once per run
            if (run == null || !r.partition().equals(partition)) {
                partition = r.partition();
                run = ranges.computeIfAbsent(partition, k -> new SourceRecord[] {r, r});
            }
            run[1] = r;
        }
        StringBuilder token = new StringBuilder(pipe);
        for (Map.Entry<String, SourceRecord[]> range : ranges.entrySet()) {
            // partition@offset, not toString(): an object's partition holds its version, its toString() does not
            token.append('/').append(range.getKey()).append('@').append(range.getValue()[0].position().offsetText())
                    .append("..").append(range.getKey()).append('@').append(range.getValue()[1].position().offsetText());
        }
        token.append('#').append(contentDigest(records));
        token.append(suffix);
        if (token.length() <= MAX_READABLE) {
            return token.toString();
        }
        return pipe + "/sha256:" + sha256(token.toString()) + suffix;
    }

    /** XXH64 over the records' bytes, each preceded by its length, as 16 hex digits. */
    private static String contentDigest(List<SourceRecord> records) {
        XxHash64 digest = new XxHash64();
        for (SourceRecord r : records) {
            digest.updateInt(r.length()).update(r.data(), r.offset(), r.length());
        }
        return HexFormat.of().toHexDigits(digest.value());
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
