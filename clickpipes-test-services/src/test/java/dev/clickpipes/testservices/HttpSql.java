package dev.clickpipes.testservices;

import dev.clickpipes.clickhouse.ClickHouseException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Runs SQL on a {@link ChdbServerProcess} over plain HTTP (the JDK's client), for tests of this module. */
final class HttpSql {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final ChdbServerProcess server;

    HttpSql(ChdbServerProcess server) {
        this.server = server;
    }

    /** The output (TabSeparated), or the server's error as a ClickHouseException with its code. */
    String query(String sql) throws ClickHouseException {
        HttpResponse<String> r;
        try {
            r = HTTP.send(HttpRequest.newBuilder(URI.create(server.endpoint() + "/"))
                    .header("X-ClickHouse-User", server.user())
                    .header("X-ClickHouse-Key", server.password())
                    .POST(HttpRequest.BodyPublishers.ofString(sql)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw ClickHouseException.unreachable(server.endpoint(), e);
        }
        if (r.statusCode() != 200) {
            throw ClickHouseException.fromServerMessage(server.endpoint(), r.body());
        }
        return r.body();
    }
}
