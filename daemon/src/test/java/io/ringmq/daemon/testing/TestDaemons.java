package io.ringmq.daemon.testing;

import io.ringmq.client.ClientContext;
import io.ringmq.client.RingmqClient;
import io.ringmq.config.RingmqConfig;
import io.ringmq.daemon.Daemon;
import io.ringmq.journal.ChronicleJournal;
import io.ringmq.journal.FsyncPolicy;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Config and helpers for tests that run a daemon: small Aeron terms, unique directories, deadline waits. */
public final class TestDaemons
{
    private TestDaemons()
    {
    }

    /** A config whose data lives under {@code dataRoot} and whose Aeron directory is unique to this call. */
    public static RingmqConfig config(final Path dataRoot, final Map<String, String> extra)
    {
        final Map<String, String> values = new HashMap<>();
        values.put("ringmq.data.dir", dataRoot.resolve("data").toString());
        values.put("ringmq.aeron.dir", aeronDir());
        values.put("ringmq.aeron.ipc.term.length", "1m");
        values.put("ringmq.max.message.bytes", "128k");
        values.put("ringmq.ring.size", "1024");
        values.putAll(extra);
        return RingmqConfig.fromMap(values);
    }

    public static RingmqConfig config(final Path dataRoot)
    {
        return config(dataRoot, Map.of());
    }

    /** A fresh Aeron directory name under /dev/shm (tmpfs) when it exists, else the temp directory. */
    public static String aeronDir()
    {
        final Path shm = Path.of("/dev/shm");
        final Path parent = Files.isDirectory(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        return parent.resolve("ringmq-test-" + UUID.randomUUID()).toString();
    }

    public static RingmqClient connect(final RingmqConfig config)
    {
        return connect(config, new ClientContext());
    }

    /** Connects with the given context (e.g. with an error handler) pointed at the config's daemon. */
    public static RingmqClient connect(final RingmqConfig config, final ClientContext ctx)
    {
        return RingmqClient.connect(ctx
            .aeronDirectoryName(config.aeronDir().toString())
            .connectTimeoutNs(TimeUnit.SECONDS.toNanos(10))
            .clientName("test"));
    }

    /** Hands every record of a stopped daemon's journal to the handler, in order. */
    public static void replayJournal(final RingmqConfig config, final ChronicleJournal.RecordHandler handler)
    {
        try (ChronicleJournal journal = ChronicleJournal.open(
            Daemon.journalDirectory(config), config.journalRollCycle().name(), FsyncPolicy.NONE))
        {
            journal.replay(handler);
        }
    }

    /** Polls the client until the condition holds; fails the test after the deadline. */
    public static void pollUntil(
        final RingmqClient client, final BooleanSupplier condition, final long timeoutMs, final String what)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new AssertionError("timed out after " + timeoutMs + " ms waiting for " + what);
            }
            if (0 == client.poll())
            {
                Thread.yield();
            }
        }
    }

    /** The first of {@code count} consecutive free loopback UDP ports (a witness takes five). */
    public static int freeUdpPorts(final int count)
    {
        for (int attempt = 0; attempt < 100; attempt++)
        {
            final List<DatagramSocket> held = new ArrayList<>();
            try
            {
                final DatagramSocket first = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                held.add(first);
                final int base = first.getLocalPort();
                if (base + count > 65_535)
                {
                    continue;
                }
                for (int i = 1; i < count; i++)
                {
                    held.add(new DatagramSocket(base + i, InetAddress.getLoopbackAddress()));
                }
                return base;
            }
            catch (final IOException ex)
            {
                // one of the next ports is taken: try another base
            }
            finally
            {
                held.forEach(DatagramSocket::close);
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free UDP ports on loopback");
    }
}
