package dev.clickpipes.clickhouse;

import dev.clickpipes.testservices.ZooKeeperService;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Starts the shared ZooKeeper before any test of this module runs: the shared embedded engine,
 * started by whichever test comes first, is configured with it (surefire sets
 * {@code clickpipes.chdb.zookeeper}), and KeeperMap tables need it from then on.
 */
public final class SharedZooKeeperFirst implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        ZooKeeperService.shared();
    }
}
