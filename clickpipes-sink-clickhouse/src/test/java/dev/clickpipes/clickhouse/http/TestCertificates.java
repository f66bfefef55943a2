package dev.clickpipes.clickhouse.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private CA and a server certificate for 127.0.0.1 signed by it, made with the JDK's keytool
 * (no openssl needed): the PEM files the ClickHouse server wants, and the CA as PEM and as a
 * PKCS12 trust store for the client.
 *
 * @param caPem the CA certificate, PEM
 * @param trustStore a PKCS12 trust store holding the CA, password {@link #STORE_PASSWORD}
 * @param serverCertificatePem the server's certificate (SAN IP 127.0.0.1), PEM
 * @param serverKeyPem the server's private key, PKCS#8 PEM
 */
public record TestCertificates(Path caPem, Path trustStore, Path serverCertificatePem, Path serverKeyPem) {

    /** The password of every key store made here. */
    public static final String STORE_PASSWORD = "changeit";

    /** Makes the files in {@code dir}. */
    public static TestCertificates create(Path dir) throws IOException, InterruptedException {
        Path ca = dir.resolve("ca.p12");
        Path server = dir.resolve("server.p12");
        Path csr = dir.resolve("server.csr");
        Path caPem = dir.resolve("ca.pem");
        Path serverPem = dir.resolve("server.crt");
        Path keyPem = dir.resolve("server.key");
        Path trust = dir.resolve("trust.p12");
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=clickpipes test CA", "-ext", "bc:c", "-keystore", ca.toString());
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-file", caPem.toString());
        keytool("-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-keystore", server.toString());
        keytool("-certreq", "-alias", "server", "-keystore", server.toString(), "-file", csr.toString());
        keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-validity", "2",
                "-ext", "san=ip:127.0.0.1", "-infile", csr.toString(), "-outfile", serverPem.toString());
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caPem.toString(),
                "-keystore", trust.toString(), "-storetype", "PKCS12");
        // keytool cannot export a private key; PKCS12 gives it to Java as PKCS#8, which the
        // server's OpenSSL reads as "BEGIN PRIVATE KEY".
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(server)) {
                ks.load(in, STORE_PASSWORD.toCharArray());
            }
            Key key = ks.getKey("server", STORE_PASSWORD.toCharArray());
            String pem = "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(key.getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
            Files.writeString(keyPem, pem);
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
        return new TestCertificates(caPem, trust, serverPem, keyPem);
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-storepass", STORE_PASSWORD));
        if (List.of(args).contains("-genkeypair")) {
            cmd.addAll(List.of("-keypass", STORE_PASSWORD));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool " + String.join(" ", args) + " failed: " + out);
        }
    }
}
