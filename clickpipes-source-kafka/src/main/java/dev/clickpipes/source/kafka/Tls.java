package dev.clickpipes.source.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * How a Kafka client sets up TLS: which certificate authorities it trusts (the JVM's trust store
 * or a CA given as PEM), optionally a client certificate and key for mutual TLS, and whether the
 * broker's host name is checked against its certificate. Immutable; derive variants with the
 * {@code with}/{@code clientCertificatePem} methods. {@link #toString()} never shows a key.
 *
 * <pre>{@code
 * Tls.system()                                                     // Confluent Cloud, MSK, Event Hubs
 * Tls.caPem(Path.of("ca.pem"))                                     // a private CA
 * Tls.caPem(Path.of("ca.pem")).clientCertificatePem(certPem, keyPem) // mutual TLS
 * }</pre>
 */
public final class Tls {

    private static final String CERT = "-----BEGIN CERTIFICATE-----";

    private final String caPem;
    private final String certificateChainPem;
    private final String privateKeyPem;
    private final String keyPassword;
    private final boolean verifyHostname;

    private Tls(String caPem, String certificateChainPem, String privateKeyPem, String keyPassword,
                boolean verifyHostname) {
        this.caPem = caPem;
        this.certificateChainPem = certificateChainPem;
        this.privateKeyPem = privateKeyPem;
        this.keyPassword = keyPassword;
        this.verifyHostname = verifyHostname;
    }

    /** TLS trusting the JVM's default trust store (public CAs), checking the broker's host name. */
    public static Tls system() {
        return new Tls(null, null, null, null, true);
    }

    /** TLS trusting only the CA certificate(s) in this PEM file. */
    public static Tls caPem(Path file) {
        return caPem(read(file, "CA certificate"));
    }

    /** TLS trusting only the CA certificate(s) in this PEM text ({@code -----BEGIN CERTIFICATE-----...}). */
    public static Tls caPem(String pem) {
        if (pem == null || !pem.contains(CERT)) {
            throw new IllegalArgumentException("Tls.caPem: expected PEM text with " + CERT
                    + "; give the CA's certificate in PEM (or a Path to its file)");
        }
        return new Tls(pem, null, null, null, true);
    }

    /**
     * Adds a client certificate for mutual TLS.
     *
     * @param certificateChainPem the client's certificate (then its intermediates), PEM
     * @param privateKeyPem       its private key as unencrypted PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----})
     */
    public Tls clientCertificatePem(String certificateChainPem, String privateKeyPem) {
        return clientCertificatePem(certificateChainPem, privateKeyPem, null);
    }

    /**
     * Adds a client certificate for mutual TLS whose key may be encrypted
     * ({@code -----BEGIN ENCRYPTED PRIVATE KEY-----}) with {@code keyPassword}.
     */
    public Tls clientCertificatePem(String certificateChainPem, String privateKeyPem, String keyPassword) {
        if (certificateChainPem == null || !certificateChainPem.contains(CERT)) {
            throw new IllegalArgumentException("Tls.clientCertificatePem: the certificate is not PEM text with " + CERT);
        }
        if (privateKeyPem == null || !(privateKeyPem.contains("-----BEGIN PRIVATE KEY-----")
                || privateKeyPem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----"))) {
            // Never echo the key: it is a secret even when it is malformed.
            throw new IllegalArgumentException("Tls.clientCertificatePem: the key must be PKCS#8 PEM "
                    + "(-----BEGIN PRIVATE KEY-----); convert an RSA/EC key with "
                    + "`openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem`");
        }
        if (privateKeyPem.contains("ENCRYPTED") && keyPassword == null) {
            throw new IllegalArgumentException("Tls.clientCertificatePem: the key is encrypted; give its password");
        }
        return new Tls(caPem, certificateChainPem, privateKeyPem, keyPassword, verifyHostname);
    }

    /** Adds a client certificate for mutual TLS from PEM files (an unencrypted PKCS#8 key). */
    public Tls clientCertificatePem(Path certificateChainFile, Path privateKeyFile) {
        return clientCertificatePem(read(certificateChainFile, "client certificate"),
                read(privateKeyFile, "client key"));
    }

    /**
     * Does not check that the broker's certificate names the host connected to. Only for brokers
     * whose certificates lack the right names; the connection is then open to impersonation.
     */
    public Tls withoutHostnameVerification() {
        return new Tls(caPem, certificateChainPem, privateKeyPem, keyPassword, false);
    }

    /** True when a client certificate is set (mutual TLS). */
    public boolean hasClientCertificate() {
        return certificateChainPem != null;
    }

    /** Writes the {@code ssl.*} consumer properties. */
    void configure(Map<String, Object> props) {
        if (caPem != null) {
            props.put("ssl.truststore.type", "PEM");
            props.put("ssl.truststore.certificates", caPem);
        }
        if (certificateChainPem != null) {
            props.put("ssl.keystore.type", "PEM");
            props.put("ssl.keystore.certificate.chain", certificateChainPem);
            props.put("ssl.keystore.key", privateKeyPem);
            if (keyPassword != null) {
                props.put("ssl.key.password", keyPassword);
            }
        }
        if (!verifyHostname) {
            props.put("ssl.endpoint.identification.algorithm", "");
        }
    }

    private static String read(Path file, String what) {
        Objects.requireNonNull(file, () -> "Tls: the " + what + " file is null");
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("Tls: cannot read the " + what + " file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Equal when every setting (keys too) is equal. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Tls t && Objects.equals(t.caPem, caPem)
                && Objects.equals(t.certificateChainPem, certificateChainPem)
                && Objects.equals(t.privateKeyPem, privateKeyPem) && Objects.equals(t.keyPassword, keyPassword)
                && t.verifyHostname == verifyHostname;
    }

    @Override
    public int hashCode() {
        return Objects.hash(caPem, certificateChainPem, privateKeyPem, keyPassword, verifyHostname);
    }

    /** What is trusted and whether a client certificate is set; never a key. */
    @Override
    public String toString() {
        return "Tls[" + (caPem == null ? "system trust store" : "custom CA")
                + (certificateChainPem == null ? "" : ", client certificate")
                + (verifyHostname ? "" : ", no hostname verification") + "]";
    }
}
