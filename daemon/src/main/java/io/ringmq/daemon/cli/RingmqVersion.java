package io.ringmq.daemon.cli;

import picocli.CommandLine.IVersionProvider;

/**
 * {@code ringmq --version}: the version Maven wrote into the jar's manifest, so it cannot drift from the build; a run
 * from classes (tests, an IDE) has no manifest and says so.
 */
final class RingmqVersion implements IVersionProvider
{
    @Override
    public String[] getVersion()
    {
        return new String[] {"ringmq " + version(), "Java " + Runtime.version() + " (" +
            System.getProperty("java.vm.name") + ")"};
    }

    static String version()
    {
        final String fromManifest = RingmqVersion.class.getPackage().getImplementationVersion();
        return null == fromManifest ? "(development build, no jar manifest)" : fromManifest;
    }
}
