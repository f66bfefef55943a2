package dev.clickpipes.testkit;

import java.util.ArrayList;
import java.util.List;

/**
 * The ClickHouse configuration file that points an embedded engine at a ZooKeeper: its nodes, and
 * the path prefix of {@code KeeperMap} tables (without {@code keeper_map_path_prefix} ClickHouse
 * refuses to create one).
 */
final class ZooKeeperConfig {

    /** One ZooKeeper node. */
    record Node(String host, int port) {}

    private ZooKeeperConfig() {}

    /**
     * The nodes of a connect string {@code host:port[,host:port...]}.
     *
     * @throws IllegalArgumentException naming the value when it has no node or a node is not {@code host:port}
     */
    static List<Node> parse(String connectString) {
        if (connectString == null || connectString.isBlank()) {
            throw new IllegalArgumentException("zooKeeper must be a connect string host:port[,host:port...],"
                    + " e.g. 127.0.0.1:2181; got " + (connectString == null ? "null" : "'" + connectString + "'"));
        }
        List<Node> nodes = new ArrayList<>();
        for (String part : connectString.strip().split(",")) {
            String p = part.strip();
            int colon = p.lastIndexOf(':');
            int port = -1;
            if (colon > 0) {
                try {
                    port = Integer.parseInt(p.substring(colon + 1));
                } catch (NumberFormatException e) {
                    port = -1;
                }
            }
            if (port <= 0 || port > 65535 || p.contains("/")) {
                throw new IllegalArgumentException("zooKeeper node '" + p + "' in '" + connectString
                        + "' is not host:port (a chroot path is not supported)");
            }
            nodes.add(new Node(p.substring(0, colon), port));
        }
        return nodes;
    }

    /** The configuration file's text. */
    static String xml(String connectString, String keeperMapPathPrefix) {
        StringBuilder nodes = new StringBuilder();
        for (Node n : parse(connectString)) {
            nodes.append("        <node><host>").append(escape(n.host())).append("</host><port>")
                    .append(n.port()).append("</port></node>\n");
        }
        return "<clickhouse>\n"
                + "    <zookeeper>\n" + nodes + "    </zookeeper>\n"
                + "    <keeper_map_path_prefix>" + escape(keeperMapPathPrefix) + "</keeper_map_path_prefix>\n"
                + "</clickhouse>\n";
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
