package io.ringmq.perf.process;

import io.ringmq.perf.InProcessDaemon;
import io.ringmq.perf.RingmqServer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code ringmq daemon} as a process of its own, the way users run it: started through a {@link DaemonLauncher} with
 * fresh data and Aeron directories under a temp directory of its own, its output in {@code daemon.log} there, ready
 * once it prints its running line; {@link #close()} stops it with SIGTERM and removes the directories.
 */
public final class DaemonProcess implements RingmqServer
{
    /** What {@code ringmq daemon} prints once it serves. */
    public static final String RUNNING_LINE = "ringmq daemon running";

    private final Path root;
    private final String aeronDir;
    private final ChildProcess process;

    private DaemonProcess(final Path root, final String aeronDir, final ChildProcess process)
    {
        this.root = root;
        this.aeronDir = aeronDir;
        this.process = process;
    }

    /**
     * @param settings        daemon keys, each passed as {@code -Dkey=value} over the daemon's defaults and over this
     *                        JVM's {@code -Dringmq.*} daemon keys, which pass through as to an in-process daemon.
     * @param extraJvmOptions further JVM options for the daemon, e.g. {@code -Dringmq.ring.wait.strategy=SLEEPING}.
     * @throws IllegalStateException if it exits or does not say it runs within the timeout.
     */
    public static DaemonProcess launch(
        final DaemonLauncher launcher, final Map<String, String> settings, final List<String> extraJvmOptions,
        final long startTimeoutNs)
    {
        final Path root = InProcessDaemon.createTempDirectory("ringmq-daemon-");
        final String aeronDir = InProcessDaemon.aeronDir("ringmq-daemon-");
        final List<String> options = new ArrayList<>();
        final Map<String, String> keys = new TreeMap<>(InProcessDaemon.daemonKeysOfThisJvm());
        keys.putAll(settings);
        keys.forEach((key, value) -> options.add("-D" + key + "=" + value));
        options.addAll(extraJvmOptions);
        options.add("-Dringmq.data.dir=" + root.resolve("data"));
        options.add("-Dringmq.aeron.dir=" + aeronDir);
        try
        {
            return new DaemonProcess(root, aeronDir, ChildProcess.start("the ringmq daemon", launcher.daemon(options),
                root.resolve("daemon.log"), RUNNING_LINE, startTimeoutNs));
        }
        catch (final RuntimeException | Error ex)
        {
            removeDirectories(root, aeronDir);
            throw ex;
        }
    }

    public String aeronDir()
    {
        return aeronDir;
    }

    public long pid()
    {
        return process.pid();
    }

    /** @throws IllegalStateException with its output, if it has exited. */
    public void requireAlive()
    {
        process.requireAlive();
    }

    public void close()
    {
        try
        {
            process.close();
        }
        finally
        {
            removeDirectories(root, aeronDir);
        }
    }

    /** The daemon removes its Aeron directory when it stops; one it was killed before removing is swept here. */
    private static void removeDirectories(final Path root, final String aeronDir)
    {
        InProcessDaemon.deleteRecursively(root);
        InProcessDaemon.deleteRecursively(Path.of(aeronDir));
    }
}
