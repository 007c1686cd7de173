package io.ringmq.perf;

import io.ringmq.client.ClientContext;
import io.ringmq.config.RingmqConfig;
import io.ringmq.daemon.Daemon;
import io.ringmq.daemon.DaemonContext;
import org.agrona.concurrent.IdleStrategy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A ringmq daemon in this process with a fresh temp data dir and a fresh Aeron dir
 * ({@code /dev/shm/ringmq-perf-<uuid>}), both removed at close. Its config: any {@code -Dringmq.*} daemon key of
 * this JVM (not {@code ringmq.perf.*}), then the given settings, then the two directories.
 */
public final class InProcessDaemon implements RingmqServer
{
    private final Path dataRoot;
    private final Daemon daemon;

    private InProcessDaemon(final Path dataRoot, final Daemon daemon)
    {
        this.dataRoot = dataRoot;
        this.daemon = daemon;
    }

    public static InProcessDaemon launch(final Map<String, String> settings)
    {
        final Path dataRoot = createTempDirectory("ringmq-perf-");
        try
        {
            return new InProcessDaemon(dataRoot, Daemon.launch(new DaemonContext()
                    .settings(config(settings, dataRoot))));
        }
        catch (final RuntimeException | Error ex)
        {
            deleteRecursively(dataRoot);
            throw ex;
        }
    }

    static RingmqConfig config(final Map<String, String> settings, final Path dataRoot)
    {
        final Map<String, String> values = daemonKeysOfThisJvm();
        values.putAll(settings);
        values.put("ringmq.data.dir", dataRoot.resolve("data").toString());
        values.put("ringmq.aeron.dir", aeronDir("ringmq-perf-"));
        return RingmqConfig.fromMap(values);
    }

    /** Every {@code -Dringmq.*} system property of this JVM that is a daemon key (not {@code ringmq.perf.*}). */
    public static Map<String, String> daemonKeysOfThisJvm()
    {
        final Map<String, String> values = new HashMap<>();
        for (final String name : System.getProperties().stringPropertyNames())
        {
            if (name.startsWith("ringmq.") && !name.startsWith("ringmq.perf."))
            {
                values.put(name, System.getProperty(name));
            }
        }
        return values;
    }

    public Daemon daemon()
    {
        return daemon;
    }

    public String aeronDir()
    {
        return daemon.config().aeronDir().toString();
    }

    /** A client context for this daemon; each client thread needs its own (idle strategies keep state). */
    public ClientContext clientContext(final String name, final IdleStrategy idleStrategy)
    {
        return new ClientContext()
            .aeronDirectoryName(aeronDir())
            .clientName(name)
            .idleStrategy(idleStrategy)
            .connectTimeoutNs(TimeUnit.SECONDS.toNanos(10));
    }

    public void close()
    {
        try
        {
            daemon.close();
        }
        finally
        {
            deleteRecursively(dataRoot);
        }
    }

    /** A fresh directory name under /dev/shm (or the temp dir where there is none), not yet created. */
    public static String aeronDir(final String prefix)
    {
        final Path shm = Path.of("/dev/shm");
        final Path parent = Files.isDirectory(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        return parent.resolve(prefix + UUID.randomUUID()).toString();
    }

    public static Path createTempDirectory(final String prefix)
    {
        try
        {
            return Files.createTempDirectory(prefix);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    public static void deleteRecursively(final Path root)
    {
        if (!Files.exists(root))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(root))
        {
            paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
        }
        catch (final IOException ex)
        {
            System.err.println("could not remove " + root + ": " + ex.getMessage());
        }
    }
}
