package dev.clickpipes.testkit;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Downloads the pinned chDB engine ({@code libchdb.so} from the npm package
 * {@code @chdb/lib-linux-x64-gnu}) into the cache folder on first use, so the testkit needs
 * nothing but Maven and the network.
 *
 * <p>Where: {@code <cache>/chdb/node_modules/@chdb/lib-linux-x64-gnu/libchdb.so}, the layout an
 * {@code npm install} in {@code <cache>/chdb} gives, so caches made by earlier versions of
 * {@code scripts/fetch-chdb.sh} keep working. The cache is {@code -Dclickpipes.cache}, else
 * {@code $CLICKPIPES_CACHE}, else {@code ~/.cache/clickpipes}.
 *
 * <p>How: the registry's metadata for the pinned version gives the tarball URL and its
 * {@code dist.integrity}; that hash must equal the one pinned here, and the downloaded bytes must
 * match it, before anything is unpacked. A file lock on {@code <cache>/chdb/.lock} lets several
 * test JVMs start at once: one downloads, the others wait and then find the library. A registry
 * that proxies npm is set with {@code -Dclickpipes.npm.registry} or {@code $CLICKPIPES_NPM_REGISTRY}.
 * Offline, put the tarball at {@code <cache>/chdb/lib-linux-x64-gnu-26.5.3.tgz}: it is checked and
 * unpacked without the network.
 *
 * <p>{@link #main} does the same from a shell ({@code scripts/fetch-chdb.sh} runs it) and prints
 * the library's path. This class uses the JDK only, so that script can run this one source file.
 */
public final class ChdbInstaller {

    /** System property naming the cache folder. */
    static final String CACHE_PROPERTY = "clickpipes.cache";
    /** Environment variable naming the cache folder, read when the property is not set. */
    static final String CACHE_ENV = "CLICKPIPES_CACHE";
    /** System property naming an npm registry (a mirror) to download from. */
    static final String REGISTRY_PROPERTY = "clickpipes.npm.registry";
    /** Environment variable naming an npm registry, read when the property is not set. */
    static final String REGISTRY_ENV = "CLICKPIPES_NPM_REGISTRY";
    static final String DEFAULT_REGISTRY = "https://registry.npmjs.org";

    /** The engine the testkit is built and tested against. */
    static final Artifact PINNED = new Artifact("@chdb/lib-linux-x64-gnu", "26.5.3",
            "sha512-fPrLmRt5Moor9yGz4mazbrNje4t7X9KB2mTGkXFWRxRBs2iKy8yh6jx11xsa0Qr3iDFMU/yHqd+bVdYJXu3QaQ==",
            "libchdb.so", 166_000_000L);

    private static final long PROGRESS_EVERY_NANOS = Duration.ofSeconds(5).toNanos();

    /**
     * One file of one npm package version.
     *
     * @param name the package, such as {@code @chdb/lib-linux-x64-gnu}
     * @param version its exact version
     * @param integrity the tarball's Subresource-Integrity hash, {@code sha512-<base64>}
     * @param file the file in the package that is wanted
     * @param approximateBytes the tarball's size, for the first message only
     */
    record Artifact(String name, String version, String integrity, String file, long approximateBytes) {
        /** {@code lib-linux-x64-gnu-26.5.3.tgz}, npm's file name for the tarball. */
        String tarballName() {
            return name.substring(name.indexOf('/') + 1) + "-" + version + ".tgz";
        }
    }

    private final Artifact artifact;
    private final Path chdbDir;
    private final String registry;
    private final Consumer<String> progress;

    ChdbInstaller(Artifact artifact, Path cacheDir, String registry, Consumer<String> progress) {
        this.artifact = artifact;
        this.chdbDir = cacheDir.resolve("chdb");
        this.registry = registry.endsWith("/") ? registry.substring(0, registry.length() - 1) : registry;
        this.progress = progress;
    }

    /** The pinned engine, in the cache and from the registry that properties and environment name. */
    static ChdbInstaller configured(Consumer<String> progress) {
        return new ChdbInstaller(PINNED, cacheDir(), registry(), progress);
    }

    /** The npm registry: {@code -Dclickpipes.npm.registry}, {@code $CLICKPIPES_NPM_REGISTRY} or npm's own. */
    static String registry() {
        return setting(REGISTRY_PROPERTY, REGISTRY_ENV, DEFAULT_REGISTRY);
    }

    /** The cache folder: {@code -Dclickpipes.cache}, {@code $CLICKPIPES_CACHE} or {@code ~/.cache/clickpipes}. */
    static Path cacheDir() {
        return Path.of(setting(CACHE_PROPERTY, CACHE_ENV,
                Path.of(System.getProperty("user.home"), ".cache", "clickpipes").toString()));
    }

    private static String setting(String property, String env, String fallback) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(env);
        }
        return value == null || value.isBlank() ? fallback : value;
    }

    /** Where the library is once installed. */
    Path libraryPath() {
        return packageDir().resolve(artifact.file());
    }

    private Path packageDir() {
        return chdbDir.resolve("node_modules").resolve(artifact.name());
    }

    /**
     * The library's path, downloading and unpacking the package first when it is not there.
     *
     * @throws IllegalStateException when it can be neither found nor installed; the message says
     *     which file is needed and where to put it
     */
    Path install() {
        Path lib = libraryPath();
        if (Files.isRegularFile(lib)) {
            return lib;
        }
        try {
            Files.createDirectories(chdbDir);
            // An in-JVM monitor first: FileChannel.lock throws, not waits, when this JVM holds it.
            synchronized (ChdbInstaller.class) {
                try (FileChannel channel = FileChannel.open(chdbDir.resolve(".lock"),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                        FileLock lock = channel.lock()) {
                    if (Files.isRegularFile(lib)) {
                        return lib; // another JVM installed it while we waited
                    }
                    Path tarball = chdbDir.resolve(artifact.tarballName());
                    if (!Files.isRegularFile(tarball)) {
                        download(tarball);
                    }
                    verify(tarball, artifact.integrity());
                    unpack(tarball);
                    Files.delete(tarball);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalStateException(missingMessage(e), e);
        }
        return lib;
    }

    private String missingMessage(Exception cause) {
        return "chDB's " + artifact.file() + " (npm " + artifact.name() + "@" + artifact.version()
                + ") is not at " + libraryPath() + " and could not be installed: " + cause.getMessage()
                + ". Without the network, download " + artifact.tarballName() + " (" + artifact.integrity()
                + ") from " + tarballUrlGuess() + " and put it at " + chdbDir.resolve(artifact.tarballName())
                + " (it is checked and unpacked on the next run); or set -D" + REGISTRY_PROPERTY
                + "=https://your-npm-mirror (or $" + REGISTRY_ENV + "); or point -Dclickpipes.chdb.lib=/path/to/" + artifact.file() + " at an existing copy.";
    }

    private String tarballUrlGuess() {
        return registry + "/" + artifact.name() + "/-/" + artifact.tarballName();
    }

    private void download(Path tarball) throws IOException {
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(30))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        // npm's URL for one version's metadata; the scope's slash is escaped, which every registry accepts.
        String metadataUrl = registry + "/" + URLEncoder.encode(artifact.name(), StandardCharsets.UTF_8)
                .replace("%40", "@") + "/" + artifact.version();
        String metadata = new String(get(http, metadataUrl).readAllBytes(), StandardCharsets.UTF_8);
        String integrity = jsonString(metadata, "integrity", metadataUrl);
        if (!integrity.equals(artifact.integrity())) {
            throw new IOException(metadataUrl + " gives integrity " + integrity + ", but the testkit is pinned to "
                    + artifact.integrity() + "; refusing a different build of " + artifact.name());
        }
        String url = jsonString(metadata, "tarball", metadataUrl);
        progress.accept("downloading " + url + " (about " + artifact.approximateBytes() / 1_000_000
                + " MB) into " + chdbDir + ", once per machine");
        Path partial = chdbDir.resolve(artifact.tarballName() + ".part");
        long start = System.nanoTime();
        long bytes = 0;
        try (InputStream in = get(http, url);
                OutputStream out = Files.newOutputStream(partial)) {
            byte[] buffer = new byte[1 << 16];
            long lastReport = start;
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
                bytes += n;
                long now = System.nanoTime();
                if (now - lastReport > PROGRESS_EVERY_NANOS) {
                    lastReport = now;
                    progress.accept(String.format("  %d of about %d MB", bytes / 1_000_000,
                            artifact.approximateBytes() / 1_000_000));
                }
            }
        }
        Files.move(partial, tarball, StandardCopyOption.REPLACE_EXISTING);
        progress.accept(String.format("downloaded %d MB in %.1f s", bytes / 1_000_000,
                (System.nanoTime() - start) / 1e9));
    }

    private static InputStream get(HttpClient http, String url) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(10)).build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching " + url, e);
        }
        if (response.statusCode() != 200) {
            response.body().close();
            throw new IOException("GET " + url + " answered HTTP " + response.statusCode());
        }
        return response.body();
    }

    /** The first {@code "key": "value"} in a JSON text; npm's version metadata has one of each we read. */
    private static String jsonString(String json, String key, String where) throws IOException {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        if (!m.find()) {
            throw new IOException(where + " has no \"" + key + "\" field");
        }
        return m.group(1);
    }

    /** Checks a file against an SRI hash ({@code sha512-<base64>}). */
    static void verify(Path file, String integrity) throws IOException {
        int dash = integrity.indexOf('-');
        if (dash < 0 || !integrity.startsWith("sha512-")) {
            throw new IOException("unsupported integrity " + integrity + " (expected sha512-...)");
        }
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        String actual = "sha512-" + Base64.getEncoder().encodeToString(digest.digest());
        if (!actual.equals(integrity)) {
            Files.delete(file); // a broken download must not block the next attempt
            throw new IOException(file + " has hash " + actual + ", expected " + integrity
                    + "; deleted it, the next run downloads it again");
        }
    }

    /**
     * Unpacks the tarball's {@code package/} folder into the package folder: into a fresh sibling
     * first, renamed into place at the end, so a killed JVM never leaves half a library behind.
     */
    private void unpack(Path tarball) throws IOException {
        Path target = packageDir();
        Files.createDirectories(target.getParent());
        Path staging = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".unpacking-");
        Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwxr-xr-x")); // not temp's 700
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(tarball)), 1 << 16)) {
            Tar.extract(in, "package/", staging);
            if (!Files.isRegularFile(staging.resolve(artifact.file()))) {
                throw new IOException(tarball + " holds no package/" + artifact.file());
            }
            deleteTree(target); // what a killed npm install or an older layout may have left
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(staging, target);
            }
        } finally {
            deleteTree(staging);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Just enough of the POSIX tar format (ustar, with pax and GNU long-name records) for npm tarballs. */
    static final class Tar {
        private Tar() {}

        static void extract(InputStream in, String prefix, Path dest) throws IOException {
            byte[] header = new byte[512];
            String longName = null;
            while (true) {
                if (!readFully(in, header)) {
                    return;
                }
                if (isZero(header)) {
                    return; // end-of-archive block
                }
                String name = longName != null ? longName : field(header, 0, 100);
                longName = null;
                String ustarPrefix = field(header, 345, 155);
                if (!ustarPrefix.isEmpty() && "ustar".equals(field(header, 257, 5))) {
                    name = ustarPrefix + "/" + name;
                }
                long size = octal(header, 124, 12);
                long mode = octal(header, 100, 8);
                char type = (char) header[156];
                if (type == 'L') { // GNU long name: the next entry's name is this entry's data
                    longName = new String(readEntry(in, size), StandardCharsets.UTF_8).replace("\0", "");
                    continue;
                }
                if (type == 'x') { // pax header: may carry a long path
                    String pax = new String(readEntry(in, size), StandardCharsets.UTF_8);
                    Matcher m = Pattern.compile("\\d+ path=([^\n]*)\n").matcher(pax);
                    longName = m.find() ? m.group(1) : null;
                    continue;
                }
                boolean file = type == '0' || type == '\0';
                if (!file || !name.startsWith(prefix)) {
                    skip(in, padded(size)); // directories are made as files need them; nothing else is used
                    continue;
                }
                Path out = dest.resolve(name.substring(prefix.length())).normalize();
                if (!out.startsWith(dest)) {
                    throw new IOException("tar entry " + name + " points outside the package");
                }
                Files.createDirectories(out.getParent());
                try (OutputStream o = Files.newOutputStream(out)) {
                    copy(in, o, size);
                }
                skip(in, padded(size) - size);
                if ((mode & 0111) != 0) {
                    Set<PosixFilePermission> perms = EnumSet.copyOf(Files.getPosixFilePermissions(out));
                    perms.add(PosixFilePermission.OWNER_EXECUTE);
                    perms.add(PosixFilePermission.GROUP_EXECUTE);
                    perms.add(PosixFilePermission.OTHERS_EXECUTE);
                    Files.setPosixFilePermissions(out, perms);
                }
            }
        }

        private static byte[] readEntry(InputStream in, long size) throws IOException {
            byte[] data = new byte[Math.toIntExact(size)];
            if (!readFully(in, data)) {
                throw new EOFException("tar truncated");
            }
            skip(in, padded(size) - size);
            return data;
        }

        private static long octal(byte[] header, int offset, int length) {
            String digits = field(header, offset, length).trim();
            return digits.isEmpty() ? 0 : Long.parseLong(digits, 8);
        }

        private static long padded(long size) {
            return (size + 511) / 512 * 512;
        }

        private static String field(byte[] header, int offset, int length) {
            int end = offset;
            while (end < offset + length && header[end] != 0) {
                end++;
            }
            return new String(header, offset, end - offset, StandardCharsets.UTF_8);
        }

        private static boolean isZero(byte[] block) {
            for (byte b : block) {
                if (b != 0) {
                    return false;
                }
            }
            return true;
        }

        private static boolean readFully(InputStream in, byte[] buffer) throws IOException {
            int read = in.readNBytes(buffer, 0, buffer.length);
            if (read == 0) {
                return false;
            }
            if (read < buffer.length) {
                throw new EOFException("tar truncated");
            }
            return true;
        }

        private static void copy(InputStream in, OutputStream out, long size) throws IOException {
            byte[] buffer = new byte[1 << 16];
            long left = size;
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new EOFException("tar truncated");
                }
                out.write(buffer, 0, n);
                left -= n;
            }
        }

        private static void skip(InputStream in, long n) throws IOException {
            in.skipNBytes(n);
        }
    }

    /**
     * Installs the pinned engine when it is missing and prints the path of {@code libchdb.so}.
     * Progress goes to standard error.
     *
     * @param args none
     */
    public static void main(String[] args) {
        try {
            System.out.println(configured(line -> System.err.println("chdb: " + line)).install());
        } catch (IllegalStateException e) {
            System.err.println("chdb: " + e.getMessage());
            System.exit(1);
        }
    }
}
