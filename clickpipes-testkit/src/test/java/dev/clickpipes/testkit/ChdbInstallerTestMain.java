package dev.clickpipes.testkit;

/**
 * {@link ChdbInstaller#main} for {@link ChdbInstallerTest}'s child JVMs: the same cache and
 * registry settings, with the test package's hash in place of the pinned one.
 */
final class ChdbInstallerTestMain {
    private ChdbInstallerTestMain() {}

    public static void main(String[] args) {
        ChdbInstaller installer = new ChdbInstaller(
                ChdbInstallerTest.artifact(System.getProperty("clickpipes.test.integrity")),
                ChdbInstaller.cacheDir(), ChdbInstaller.registry(), line -> System.err.println("chdb: " + line));
        System.out.println(installer.install());
    }
}
