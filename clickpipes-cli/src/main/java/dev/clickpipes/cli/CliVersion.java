package dev.clickpipes.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the version in the jar's manifest (a build from the reactor's classes has none). */
final class CliVersion implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String v = ClickPipesCli.class.getPackage().getImplementationVersion();
        return new String[] {"clickpipes " + (v == null ? "(development build)" : v)};
    }
}
