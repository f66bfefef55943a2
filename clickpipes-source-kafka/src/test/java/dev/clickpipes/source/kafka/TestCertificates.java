package dev.clickpipes.source.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test CA, a broker certificate for 127.0.0.1/localhost and a client certificate, all made with
 * the JDK's keytool: PKCS12 stores for the broker, PEM text for the client side.
 */
final class TestCertificates {

    static final String STORE_PASSWORD = "test-store-pass";

    final Path dir;
    final Path brokerKeystore;
    final Path truststore;
    final String caPem;
    final String clientCertPem;
    final String clientKeyPem;
    /** A second, unrelated CA: trusting it must fail the handshake. */
    final String otherCaPem;

    TestCertificates(Path dir) throws Exception {
        this.dir = dir;
        Files.createDirectories(dir);
        Path ca = dir.resolve("ca.p12");
        brokerKeystore = dir.resolve("broker.p12");
        truststore = dir.resolve("truststore.p12");
        Path client = dir.resolve("client.p12");
        Path other = dir.resolve("other-ca.p12");

        keytool("-genkeypair", "-keystore", ca, "-alias", "ca", "-dname", "CN=clickpipes-test-ca", "-ext", "bc:c");
        keytool("-genkeypair", "-keystore", other, "-alias", "ca", "-dname", "CN=other-ca", "-ext", "bc:c");
        caPem = export(ca, "ca");
        otherCaPem = export(other, "ca");
        Files.writeString(dir.resolve("ca.pem"), caPem);

        signed(ca, brokerKeystore, "broker", "CN=localhost", "SAN=ip:127.0.0.1,dns:localhost");
        signed(ca, client, "client", "CN=clickpipes-client", null);
        keytool("-importcert", "-noprompt", "-keystore", truststore, "-alias", "ca", "-file", dir.resolve("ca.crt"));

        clientCertPem = export(client, "client");
        clientKeyPem = privateKeyPem(client, "client");
    }

    private void signed(Path ca, Path store, String alias, String dname, String san) throws Exception {
        keytool("-genkeypair", "-keystore", store, "-alias", alias, "-dname", dname);
        Path csr = dir.resolve(alias + ".csr");
        Path crt = dir.resolve(alias + ".crt");
        keytool("-certreq", "-keystore", store, "-alias", alias, "-file", csr);
        List<Object> gencert = new ArrayList<>(List.of("-gencert", "-keystore", ca, "-alias", "ca", "-infile", csr,
                "-outfile", crt, "-validity", "30"));
        if (san != null) {
            gencert.add("-ext");
            gencert.add(san);
        }
        keytool(gencert.toArray());
        if (!Files.exists(dir.resolve("ca.crt"))) {
            keytool("-exportcert", "-keystore", ca, "-alias", "ca", "-file", dir.resolve("ca.crt"));
        }
        keytool("-importcert", "-noprompt", "-keystore", store, "-alias", "ca", "-file", dir.resolve("ca.crt"));
        keytool("-importcert", "-noprompt", "-keystore", store, "-alias", alias, "-file", crt);
    }

    private String export(Path store, String alias) throws Exception {
        Path pem = dir.resolve(alias + "-" + store.getFileName() + ".pem");
        keytool("-exportcert", "-rfc", "-keystore", store, "-alias", alias, "-file", pem);
        return Files.readString(pem);
    }

    private static String privateKeyPem(Path store, String alias) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, STORE_PASSWORD.toCharArray());
        }
        PrivateKey key = (PrivateKey) ks.getKey(alias, STORE_PASSWORD.toCharArray());
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded());
        return "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
    }

    private static void keytool(Object... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        for (Object a : args) {
            cmd.add(a.toString());
        }
        cmd.addAll(List.of("-storepass", STORE_PASSWORD, "-storetype", "PKCS12"));
        if (cmd.contains("-genkeypair")) {
            cmd.addAll(List.of("-keyalg", "EC", "-groupname", "secp256r1", "-validity", "30", "-keypass", STORE_PASSWORD));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool failed: " + String.join(" ", cmd) + "\n" + out);
        }
    }
}
