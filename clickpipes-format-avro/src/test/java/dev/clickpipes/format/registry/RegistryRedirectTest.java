package dev.clickpipes.format.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Credentials never follow a redirect to another host; same-origin redirects still work; URLs in errors are masked. */
class RegistryRedirectTest {

    static final int A = 20510;
    static final int B = 20511;
    static final String SCHEMA = "{\"schema\":\"{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"R\\\",\\\"fields\\\":[]}\"}";

    HttpServer a;
    HttpServer b;
    final List<String> seenByB = new CopyOnWriteArrayList<>();
    final List<String> seenByA = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        a = HttpServer.create(new InetSocketAddress("127.0.0.1", A), 0);
        a.createContext("/", ex -> {
            seenByA.add(ex.getRequestURI().getPath() + " " + ex.getRequestHeaders().getFirst("Authorization"));
            String path = ex.getRequestURI().getPath();
            if (path.startsWith("/elsewhere/")) {
                ex.getResponseHeaders().add("Location", "http://127.0.0.1:" + B + path.substring("/elsewhere".length()));
                ex.sendResponseHeaders(307, -1);
            } else if (path.startsWith("/moved/")) {
                ex.getResponseHeaders().add("Location", path.substring("/moved".length()));
                ex.sendResponseHeaders(301, -1);
            } else {
                byte[] body = SCHEMA.getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            }
            ex.close();
        });
        b = HttpServer.create(new InetSocketAddress("127.0.0.1", B), 0);
        b.createContext("/", ex -> {
            seenByB.add(ex.getRequestURI().getPath() + " " + ex.getRequestHeaders().getFirst("Authorization"));
            byte[] body = SCHEMA.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        a.start();
        b.start();
    }

    @AfterEach
    void stop() {
        a.stop(0);
        b.stop(0);
    }

    @Test
    void credentialsAreNotSentOnARedirectToAnotherHost() {
        SchemaRegistry r = SchemaRegistry.builder().url("http://127.0.0.1:" + A + "/elsewhere").basicAuth("u", "secret").build();
        assertThatThrownBy(() -> r.schema(1)).isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("not followed with the credentials of user u to another host")
                .hasMessageNotContaining("secret");
        assertThat(seenByB).isEmpty();
    }

    @Test
    void sameOriginRedirectsAreFollowedWithCredentials() throws Exception {
        SchemaRegistry r = SchemaRegistry.builder().url("http://127.0.0.1:" + A + "/moved").basicAuth("u", "secret").build();
        assertThat(avro(r, 1).getName()).isEqualTo("R");
        assertThat(seenByA).allMatch(s -> s.endsWith(" Basic dTpzZWNyZXQ="));
        assertThat(seenByA).contains("/schemas/ids/1 Basic dTpzZWNyZXQ=");
    }

    @Test
    void withoutCredentialsARedirectToAnotherHostIsFollowed() throws Exception {
        SchemaRegistry r = SchemaRegistry.of("http://127.0.0.1:" + A + "/elsewhere");
        assertThat(avro(r, 1).getName()).isEqualTo("R");
        assertThat(seenByB).containsExactly("/schemas/ids/1 null");
    }

    @Test
    void urlsInErrorsAreMasked() {
        assertThatThrownBy(() -> SchemaRegistry.of("https://user:secret@reg istry/x?token=secret"))
                .hasMessageNotContaining("secret").hasMessageContaining("***@");
        assertThatThrownBy(() -> SchemaRegistry.of("ftp://user:secret@registry/x"))
                .hasMessageNotContaining("secret");
    }

    /** The Avro schema the registry holds under this id. */
    private static org.apache.avro.Schema avro(SchemaRegistry registry, int id) throws SchemaRegistryException {
        return dev.clickpipes.format.avro.AvroRegistrySchemas.parse(registry, registry.schema(id));
    }
}
