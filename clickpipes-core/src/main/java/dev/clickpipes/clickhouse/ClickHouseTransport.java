package dev.clickpipes.clickhouse;

import java.util.Map;

/**
 * The one thing the sink needs from a ClickHouse: run a statement, and insert a binary body.
 *
 * <p>Two implementations ship: the HTTP(S) transport in {@code clickpipes-sink-clickhouse} and
 * {@code EmbeddedClickHouse} in {@code clickpipes-testkit}, so the same sink code runs against a
 * server and against the in-process engine. Implementations are thread-safe.
 */
public interface ClickHouseTransport extends AutoCloseable {

    /**
     * Runs one statement and returns its result as TabSeparated text (empty for DDL).
     *
     * @param sql a statement without a FORMAT clause
     * @throws ClickHouseException with the server's code and message when it fails
     */
    String query(String sql) throws ClickHouseException;

    /**
     * Runs {@code insertSql} (an {@code INSERT ... FORMAT Native} statement, or another input
     * format) with {@code body[0, length)} as its data.
     *
     * @throws ClickHouseException with the server's code and message when it fails
     */
    default void insert(String insertSql, byte[] body, int length) throws ClickHouseException {
        insert(insertSql, Map.of(), body, length);
    }

    /**
     * Runs {@code insertSql} with {@code body[0, length)} as its data and these ClickHouse settings
     * for this statement only (such as {@code insert_deduplication_token}): URL parameters over
     * HTTP, a {@code SETTINGS} clause in the embedded engine.
     *
     * @param settings setting names and values, sent as given; empty for none
     * @throws ClickHouseException with the server's code and message when it fails
     */
    void insert(String insertSql, Map<String, String> settings, byte[] body, int length) throws ClickHouseException;

    /**
     * Makes statements in flight on other threads fail promptly with a {@link ClickHouseException}
     * (a request blocked in a socket read, say); later statements run as usual. Default: nothing
     * (a transport whose calls cannot block for long).
     */
    default void abortInFlight() {
    }

    /** Where this transport points, for messages and logs; never contains a password. */
    String describe();

    /** Releases connections; further calls fail. */
    @Override
    void close();
}
