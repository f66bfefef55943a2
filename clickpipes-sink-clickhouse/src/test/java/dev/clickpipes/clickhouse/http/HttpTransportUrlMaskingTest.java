package dev.clickpipes.clickhouse.http;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** An endpoint that is refused is shown without its password, in the message and in any cause. */
class HttpTransportUrlMaskingTest {

    static void refusedWithoutSecret(String endpoint) {
        assertThatThrownBy(() -> HttpTransport.builder().endpoint(endpoint).credentials("default", "").build())
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> {
                    StringWriter trace = new StringWriter();
                    e.printStackTrace(new PrintWriter(trace));
                    org.assertj.core.api.Assertions.assertThat(trace.toString()).doesNotContain("secret");
                });
    }

    @Test
    void malformedEndpointsAreMasked() {
        refusedWithoutSecret("http://127.0.0.1:8123/?password=secret");
        refusedWithoutSecret("http://127.0.0.1:8123/db?user=u&password=secret");
        refusedWithoutSecret("http://u:secret@127.0.0.1:8123");
        refusedWithoutSecret("http://u:secret@127.0.0.1 :8123");
        refusedWithoutSecret("ftp://u:secret@127.0.0.1:8123");
        refusedWithoutSecret("http://127.0.0.1:8123 ?password=secret");
    }
}
