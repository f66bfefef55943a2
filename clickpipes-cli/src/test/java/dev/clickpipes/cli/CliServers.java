package dev.clickpipes.cli;

import dev.clickpipes.clickhouse.http.HttpTransport;
import dev.clickpipes.testservices.ChdbServerProcess;
import dev.clickpipes.testservices.KafkaLocal;

/**
 * What a runner test talks to, on ports of its own: a KRaft broker in this JVM, the 26.5 engine's
 * HTTP server in a child JVM (with ZooKeeper when given, for exactly-once state), and a client of
 * that server. Closing stops all three.
 */
final class CliServers implements AutoCloseable {

    final KafkaLocal kafka;
    final ChdbServerProcess server;
    final HttpTransport client;

    private CliServers(KafkaLocal kafka, ChdbServerProcess server, HttpTransport client) {
        this.kafka = kafka;
        this.server = server;
        this.client = client;
    }

    /** Starts them; {@code zooKeeper} is a connect string, or null for none. */
    static CliServers start(int clickHousePort, int kafkaPort, int controllerPort, String zooKeeper) throws Exception {
        KafkaLocal kafka = KafkaLocal.start(kafkaPort, controllerPort);
        ChdbServerProcess.Builder b = ChdbServerProcess.builder().port(clickHousePort);
        ChdbServerProcess server = (zooKeeper == null ? b : b.zooKeeper(zooKeeper)).start();
        HttpTransport client = HttpTransport.builder().endpoint(server.endpoint())
                .credentials(server.user(), server.password()).build();
        return new CliServers(kafka, server, client);
    }

    /** Closes what was started; a test's {@code @AfterAll} calls it on a null-safe field. */
    static void close(CliServers servers) {
        if (servers != null) {
            servers.close();
        }
    }

    @Override
    public void close() {
        client.close();
        server.close();
        kafka.close();
    }
}
