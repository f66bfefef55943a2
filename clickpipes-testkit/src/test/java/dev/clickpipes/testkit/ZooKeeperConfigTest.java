package dev.clickpipes.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The config file that points an engine at a ZooKeeper, and the check of the connect string. */
class ZooKeeperConfigTest {

    @Test
    void everyNodeOfTheConnectStringIsAZooKeeperNode() {
        assertThat(ZooKeeperConfig.xml("127.0.0.1:20010, zk2:2181", "/keeper_map"))
                .contains("<node><host>127.0.0.1</host><port>20010</port></node>")
                .contains("<node><host>zk2</host><port>2181</port></node>")
                .contains("<keeper_map_path_prefix>/keeper_map</keeper_map_path_prefix>");
    }

    @Test
    void aBadConnectStringFailsAtTheBuilderNamingTheValue() {
        assertThatThrownBy(() -> EmbeddedClickHouse.builder().zooKeeper("127.0.0.1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'127.0.0.1' ");
        assertThatThrownBy(() -> EmbeddedClickHouse.builder().zooKeeper("zk:2181/chroot"))
                .hasMessageContaining("chroot");
        assertThatThrownBy(() -> EmbeddedClickHouse.builder().zooKeeper(" "))
                .hasMessageContaining("host:port");
        assertThatThrownBy(() -> EmbeddedClickHouse.builder().keeperMapPathPrefix("keeper_map"))
                .hasMessageContaining("absolute");
    }
}
