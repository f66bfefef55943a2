package dev.clickpipes.source.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clickpipes.core.Pipe;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every security mode against the real broker: PLAIN and SCRAM over plaintext, SCRAM-SHA-512 over
 * TLS, TLS and mutual TLS with keytool-made certificates; wrong secrets fail clearly and never show.
 */
class KafkaSecurityTest extends KafkaPipeTestSupport {

    private static final int N = 300;

    private void readsEverything(int port, Security security) throws Exception {
        String topic = topic(2);
        produce(topic, 2, 0, N);
        Pipe pipe = start(pipe("security", KafkaSource.builder().bootstrapServers(TestKafka.bootstrap(port))
                .topics(topic).security(security).build()).build());
        awaitIds(N);
        pipe.close();
        pipe.completion().get(30, TimeUnit.SECONDS); // completes normally: the pipe stopped without a failure
        assertNoLoss(N);
        assertThat(query("SELECT count() FROM $t")).isEqualTo(N);
    }

    @Test
    void saslPlain() throws Exception {
        readsEverything(TestKafka.SASL_PLAINTEXT, Security.saslPlaintext(Sasl.plain(TestKafka.USER, TestKafka.PASSWORD)));
    }

    @Test
    void scramSha256() throws Exception {
        readsEverything(TestKafka.SASL_PLAINTEXT,
                Security.saslPlaintext(Sasl.scramSha256(TestKafka.USER, TestKafka.PASSWORD)));
    }

    @Test
    void scramSha512OverTlsWithACustomCa() throws Exception {
        readsEverything(TestKafka.SASL_SSL,
                Security.saslSsl(Sasl.scramSha512(TestKafka.USER, TestKafka.PASSWORD), Tls.caPem(kafka.certs.caPem)));
    }

    @Test
    void tlsWithACaFile() throws Exception {
        readsEverything(TestKafka.SSL, Security.ssl(Tls.caPem(kafka.certs.dir.resolve("ca.pem"))));
    }

    @Test
    void mutualTls() throws Exception {
        TestCertificates c = kafka.certs;
        readsEverything(TestKafka.MTLS, Security.ssl(Tls.caPem(c.caPem).clientCertificatePem(c.clientCertPem, c.clientKeyPem)));
    }

    private Throwable failure(Security security, int port) throws Exception {
        String topic = topic(1);
        Pipe pipe = start(pipe("failing", KafkaSource.builder().bootstrapServers(TestKafka.bootstrap(port))
                .topics(topic).security(security).build()).build());
        try {
            pipe.completion().get(60, TimeUnit.SECONDS);
            throw new AssertionError("the pipe should have failed");
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    @Test
    void aWrongPasswordStopsThePipeWithAClearMessageThatHidesIt() throws Exception {
        Throwable e = failure(Security.saslPlaintext(Sasl.scramSha256(TestKafka.USER, "not-the-password-9")),
                TestKafka.SASL_PLAINTEXT);
        assertThat(e).hasMessageContaining("authentication failed for SCRAM-SHA-256(user alice)")
                .hasMessageContaining("check the user name, password and SASL mechanism")
                .hasMessageContaining("127.0.0.1:" + TestKafka.SASL_PLAINTEXT);
        assertThat(messages(e)).doesNotContain("not-the-password-9");
    }

    @Test
    void anUntrustedBrokerCertificateFailsTheHandshake() throws Exception {
        Throwable e = failure(Security.ssl(Tls.caPem(kafka.certs.otherCaPem)), TestKafka.SSL);
        assertThat(e).hasMessageContaining("TLS handshake failed");
    }

    @Test
    void mutualTlsWithoutAClientCertificateIsRefused() throws Exception {
        Throwable e = failure(Security.ssl(Tls.caPem(kafka.certs.caPem)), TestKafka.MTLS);
        assertThat(e).hasMessageContaining("TLS handshake failed");
    }

    private static String messages(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append(t).append('\n');
        }
        return sb.toString();
    }

    @Test
    void secretsNeverShowInToString() {
        Security s = Security.saslSsl(Sasl.scramSha512("bob", "s3cr3t-pw"),
                Tls.caPem(kafka.certs.caPem).clientCertificatePem(kafka.certs.clientCertPem, kafka.certs.clientKeyPem));
        assertThat(s.toString()).isEqualTo("SASL_SSL SCRAM-SHA-512(user bob) Tls[custom CA, client certificate]");
        KafkaSource source = KafkaSource.builder().bootstrapServers("b:9092").topics("t").security(s).build();
        assertThat(source.toString()).doesNotContain("s3cr3t").doesNotContain("PRIVATE KEY");
        assertThat(Sasl.plain("$ConnectionString", "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKey=abc").toString())
                .isEqualTo("PLAIN(user $ConnectionString)");
    }

    @Test
    void consumerPropertiesForEachMode() {
        Map<String, Object> p = KafkaSource.builder().bootstrapServers("b1:9092, b2:9092").topics("t")
                .sasl(Sasl.scramSha512("bob", "pa\"ss\\word")).tls(Tls.system()).readCommitted(true)
                .property("max.poll.records", 2000).build().consumerProperties("orders");
        assertThat(p).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                        + "username=\"bob\" password=\"pa\\\"ss\\\\word\";")
                .containsEntry("group.id", "clickpipes-orders").containsEntry("enable.auto.commit", "false")
                .containsEntry("isolation.level", "read_committed").containsEntry("auto.offset.reset", "earliest")
                .containsEntry("max.poll.records", 2000).doesNotContainKey("ssl.truststore.type")
                .containsEntry("receive.buffer.bytes", -1);

        Map<String, Object> mtls = KafkaSource.builder().bootstrapServers("b:9093").topics("t").groupId("g")
                .tls(Tls.caPem(kafka.certs.caPem).clientCertificatePem(kafka.certs.clientCertPem, kafka.certs.clientKeyPem)
                        .withoutHostnameVerification())
                .property("receive.buffer.bytes", 1 << 20).build().consumerProperties("x");
        assertThat(mtls).containsEntry("security.protocol", "SSL").containsEntry("ssl.truststore.type", "PEM")
                .containsEntry("ssl.keystore.type", "PEM").containsEntry("ssl.endpoint.identification.algorithm", "")
                .containsEntry("group.id", "g").containsKey("ssl.keystore.key").containsKey("ssl.keystore.certificate.chain")
                .containsEntry("receive.buffer.bytes", 1 << 20);
    }

    /** There is no MSK here: this checks the configuration aws-msk-iam-auth expects, and that its classes load. */
    @Test
    void awsMskIamConfiguration() throws Exception {
        Map<String, Object> p = KafkaSource.builder().bootstrapServers("b-1.msk.us-east-1.amazonaws.com:9098").topics("t")
                .security(Security.saslSsl(Sasl.awsMskIamRole("arn:aws:iam::123456789012:role/reader", "clickpipes",
                        "us-east-1"), Tls.system()))
                .build().consumerProperties("orders");
        assertThat(p).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "AWS_MSK_IAM")
                .containsEntry("sasl.client.callback.handler.class", "software.amazon.msk.auth.iam.IAMClientCallbackHandler")
                .containsEntry("sasl.jaas.config", "software.amazon.msk.auth.iam.IAMLoginModule required "
                        + "awsRoleArn=\"arn:aws:iam::123456789012:role/reader\" awsRoleSessionName=\"clickpipes\" "
                        + "awsStsRegion=\"us-east-1\";");
        assertThat(Sasl.awsMskIam().jaasConfig()).isEqualTo("software.amazon.msk.auth.iam.IAMLoginModule required;");
        assertThat(Sasl.awsMskIamProfile("prod").jaasConfig()).contains("awsProfileName=\"prod\"");
        Sasl keyed = Sasl.awsMskIamRole("arn:aws:iam::1:role/r", "s", null, "AKIAEXAMPLE", "wJalrXUtnFEMI/K7MDENG");
        assertThat(keyed.toString()).contains("AKIAEXAMPLE").doesNotContain("wJalrXUtnFEMI");
        assertThat(keyed.jaasConfig()).contains("awsRoleSecretAccessKey=\"wJalrXUtnFEMI/K7MDENG\"");
        // The classes Kafka instantiates from those names exist (aws-msk-iam-auth 2.3.2).
        Class.forName("software.amazon.msk.auth.iam.IAMLoginModule");
        Class.forName("software.amazon.msk.auth.iam.IAMClientCallbackHandler");
    }

    @Test
    void configurationErrorsNameTheField() {
        assertThatThrownBy(() -> KafkaSource.builder().topics("t").build()).hasMessageContaining("bootstrapServers is not set");
        assertThatThrownBy(() -> KafkaSource.builder().bootstrapServers("b1").topics("t").build())
                .hasMessageContaining("'b1' is not host:port");
        assertThatThrownBy(() -> KafkaSource.builder().bootstrapServers("b:1").build()).hasMessageContaining("topics is not set");
        assertThatThrownBy(() -> KafkaSource.builder().property("enable.auto.commit", "true"))
                .hasMessageContaining("auto-commit would lose records");
        assertThatThrownBy(() -> Tls.caPem("not a pem")).hasMessageContaining("BEGIN CERTIFICATE");
        assertThatThrownBy(() -> Tls.system().clientCertificatePem(kafka.certs.clientCertPem,
                "-----BEGIN RSA PRIVATE KEY-----\nsecret-bits\n-----END RSA PRIVATE KEY-----"))
                .hasMessageContaining("PKCS#8").hasMessageNotContaining("secret-bits");
    }
}
