package dev.clickpipes.clickhouse.sink;

import dev.clickpipes.clickhouse.ClickHouseException;
import dev.clickpipes.clickhouse.ClickHouseTransport;
import java.util.Map;

/**
 * The settings sent with every insert so that deduplicating tables (Replicated*, Shared*, a
 * MergeTree with {@code non_replicated_deduplication_window}) neither drop a batch nor double a
 * retried one.
 *
 * <p>Such a table drops an insert block identical to one of its last N blocks. Two different
 * batches can be identical (heartbeats, a quiet topic, single-record inserts while a refused
 * batch is split), so every insert carries {@code insert_deduplication_token} naming the source
 * records it holds: the server then compares tokens, not contents, and a retry of the same batch
 * (whose first attempt landed though its answer was lost) is dropped instead of doubled. A server
 * without that setting (before 22.2; Debian's 18.16) gets {@code insert_deduplicate=0} instead, so
 * nothing is dropped, and a retry may double a batch: plain at-least-once.
 */
final class InsertSettings {

    private final boolean tokens;

    private InsertSettings(boolean tokens) {
        this.tokens = tokens;
    }

    /** Asks the server whether it knows {@code insert_deduplication_token}. */
    static InsertSettings probe(ClickHouseTransport transport) throws ClickHouseException {
        String known = transport.query("SELECT count() FROM system.settings WHERE name = 'insert_deduplication_token'");
        return new InsertSettings(!"0".equals(known.strip()));
    }

    /** Whether inserts carry a deduplication token (else they turn deduplication off). */
    boolean sendsTokens() {
        return tokens;
    }

    /** The settings for one insert whose records {@code token} names. */
    Map<String, String> forInsert(String token) {
        if (!tokens) {
            return Map.of("insert_deduplicate", "0");
        }
        return Map.of("insert_deduplication_token", token);
    }
}
