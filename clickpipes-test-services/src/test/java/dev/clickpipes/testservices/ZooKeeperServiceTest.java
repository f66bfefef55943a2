package dev.clickpipes.testservices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

/** A ZooKeeper of its own: a real client reads what it wrote, and close() frees the port. */
class ZooKeeperServiceTest {

    private static final int PORT = 20011;

    @Test
    void aClientWritesAndReadsAndClosingFreesThePort() throws Exception {
        try (ZooKeeperService zk = ZooKeeperService.start(PORT)) {
            assertThat(zk.connectString()).isEqualTo("127.0.0.1:" + PORT);
            CountDownLatch connected = new CountDownLatch(1);
            ZooKeeper client = new ZooKeeper(zk.connectString(), 10_000, e -> {
                if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                    connected.countDown();
                }
            });
            try {
                assertThat(connected.await(10, TimeUnit.SECONDS)).isTrue();
                client.create("/t", "v".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                assertThat(new String(client.getData("/t", false, null), StandardCharsets.UTF_8)).isEqualTo("v");
            } finally {
                client.close();
            }
            assertThatThrownBy(() -> ZooKeeperService.start(PORT)).hasMessageContaining("already in use");
        }
        assertThat(ZooKeeperService.isListening(PORT)).isFalse();
    }
}
