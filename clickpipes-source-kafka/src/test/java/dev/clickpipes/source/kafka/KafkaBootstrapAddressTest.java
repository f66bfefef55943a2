package dev.clickpipes.source.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Credentials written into a bootstrap address are refused, and never echoed. */
class KafkaBootstrapAddressTest {

    @Test
    void anAddressWithCredentialsIsRefusedWithoutShowingThem() {
        assertThatThrownBy(() -> KafkaSource.builder().bootstrapServers("b1:9092,SASL_SSL://alice:s3cret@b2:9092")
                .topics("t").build())
                .hasMessageContaining("'SASL_SSL://***@b2:9092' carries credentials")
                .hasMessageContaining(".security(Security.saslSsl(Sasl.plain(user, password), Tls.system()))")
                .hasMessageNotContaining("s3cret").hasMessageNotContaining("alice");
        // Kafka itself would take it (its address parser skips what comes before the host)
        assertThatThrownBy(() -> KafkaSource.builder().bootstrapServers("alice:s3cret@b2:9092").topics("t").build())
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void aMalformedAddressIsShownMasked() {
        assertThatThrownBy(() -> KafkaSource.builder().bootstrapServers("b1:9092/?password=s3cret").topics("t").build())
                .hasMessageContaining("'b1:9092/?***' is not host:port").hasMessageNotContaining("s3cret");
    }

    @Test
    void describeShowsTheAddresses() {
        assertThat(KafkaSource.builder().bootstrapServers("b1:9092,b2:9092").topics("t").groupId("g").build().describe())
                .isEqualTo("kafka[b1:9092,b2:9092 t group g]");
    }
}
