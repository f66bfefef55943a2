package dev.clickpipes.format.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clickpipes.format.avro.TestSchemaRegistry;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry client against the test registry: URL forms, caching, basic auth, TLS, references. */
class SchemaRegistryTest {

    static final int PORT = 19081;
    static final int TLS_PORT = 19082;
    static final String USER = "registry-user";
    static final String PASSWORD = "registry-pass-42";

    private static TestSchemaRegistry plain;
    private static TestSchemaRegistry secured;
    private static String caPem;
    @TempDir
    static Path dir;

    static final String V1 = """
        {"type": "record", "name": "Order", "namespace": "shop", "fields": [{"name": "id", "type": "long"}]}""";
    static final String V2 = """
        {"type": "record", "name": "Order", "namespace": "shop", "fields": [{"name": "id", "type": "long"},
          {"name": "note", "type": "string", "default": ""}]}""";

    @BeforeAll
    static void start() throws Exception {
        plain = TestSchemaRegistry.start(PORT);
        keytool("-genkeypair", "-alias", "registry", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "30", "-keystore", dir.resolve("registry.p12").toString(),
                "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit");
        keytool("-exportcert", "-rfc", "-alias", "registry", "-keystore", dir.resolve("registry.p12").toString(),
                "-storetype", "PKCS12", "-storepass", "changeit", "-file", dir.resolve("registry.pem").toString());
        caPem = Files.readString(dir.resolve("registry.pem"));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve("registry.p12"))) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        secured = TestSchemaRegistry.start(TLS_PORT, USER, PASSWORD, ctx);
    }

    @AfterAll
    static void stop() {
        plain.close();
        secured.close();
    }

    private static void keytool(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as(out).isTrue();
    }

    @Test
    void everyUrlFormFindsItsSchema() throws Exception {
        int id1 = plain.register("orders-value", V1);
        int id2 = plain.register("orders-value", V2);
        String base = plain.url();

        assertThat(SchemaRegistry.of(base).namesSchema()).isFalse();
        assertThat(avro(SchemaRegistry.of(base + "/"), id2).getField("note")).isNotNull();
        assertThat(SchemaRegistry.of(base + "/schemas/ids/" + id1).configuredSchema().id()).isEqualTo(id1);
        assertThat(SchemaRegistry.of(base + "/subjects/orders-value").configuredSchema().id()).isEqualTo(id2);
        assertThat(SchemaRegistry.of(base + "/subjects/orders-value/versions/latest").configuredSchema().id()).isEqualTo(id2);
        RegisteredSchema first = SchemaRegistry.of(base + "/subjects/orders-value/versions/1").configuredSchema();
        assertThat(first.id()).isEqualTo(id1);
        assertThat(first.version()).isEqualTo(1);
        assertThat(first.subject()).isEqualTo("orders-value");
        assertThatThrownBy(() -> SchemaRegistry.of(base).configuredSchema()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void urlsAreCheckedAtBuild() {
        assertThatThrownBy(() -> SchemaRegistry.of("registry:8081")).hasMessageContaining("http(s)://");
        assertThatThrownBy(() -> SchemaRegistry.of("http://u:p@registry:8081")).hasMessageContaining("basicAuth")
                .hasMessageNotContaining("u:p");
        assertThatThrownBy(() -> SchemaRegistry.of("http://registry/subjects/s/versions/x"))
                .hasMessageContaining("'x'");
        assertThatThrownBy(() -> SchemaRegistry.builder().build()).hasMessageContaining("url is not set");
        assertThat(RegistryUrl.parse("https://gw.example/api/ccompat/subjects/a%2Fb/versions/3").base.toString())
                .isEqualTo("https://gw.example/api/ccompat");
        assertThat(RegistryUrl.parse("https://gw.example/api/ccompat/subjects/a%2Fb/versions/3").subject).isEqualTo("a/b");
    }

    @Test
    void anIdIsFetchedOnceEvenByManyThreadsAtOnce() throws Exception {
        int id = plain.register("cached-value", """
            {"type": "record", "name": "Cached", "fields": [{"name": "x", "type": "int"}]}""");
        SchemaRegistry client = SchemaRegistry.of(plain.url());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<RegisteredSchema>> calls = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                calls.add(() -> client.schema(id));
            }
            for (Future<RegisteredSchema> f : pool.invokeAll(calls)) {
                assertThat(f.get().id()).isEqualTo(id);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(plain.requests("/schemas/ids/" + id)).isEqualTo(1);
    }

    @Test
    void unknownIdsAndSubjectsAreNotFound() {
        SchemaRegistry client = SchemaRegistry.of(plain.url());
        assertThatThrownBy(() -> client.schema(424242)).isInstanceOfSatisfying(SchemaRegistryException.class,
                e -> assertThat(e.reason()).isEqualTo(SchemaRegistryException.Reason.NOT_FOUND))
                .hasMessageContaining("schema id 424242").hasMessageContaining("404");
        assertThatThrownBy(() -> SchemaRegistry.of(plain.url() + "/subjects/nope").configuredSchema())
                .hasMessageContaining("subject nope");
    }

    @Test
    void unreachableRegistryIsUnavailableAfterRetries() {
        SchemaRegistry client = SchemaRegistry.of("http://127.0.0.1:19089");
        assertThatThrownBy(() -> client.schema(1)).isInstanceOfSatisfying(SchemaRegistryException.class,
                e -> assertThat(e.reason()).isEqualTo(SchemaRegistryException.Reason.UNAVAILABLE));
    }

    @Test
    void basicAuthOverTlsWithACustomCa() throws Exception {
        int id = secured.register("secure-value", V1);
        SchemaRegistry ok = SchemaRegistry.builder().url(secured.url()).basicAuth(USER, PASSWORD).caPem(caPem).build();
        assertThat(avro(ok, id).getFullName()).isEqualTo("shop.Order");
        assertThat(ok.toString()).contains(USER).doesNotContain(PASSWORD);

        SchemaRegistry wrong = SchemaRegistry.builder().url(secured.url()).basicAuth(USER, "nope-wrong").caPem(caPem).build();
        assertThatThrownBy(() -> wrong.schema(id)).isInstanceOfSatisfying(SchemaRegistryException.class,
                e -> assertThat(e.reason()).isEqualTo(SchemaRegistryException.Reason.UNAUTHORIZED))
                .hasMessageContaining(USER).hasMessageNotContaining("nope-wrong");

        SchemaRegistry anonymous = SchemaRegistry.builder().url(secured.url()).caPem(caPem).build();
        assertThatThrownBy(() -> anonymous.schema(id)).hasMessageContaining("without credentials");

        SchemaRegistry untrusting = SchemaRegistry.builder().url(secured.url()).basicAuth(USER, PASSWORD).build();
        assertThatThrownBy(() -> untrusting.schema(id)).hasMessageContaining("TLS");
    }

    @Test
    void referencedTypesAreResolved() throws Exception {
        plain.register("address", """
            {"type": "record", "name": "Address", "namespace": "shop", "fields": [{"name": "city", "type": "string"}]}""");
        int id = plain.register("customer-value", """
            {"type": "record", "name": "Customer", "namespace": "shop", "fields": [
              {"name": "name", "type": "string"}, {"name": "home", "type": "shop.Address"}]}""", List.of("address"));
        Schema s = avro(SchemaRegistry.of(plain.url()), id);
        assertThat(s.getField("home").schema().getField("city")).isNotNull();
    }

    /** The Avro schema the registry holds under this id. */
    private static org.apache.avro.Schema avro(SchemaRegistry registry, int id) throws SchemaRegistryException {
        return dev.clickpipes.format.avro.AvroRegistrySchemas.parse(registry, registry.schema(id));
    }
}
