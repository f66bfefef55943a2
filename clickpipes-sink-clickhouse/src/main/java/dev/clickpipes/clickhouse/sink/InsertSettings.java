package dev.clickpipes.clickhouse.sink;

import dev.clickpipes.clickhouse.ClickHouseException;
import dev.clickpipes.clickhouse.ClickHouseTransport;
import dev.clickpipes.clickhouse.SqlNames;
import dev.clickpipes.core.spi.SinkException;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The ClickHouse settings sent with every insert of a pipe: the user's ({@link
 * ClickHouseSink.Builder#insertSetting}) and the pipe's own, which the user's cannot override.
 *
 * <p>The pipe's own: deduplicating tables (Replicated*, Shared*, a MergeTree with {@code
 * non_replicated_deduplication_window}) drop an insert block identical to one of their last N
 * blocks. Two different batches can be identical (heartbeats, a quiet topic, single-record
 * inserts while a refused batch is split), so every insert carries {@code
 * insert_deduplication_token} naming the source records it holds: the server then compares
 * tokens, not contents, and a retry of the same batch (whose first attempt landed though its
 * answer was lost) is dropped instead of doubled. A server without that setting (before 22.2;
 * Debian's 18.16) gets {@code insert_deduplicate=0} instead, so nothing is dropped, and a retry
 * may double a batch: plain at-least-once.
 *
 * <p>{@code async_insert=1}: the pipe commits a source position once ClickHouse acknowledged the
 * insert, so the acknowledgement must mean the rows are in the table. That is {@code
 * wait_for_async_insert=1} (the answer comes after the server's buffer was flushed), which the
 * pipe sends itself; {@code wait_for_async_insert=0} (answered when the rows are only in the
 * server's memory: a server restart loses them after the pipe committed) is refused at {@code
 * build()}. With it goes {@code async_insert_deduplicate=1}, without which the server ignores the
 * token of an async insert.
 */
final class InsertSettings {

    private static final String TOKEN = "insert_deduplication_token";

    /** Settings the pipe or its transport sets itself, with why: never given by the user. */
    private static final Map<String, String> RESERVED = reserved();

    private final boolean tokens;
    private final Map<String, String> fixed;

    private InsertSettings(boolean tokens, Map<String, String> fixed) {
        this.tokens = tokens;
        this.fixed = fixed;
    }

    private static Map<String, String> reserved() {
        Map<String, String> m = new LinkedHashMap<>();
        String dedup = "the pipe sets it on every insert: deduplication by token is what keeps a retried batch"
                + " from being doubled (and makes exactly-once)";
        m.put(TOKEN, "the pipe sets it on every insert, naming the insert's records");
        m.put("insert_deduplicate", dedup);
        m.put("deduplicate_insert", dedup);
        m.put("async_insert_deduplicate", "the pipe sets it to 1 with async_insert=1, so the token still applies");
        m.put("wait_end_of_query", "the transport sets it, so an error is never answered as a success");
        String http = "it is a parameter of the HTTP request that the transport sets, not an insert setting";
        for (String p : new String[] {"query_id", "database", "default_format", "user", "password", "session_id",
                "session_timeout", "session_check", "compress", "decompress", "enable_http_compression", "role",
                "query"}) {
            m.put(p, http + " (database, compression and roles are HttpTransport.builder() options)");
        }
        return Collections.unmodifiableMap(m);
    }

    /**
     * Checks the user's settings as {@code build()} does.
     *
     * @throws IllegalArgumentException naming the first setting that is malformed, the pipe's own, or
     *     {@code wait_for_async_insert=0}
     */
    static void validate(Map<String, String> user) {
        for (Map.Entry<String, String> e : user.entrySet()) {
            String name = e.getKey();
            if (!SqlNames.isBareIdentifier(name)) {
                throw new IllegalArgumentException("ClickHouseSink.insertSetting: '" + name
                        + "' is not a ClickHouse setting name");
            }
            if (e.getValue() == null) {
                throw new IllegalArgumentException("ClickHouseSink.insertSetting " + name + " has no value");
            }
            String why = RESERVED.get(name.toLowerCase(Locale.ROOT));
            if (why != null) {
                throw new IllegalArgumentException("ClickHouseSink.insertSetting " + name + " cannot be set: " + why);
            }
        }
        if (isOn(user.get("async_insert")) && !isOn(user.getOrDefault("wait_for_async_insert", "1"))) {
            throw new IllegalArgumentException("ClickHouseSink.insertSetting wait_for_async_insert=0 with async_insert=1"
                    + " is refused: the server would acknowledge rows still in its memory, the pipe would commit"
                    + " their source positions, and a server restart would lose them. Leave wait_for_async_insert"
                    + " out (the pipe sends 1: acknowledged once flushed)");
        }
    }

    /**
     * Asks the server which of the settings it knows: the token, and each of the user's.
     *
     * @throws ClickHouseException FATAL naming the user's settings the server does not know
     */
    static InsertSettings probe(ClickHouseTransport transport, Map<String, String> user) throws ClickHouseException {
        Set<String> asked = new TreeSet<>(user.keySet());
        asked.add(TOKEN);
        asked.add("async_insert_deduplicate");
        String list = asked.stream().map(SqlNames::literal).collect(Collectors.joining(", "));
        Set<String> known = new HashSet<>(transport.query("SELECT name FROM system.settings WHERE name IN (" + list + ")")
                .lines().map(String::strip).toList());
        Set<String> unknown = new TreeSet<>(user.keySet());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw new ClickHouseException(SinkException.Kind.FATAL, 115, transport.describe() + " does not know the"
                    + " insert setting(s) " + unknown + " given to ClickHouseSink.insertSetting (server version "
                    + transport.query("SELECT version()").strip() + "); remove them or upgrade the server", null);
        }
        Map<String, String> fixed = new LinkedHashMap<>(user);
        if (isOn(user.get("async_insert"))) {
            fixed.put("wait_for_async_insert", "1");
            if (known.contains("async_insert_deduplicate")) {
                fixed.put("async_insert_deduplicate", "1");
            }
        }
        boolean tokens = known.contains(TOKEN);
        if (!tokens) {
            fixed.put("insert_deduplicate", "0");
        }
        return new InsertSettings(tokens, Collections.unmodifiableMap(fixed));
    }

    /** Whether inserts carry a deduplication token (else they turn deduplication off). */
    boolean sendsTokens() {
        return tokens;
    }

    /** The settings for one insert whose records {@code token} names. */
    Map<String, String> forInsert(String token) {
        if (!tokens) {
            return fixed;
        }
        Map<String, String> m = new LinkedHashMap<>(fixed);
        m.put(TOKEN, token);
        return m;
    }

    private static boolean isOn(String value) {
        return value != null && !value.strip().equals("0") && !value.strip().equalsIgnoreCase("false");
    }
}
