package dev.clickpipes.testservices;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Starts the shared ZooKeeper before any test of a module runs: the shared embedded engine,
 * started by whichever test comes first, is configured with it (the module's surefire sets
 * {@code clickpipes.chdb.zookeeper}), and KeeperMap tables need it from then on. A module opts in
 * by naming this class in its test resources'
 * {@code META-INF/services/org.junit.platform.launcher.LauncherSessionListener}.
 */
public final class SharedZooKeeperFirst implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        ZooKeeperService.shared();
    }
}
