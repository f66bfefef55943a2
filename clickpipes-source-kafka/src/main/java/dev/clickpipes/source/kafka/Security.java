package dev.clickpipes.source.kafka;

import java.util.Map;
import java.util.Objects;

/**
 * The Kafka security protocol and its settings: {@code PLAINTEXT}, {@code SASL_PLAINTEXT} (SASL
 * without TLS), {@code SSL} (TLS, optionally mutual) or {@code SASL_SSL} (SASL over TLS). Immutable;
 * {@link #toString()} never shows a secret.
 */
public final class Security {

    /** Kafka's {@code security.protocol} values. */
    public enum Protocol {
        /** No authentication, no encryption. */
        PLAINTEXT,
        /** SASL authentication without encryption. */
        SASL_PLAINTEXT,
        /** TLS encryption, and authentication when a client certificate is given. */
        SSL,
        /** SASL authentication over TLS. */
        SASL_SSL
    }

    private static final Security PLAINTEXT = new Security(Protocol.PLAINTEXT, null, null);

    private final Protocol protocol;
    private final Sasl sasl;
    private final Tls tls;

    private Security(Protocol protocol, Sasl sasl, Tls tls) {
        this.protocol = protocol;
        this.sasl = sasl;
        this.tls = tls;
    }

    /** No authentication, no encryption: a broker on a private network. The default. */
    public static Security plaintext() {
        return PLAINTEXT;
    }

    /** SASL without TLS ({@code SASL_PLAINTEXT}): the password crosses the network in clear with PLAIN. */
    public static Security saslPlaintext(Sasl sasl) {
        return new Security(Protocol.SASL_PLAINTEXT, Objects.requireNonNull(sasl, "Security.saslPlaintext: sasl is null"), null);
    }

    /** TLS ({@code SSL}); mutual TLS when {@code tls} has a client certificate. */
    public static Security ssl(Tls tls) {
        return new Security(Protocol.SSL, null, Objects.requireNonNull(tls, "Security.ssl: tls is null; e.g. Tls.system()"));
    }

    /** SASL over TLS ({@code SASL_SSL}): what hosted Kafka services use. */
    public static Security saslSsl(Sasl sasl, Tls tls) {
        return new Security(Protocol.SASL_SSL, Objects.requireNonNull(sasl, "Security.saslSsl: sasl is null"),
                Objects.requireNonNull(tls, "Security.saslSsl: tls is null; e.g. Tls.system()"));
    }

    /** The protocol for this SASL and TLS setting, either of which may be null. */
    static Security of(Sasl sasl, Tls tls) {
        if (sasl == null) {
            return tls == null ? PLAINTEXT : ssl(tls);
        }
        return tls == null ? saslPlaintext(sasl) : saslSsl(sasl, tls);
    }

    /** The security protocol. */
    public Protocol protocol() {
        return protocol;
    }

    /** The SASL setting, or null. */
    public Sasl sasl() {
        return sasl;
    }

    /** The TLS setting, or null. */
    public Tls tls() {
        return tls;
    }

    /** Writes {@code security.protocol}, {@code sasl.*} and {@code ssl.*}. */
    void configure(Map<String, Object> props) {
        props.put("security.protocol", protocol.name());
        if (sasl != null) {
            sasl.configure(props);
        }
        if (tls != null) {
            tls.configure(props);
        }
    }

    /** Equal when protocol, SASL and TLS settings are equal. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Security s && s.protocol == protocol && Objects.equals(s.sasl, sasl)
                && Objects.equals(s.tls, tls);
    }

    @Override
    public int hashCode() {
        return Objects.hash(protocol, sasl, tls);
    }

    /** E.g. {@code SASL_SSL SCRAM-SHA-512(user alice) Tls[system trust store]}; never a secret. */
    @Override
    public String toString() {
        return protocol + (sasl == null ? "" : " " + sasl) + (tls == null ? "" : " " + tls);
    }
}
