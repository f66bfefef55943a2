package dev.clickpipes.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ChdbInstaller} against a real HTTP registry on loopback that serves npm's metadata and a
 * tarball made by {@code tar}: the same requests, hash check and unpacking as against npm, on a
 * small package, in a private cache folder.
 */
class ChdbInstallerTest {

    private static final String PACKAGE = "@chdb/lib-linux-x64-gnu";
    private static final String VERSION = "0.0.1-test";
    private static final byte[] LIBRARY = "not really a shared library\n".repeat(1000).getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path tmp;
    private HttpServer registry;
    private byte[] tarball;
    private String servedIntegrity;
    private final AtomicInteger tarballRequests = new AtomicInteger();

    @BeforeEach
    void startRegistry() throws Exception {
        tarball = npmTarball(tmp.resolve("pack"));
        servedIntegrity = integrity(tarball);
        registry = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        String base = "http://127.0.0.1:" + registry.getAddress().getPort();
        registry.createContext("/@chdb/lib-linux-x64-gnu/" + VERSION, exchange -> {
            String json = "{\"name\":\"" + PACKAGE + "\",\"version\":\"" + VERSION + "\",\"dist\":{\"integrity\":\""
                    + servedIntegrity + "\",\"tarball\":\"" + base + "/tarballs/lib-linux-x64-gnu-" + VERSION + ".tgz\"}}";
            respond(exchange, json.getBytes(StandardCharsets.UTF_8));
        });
        registry.createContext("/tarballs/", exchange -> {
            tarballRequests.incrementAndGet();
            respond(exchange, tarball);
        });
        registry.start();
    }

    @AfterEach
    void stopRegistry() {
        registry.stop(0);
    }

    @Test
    void downloadsChecksAndUnpacksIntoTheNpmLayoutOnce() throws Exception {
        Path cache = tmp.resolve("cache");
        List<String> progress = new CopyOnWriteArrayList<>();
        ChdbInstaller installer = installer(cache, integrity(tarball), progress);

        Path lib = installer.install();

        assertThat(lib).isEqualTo(cache.resolve("chdb/node_modules/@chdb/lib-linux-x64-gnu/libchdb.so"));
        assertThat(Files.readAllBytes(lib)).isEqualTo(LIBRARY);
        assertThat(Files.getPosixFilePermissions(lib)).contains(PosixFilePermission.OWNER_EXECUTE);
        assertThat(lib.resolveSibling("package.json")).exists();
        assertThat(cache.resolve("chdb/lib-linux-x64-gnu-" + VERSION + ".tgz")).doesNotExist();
        assertThat(progress).anyMatch(line -> line.startsWith("downloading http://127.0.0.1:"));

        assertThat(installer.install()).isEqualTo(lib);
        assertThat(tarballRequests).hasValue(1);
    }

    @Test
    void refusesATarballWhoseBytesDoNotMatchTheHash() throws Exception {
        Path cache = tmp.resolve("cache");
        tarball = npmTarball(tmp.resolve("other"), "a different build\n".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> installer(cache, servedIntegrity, new ArrayList<>()).install())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("expected " + servedIntegrity);
        assertThat(cache.resolve("chdb/node_modules/@chdb/lib-linux-x64-gnu/libchdb.so")).doesNotExist();
        assertThat(cache.resolve("chdb/lib-linux-x64-gnu-" + VERSION + ".tgz")).doesNotExist();
    }

    @Test
    void refusesARegistryThatAnnouncesAnotherBuildThanThePinnedOne() {
        String pinned = "sha512-" + Base64.getEncoder().encodeToString(new byte[64]);

        assertThatThrownBy(() -> installer(tmp.resolve("cache"), pinned, new ArrayList<>()).install())
                .hasMessageContaining("pinned to " + pinned);
        assertThat(tarballRequests).hasValue(0);
    }

    @Test
    void offlineItSaysWhichFileToPutWhereAndThenUsesIt() throws Exception {
        Path cache = tmp.resolve("cache");
        String integrity = integrity(tarball);
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        ChdbInstaller offline = new ChdbInstaller(artifact(integrity), cache, "http://127.0.0.1:" + closedPort,
                line -> {});
        Path expected = cache.resolve("chdb/lib-linux-x64-gnu-" + VERSION + ".tgz");

        assertThatThrownBy(offline::install)
                .hasMessageContaining("lib-linux-x64-gnu-" + VERSION + ".tgz (" + integrity + ")")
                .hasMessageContaining("put it at " + expected);

        Files.write(expected, tarball);
        assertThat(Files.readAllBytes(offline.install())).isEqualTo(LIBRARY);
    }

    @Test
    void threadsOfOneJvmDownloadOnce() throws Exception {
        ChdbInstaller installer = installer(tmp.resolve("cache"), integrity(tarball), new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Path>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                results.add(pool.submit(installer::install));
            }
            for (Future<Path> result : results) {
                assertThat(Files.readAllBytes(result.get(60, TimeUnit.SECONDS))).isEqualTo(LIBRARY);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(tarballRequests).hasValue(1);
    }

    @Test
    void jvmsStartedTogetherDownloadOnce() throws Exception {
        // The same main that scripts/fetch-chdb.sh runs, in three JVMs at once on one cache folder.
        Path cache = tmp.resolve("cache");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            processes.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    "-Dclickpipes.cache=" + cache,
                    "-Dclickpipes.npm.registry=http://127.0.0.1:" + registry.getAddress().getPort(),
                    "-Dclickpipes.test.integrity=" + integrity(tarball),
                    ChdbInstallerTestMain.class.getName())
                    .redirectErrorStream(true).start());
        }
        for (Process p : processes) {
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(output).isZero();
            assertThat(output).contains("chdb/node_modules/@chdb/lib-linux-x64-gnu/libchdb.so");
        }
        assertThat(tarballRequests).hasValue(1);
    }

    private ChdbInstaller installer(Path cache, String pinned, List<String> progress) {
        return new ChdbInstaller(artifact(pinned), cache, "http://127.0.0.1:" + registry.getAddress().getPort(),
                progress::add);
    }

    static ChdbInstaller.Artifact artifact(String integrity) {
        return new ChdbInstaller.Artifact(PACKAGE, VERSION, integrity, "libchdb.so", LIBRARY.length);
    }

    private static byte[] npmTarball(Path dir) throws Exception {
        return npmTarball(dir, LIBRARY);
    }

    /** A tarball laid out like npm's: everything under {@code package/}, made by GNU tar. */
    private static byte[] npmTarball(Path dir, byte[] library) throws Exception {
        Path pkg = Files.createDirectories(dir.resolve("package"));
        Files.write(pkg.resolve("libchdb.so"), library);
        Files.setPosixFilePermissions(pkg.resolve("libchdb.so"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(pkg.resolve("package.json"), "{\"name\":\"" + PACKAGE + "\",\"version\":\"" + VERSION + "\"}");
        Process tar = new ProcessBuilder("tar", "-czf", "pkg.tgz", "package").directory(dir.toFile())
                .redirectErrorStream(true).start();
        assertThat(tar.waitFor()).as(new String(tar.getInputStream().readAllBytes())).isZero();
        return Files.readAllBytes(dir.resolve("pkg.tgz"));
    }

    private static String integrity(byte[] bytes) throws Exception {
        return "sha512-" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-512").digest(bytes));
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, byte[] body) throws IOException {
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
