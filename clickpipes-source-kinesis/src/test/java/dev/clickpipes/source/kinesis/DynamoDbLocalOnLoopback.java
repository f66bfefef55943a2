package dev.clickpipes.source.kinesis;

import java.lang.reflect.Field;

/**
 * Runs Amazon's DynamoDB Local bound to 127.0.0.1 only (its own ServerRunner binds every interface
 * and has no host option): builds the server as ServerRunner does, sets the host on its Jetty
 * connector, starts it. Runs in its own JVM with DynamoDB Local's jars (so only reflection here),
 * and exits when its standard input closes, i.e. when the test JVM that started it is gone.
 *
 * <p>Arguments: the port.
 */
public final class DynamoDbLocalOnLoopback {

    private DynamoDbLocalOnLoopback() {
    }

    /** Starts the server; prints {@code READY} once it listens. */
    public static void main(String[] args) throws Exception {
        String port = args[0];
        Class<?> runner = Class.forName("com.amazonaws.services.dynamodbv2.local.main.ServerRunner");
        Object server = runner.getMethod("createServerFromCommandLineArgs", String[].class)
                .invoke(null, (Object) new String[] {"-inMemory", "-port", port, "-disableTelemetry"});
        Field jettyField = server.getClass().getDeclaredField("server");
        jettyField.setAccessible(true);
        Object jetty = jettyField.get(server);
        for (Object connector : (Object[]) jetty.getClass().getMethod("getConnectors").invoke(jetty)) {
            connector.getClass().getMethod("setHost", String.class).invoke(connector, "127.0.0.1");
        }
        server.getClass().getMethod("start").invoke(server);
        System.out.println("READY");
        System.out.flush();
        while (System.in.read() != -1) {
            // wait for the parent to go away
        }
        System.exit(0);
    }
}
