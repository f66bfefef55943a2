package dev.clickpipes.samples;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * kinesis-mock and DynamoDB Local as local processes for the Kinesis sample and benchmark, from
 * what {@code scripts/deps/kinesis.sh} installed. kinesis-mock binds every interface (it has no host
 * setting); DynamoDB Local is started through {@link #main} bound to 127.0.0.1. Clients use
 * 127.0.0.1 only.
 */
final class KinesisLocal implements AutoCloseable {

    private final int kinesisPort;
    private final int dynamoDbPort;
    private final List<Process> processes = new ArrayList<>();

    private KinesisLocal(int kinesisPort, int dynamoDbPort) {
        this.kinesisPort = kinesisPort;
        this.dynamoDbPort = dynamoDbPort;
    }

    /** Starts kinesis-mock on {@code basePort} (TLS on basePort + 1) and DynamoDB Local on basePort + 2. */
    static KinesisLocal start(int basePort) throws Exception {
        Path cache = Path.of(System.getenv().getOrDefault("CLICKPIPES_CACHE", System.getProperty("user.home") + "/.cache/clickpipes"));
        Path mock = cache.resolve("kinesis/node_modules/kinesis-local/main.js");
        Path ddb = cache.resolve("dynamodb-local");
        if (!Files.isRegularFile(mock) || !Files.isDirectory(ddb.resolve("lib"))) {
            throw new IllegalStateException("kinesis-mock or DynamoDB Local missing under " + cache + ": run scripts/deps/kinesis.sh");
        }
        KinesisLocal local = new KinesisLocal(basePort, basePort + 2);
        Runtime.getRuntime().addShutdownHook(new Thread(local::close));
        ProcessBuilder node = new ProcessBuilder("node", mock.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        node.environment().put("KINESIS_MOCK_PLAIN_PORT", String.valueOf(basePort));
        node.environment().put("KINESIS_MOCK_TLS_PORT", String.valueOf(basePort + 1));
        node.environment().put("KINESIS_MOCK_CERT_PATH", mock.resolveSibling("server.json").toString());
        node.environment().put("AWS_REGION", "us-east-1");
        node.environment().put("LOG_LEVEL", "WARN");
        node.environment().put("CREATE_STREAM_DURATION", "100ms");
        local.processes.add(node.start());
        String self = KinesisLocal.class.getProtectionDomain().getCodeSource().getLocation().getPath();
        local.processes.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-Djava.library.path=" + ddb.resolve("natives"), "-cp", self + File.pathSeparator + ddb.resolve("lib") + "/*",
                KinesisLocal.class.getName(), String.valueOf(basePort + 2))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        waitFor(basePort, local.processes.get(0));
        waitFor(basePort + 2, local.processes.get(1));
        return local;
    }

    private static void waitFor(int port, Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("a local server for port " + port + " exited with " + process.exitValue());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("nothing listens on 127.0.0.1:" + port + " after 60 s");
    }

    URI kinesis() {
        return URI.create("http://127.0.0.1:" + kinesisPort);
    }

    URI dynamoDb() {
        return URI.create("http://127.0.0.1:" + dynamoDbPort);
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            try {
                p.waitFor(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            p.destroyForcibly();
        }
        processes.clear();
    }

    /**
     * DynamoDB Local bound to 127.0.0.1 (its ServerRunner binds every interface): run in its own JVM
     * with DynamoDB Local's jars; exits when its standard input closes. Argument: the port.
     */
    public static void main(String[] args) throws Exception {
        Class<?> runner = Class.forName("com.amazonaws.services.dynamodbv2.local.main.ServerRunner");
        Object server = runner.getMethod("createServerFromCommandLineArgs", String[].class)
                .invoke(null, (Object) new String[] {"-inMemory", "-port", args[0], "-disableTelemetry"});
        Field jettyField = server.getClass().getDeclaredField("server");
        jettyField.setAccessible(true);
        Object jetty = jettyField.get(server);
        for (Object connector : (Object[]) jetty.getClass().getMethod("getConnectors").invoke(jetty)) {
            connector.getClass().getMethod("setHost", String.class).invoke(connector, "127.0.0.1");
        }
        server.getClass().getMethod("start").invoke(server);
        while (System.in.read() != -1) {
            // until the parent goes away
        }
        System.exit(0);
    }
}
