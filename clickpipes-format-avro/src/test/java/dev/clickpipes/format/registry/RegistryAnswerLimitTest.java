package dev.clickpipes.format.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clickpipes.format.avro.TestSchemaRegistry;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A registry's answers are read up to a limit and within the timeout, whatever it sends. */
class RegistryAnswerLimitTest {

    static final int PORT = 20751;

    TestSchemaRegistry registry;

    @BeforeEach
    void start() throws Exception {
        registry = TestSchemaRegistry.start(PORT);
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    /** A record schema of {@code fields} long fields: about 40 bytes a field. */
    static String wide(int fields) {
        StringBuilder b = new StringBuilder("{\"type\":\"record\",\"name\":\"Wide\",\"fields\":[");
        for (int i = 0; i < fields; i++) {
            b.append(i == 0 ? "" : ",").append("{\"name\":\"field_").append(i).append("\",\"type\":\"long\"}");
        }
        return b.append("]}").toString();
    }

    @Test
    void anAnswerOverTheLimitIsRefusedFromItsLength() throws Exception {
        int id = registry.register("wide-value", wide(2_000)); // ~80 KB of schema
        SchemaRegistry small = SchemaRegistry.builder().url(registry.url()).maxResponseBytes(16 << 10).build();
        assertThatThrownBy(() -> small.schema(id)).isInstanceOf(SchemaRegistryException.class)
                .satisfies(e -> assertThat(((SchemaRegistryException) e).reason())
                        .isEqualTo(SchemaRegistryException.Reason.INVALID))
                .hasMessageContaining(registry.url() + "/schemas/ids/" + id)
                .hasMessageContaining("over the limit of 16384 bytes (SchemaRegistry.maxResponseBytes");
        // the default (8 MB) reads it
        assertThat(avro(SchemaRegistry.of(registry.url()), id).getFields()).hasSize(2_000);
    }

    @Test
    void anEndlessAnswerIsNotReadToItsEnd() {
        int id = registry.register("orders-value", wide(1));
        registry.padAnswers(4L << 30, 0); // 4 GiB of padding, chunked: no length to refuse it by
        SchemaRegistry r = SchemaRegistry.builder().url(registry.url()).timeout(Duration.ofSeconds(30)).build();
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> r.schema(id)).isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("answered schema id " + id + " with more than 8388608 bytes, over the limit of "
                        + "8388608 bytes (SchemaRegistry.maxResponseBytes, default 8388608); not read further");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("endless answer refused after %d ms; the registry had sent %d bytes%n", ms, registry.bytesSent());
        assertThat(registry.requests()).isEqualTo(1); // not retried: the answer is wrong, not the connection
        // the limit, plus what the sockets' buffers held when the client let go
        assertThat(registry.bytesSent()).isLessThan(64L << 20);
    }

    @Test
    void anAnswerTricklingPastTheTimeoutFails() {
        int id = registry.register("orders-value", wide(1));
        registry.padAnswers(1L << 20, 100); // 1 MB, 64 KB every 100 ms: 1.6 s
        SchemaRegistry r = SchemaRegistry.builder().url(registry.url()).timeout(Duration.ofMillis(500)).build();
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> r.schema(id)).isInstanceOf(SchemaRegistryException.class)
                .satisfies(e -> assertThat(((SchemaRegistryException) e).reason())
                        .isEqualTo(SchemaRegistryException.Reason.UNAVAILABLE))
                .hasMessageContaining("no whole answer within PT0.5S");
        // three attempts of 0.5 s and the pauses between them (0.2 s, 0.8 s), not 3 x 1.6 s
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(4_000);
    }

    @Test
    void theLimitIsCheckedAtBuild() {
        assertThatThrownBy(() -> SchemaRegistry.builder().url(registry.url()).maxResponseBytes(10))
                .hasMessageContaining("SchemaRegistry.maxResponseBytes must be 1024 bytes or more, was 10");
    }

    /** The Avro schema the registry holds under this id. */
    private static org.apache.avro.Schema avro(SchemaRegistry registry, int id) throws SchemaRegistryException {
        return dev.clickpipes.format.avro.AvroRegistrySchemas.parse(registry, registry.schema(id));
    }
}
